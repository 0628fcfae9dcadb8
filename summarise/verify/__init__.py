"""Model-free verification: every figure, name, acronym and quotation against the pages it cites.

>>> from summarise.verify import verify_summary
>>> result = verify_summary(summary, meeting)  # doctest: +SKIP
"""

from summarise.verify.checks import MeetingIndex, verify_summary

__all__ = ["MeetingIndex", "verify_summary"]
