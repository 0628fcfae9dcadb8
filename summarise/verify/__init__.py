"""Model-free verification: every figure, name, acronym and quotation against the pages it cites.

* :mod:`~summarise.verify.evidence`: what the pages offer as evidence (:class:`MeetingIndex`);
* :mod:`~summarise.verify.page_figures`: a page's figures, by kind;
* :mod:`~summarise.verify.claims`: the checkable claims in a piece of summary text;
* :mod:`~summarise.verify.matching`: whether the pages support a claim;
* :mod:`~summarise.verify.status`, :mod:`~summarise.verify.attribution`, :mod:`~summarise.verify.people`:
  decisions the pages do not record, another item's text under an item, people named nowhere;
* :mod:`~summarise.verify.wide`: a claim against many pages without indexing each;
* :mod:`~summarise.verify.checks`: where to look, and what a claim not found there becomes
  (:func:`verify_summary`).

>>> from summarise.verify import verify_summary
>>> result = verify_summary(summary, meeting)  # doctest: +SKIP
"""

from summarise.verify.checks import verify_summary
from summarise.verify.evidence import MeetingIndex

__all__ = ["MeetingIndex", "verify_summary"]
