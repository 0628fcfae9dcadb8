"""Model-free faithfulness checks: every figure, name, acronym and quotation in a summary must be
found in the pages it cites.

Where to look: a paragraph or key point is checked against the pages it cites (and the seam
between two consecutive cited pages); with no citations, against its item's pages (a parent item
without papers of its own: its sub-items' pages); the synopsis against the whole pack. On a page an
item shares with another item, an item's claim is checked against the item's own part of the page
only, the text the engines summarised. The meeting's own details (body, date, time, venue, the
item's title) count as evidence everywhere.

What a claim not found there becomes:

* on a page next to the cited ones: a ``citation`` warning (sentences run over page breaks);
* a figure on the cited pages, but never beside the words the summary uses with it (a year or
  count that happens to occur elsewhere on a busy page): a ``figure`` warning;
* a figure only elsewhere in the item: a ``figure`` error that names the page; a name, acronym or
  quotation only elsewhere in the item: a ``citation`` warning;
* nowhere: a ``figure`` or ``quote`` error, a ``name`` or ``acronym`` warning.

Source footnotes are checked against the pages they cite (share of their words found there).

What misleads even when every figure is right, each an error: a decision stated more strongly than
the pages record it (``status``, :mod:`~summarise.verify.status`), a passage under an item that is
another item's text and not its own (``attribution``, :mod:`~summarise.verify.attribution`), and a
person named nowhere in the pack (``person``, :mod:`~summarise.verify.people`; a person named in the
pack but not on the pages searched stays a ``name`` warning). ``summarise run --strict`` and
``summarise verify`` fail on these and on figure errors
(:attr:`~summarise.models.summary.Verification.misleading`).

>>> from summarise.verify import verify_summary
>>> result = verify_summary(summary, meeting)  # doctest: +SKIP
>>> [f.text for f in result.unsupported_figures]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarise.models.meeting import Meeting
from summarise.models.summary import Finding, ItemSummary, MeetingSummary, Verification
from summarise.text.figures import clean_text
from summarise.text.sentences import split_sentences
from summarise.text.vocab import EVIDENCE_STOPWORDS, stem
from summarise.verify.attribution import ItemTexts
from summarise.verify.claims import Claim, extract_claims
from summarise.verify.evidence import WORD, MeetingIndex, PageEvidence, walk_items
from summarise.verify.matching import Status, acronym_on, claim_on, claim_status, phrase_on
from summarise.verify.people import looks_like_person
from summarise.verify.status import check_status, status_claims
from summarise.verify.wide import WIDE, in_pack, wide_decision, wide_status

logger = logging.getLogger(__name__)

Severity = Literal["error", "warning", "info"]

# --- the check ---------------------------------------------------------------------------------------

_SEVERITY: dict[str, Severity] = {
    "figure": "error",
    "quote": "error",
    "name": "warning",
    "acronym": "warning",
}


@dataclass
class _Scope:
    """Where one piece of text may find its evidence."""

    primary: list[int]
    near: list[int] = field(default_factory=list)  # pages either side of the cited ones
    rest: list[int] = field(default_factory=list)  # the rest of the item


class _Checker:
    def __init__(self, summary: MeetingSummary, index: MeetingIndex) -> None:
        self.summary = summary
        self.index = index
        self.findings: list[Finding] = []
        self.checked = 0
        texts = [summary.synopsis]
        for it in summary.items:
            texts.extend(p.text for p in it.paragraphs)
            texts.extend(k.text for k in it.key_points)
        lower: set[str] = set()
        for t in texts:
            lower.update(w.lower() for w in WORD.findall(t) if w[0].islower())
        self.summary_lower = frozenset(lower)
        self.glossary = {note.term: note.definition for note in summary.footnotes}
        self._items = {item.number: item for item in walk_items(index.meeting.items)}
        self._in_pack: dict[str, bool] = {}

    @property
    def texts(self) -> ItemTexts:
        return self.index.item_texts

    def in_pack(self, claim: Claim) -> bool:
        """Is the name anywhere in the pack (every page whole, and the meeting's details)?"""
        if claim.text not in self._in_pack:
            self._in_pack[claim.text] = in_pack(claim, self.index, self.summary_lower, self.glossary)
        return self._in_pack[claim.text]

    def item_pages(self, item: ItemSummary) -> list[int]:
        """The item's pages: its own, else its sub-items' (as the engines read them); [] for none."""
        if item.start_page is not None and item.end_page is not None:
            return list(range(item.start_page, item.end_page + 1))
        source = self._items.get(item.number)
        return list(source.page_range) if source is not None else []

    def scope(self, cited: list[int], item: ItemSummary | None, where: str | None) -> _Scope:
        all_pages = list(range(1, self.index.page_count + 1))
        item_pages = self.item_pages(item) if item is not None else all_pages
        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= self.index.page_count]
        bad = [n for n in cited if not 1 <= n <= self.index.page_count]
        if bad:
            self.findings.append(
                Finding(
                    kind="citation",
                    text=", ".join(str(n) for n in bad),
                    item=where,
                    pages_searched=[],
                    severity="warning",
                    message=f"cites page(s) not in the pack (it has {self.index.page_count} pages)",
                )
            )
        if valid and not any(self.index.has_text(n) for n in valid):
            self.findings.append(
                Finding(
                    kind="citation",
                    text=", ".join(str(n) for n in valid),
                    item=where,
                    pages_searched=valid,
                    severity="info",
                    message="cited pages have no text layer; checked against the item's pages instead",
                )
            )
            valid = []
        if valid:
            chosen = set(valid)
            sides = [m for n in valid for m in (n - 1, n + 1) if 1 <= m <= self.index.page_count]
            near = [m for m in dict.fromkeys(sides) if m not in chosen]
            rest = [n for n in (item_pages or all_pages) if n not in chosen and n not in set(near)]
            return _Scope(primary=valid, near=near, rest=rest)
        return _Scope(primary=item_pages or all_pages)

    def _first_page_with(self, claim: Claim, pages: Sequence[int], where: str | None) -> int | None:
        for n in pages:
            if claim_on(claim, [self.index.item_page(where, n)], self.summary_lower, self.glossary):
                return n
        return None

    def status(self, claim: Claim, scope: _Scope, where: str | None) -> Status:
        """The claim against the item's details and the cited pages (on a page the item shares with
        another item, only the item's own part)."""
        if len(scope.primary) > WIDE:
            return wide_status(claim, self.index, scope.primary, where, self.summary_lower, self.glossary)
        primary = [self.index.meta(where), *self.index.cited(scope.primary, where)]
        return claim_status(claim, primary, self.summary_lower, self.glossary)

    def check_text(self, text: str, scope: _Scope, where: str | None, person: bool = False) -> None:
        """Every claim in ``text`` against its scope; ``person``: the text names a person (a
        presenter), so a name in it is a person's."""
        claims = extract_claims(text, self.summary_lower)
        if not claims:
            return
        for claim in claims:
            self.checked += 1
            status = self.status(claim, scope, where)
            if status == "ok":
                continue
            finding = Finding(kind=claim.kind, text=claim.text, item=where, pages_searched=scope.primary)
            near = self._first_page_with(claim, scope.near, where)
            if near is not None:
                finding.kind, finding.severity = "citation", "warning"
                finding.message = f"{claim.kind} is not on the cited pages but on page {near}, next to them"
                self.findings.append(finding)
                continue
            if status == "context":
                finding.severity = "warning"
                finding.message = (
                    "figure is on the cited pages, but not beside the words it is used with here"
                )
                self.findings.append(finding)
                continue
            finding.pages_searched = scope.primary + scope.near + scope.rest
            far = self._first_page_with(claim, scope.rest, where)
            if far is not None and claim.kind != "figure":
                finding.kind, finding.severity = "citation", "warning"
                finding.message = f"{claim.kind} is not on the cited pages; found on page {far}"
            elif far is not None:
                finding.severity = "error"
                finding.message = (
                    f"figure is not on the cited pages; the same value is on page {far}, which is not cited"
                )
            else:
                finding.severity = _SEVERITY[claim.kind]
                finding.message = f"{claim.kind} not found in the pages searched"
                if claim.kind == "name" and (person or looks_like_person(claim, text)):
                    if self.in_pack(claim):
                        finding.message = "person is named in the pack, but not on the pages searched"
                    else:
                        finding.kind, finding.severity = "person", "error"
                        finding.message = "person is named nowhere in the pack"
            self.findings.append(finding)

    def check_meaning(self, text: str, scope: _Scope, where: str | None) -> None:
        """Decisions the pages do not record, and sentences taken from another item's text."""
        evs: list[PageEvidence] | None = None
        for sentence in split_sentences(text):
            for claim in status_claims(sentence):
                self.checked += 1
                if len(scope.primary) > WIDE:
                    result = wide_decision(claim, sentence, self.index, scope.primary, scope.near, where)
                else:
                    if evs is None:
                        evs = self.index.cited(scope.primary, where) + self.index.pages(scope.near, where)
                    result = check_status(claim, sentence, evs)
                if not result.ok:
                    self.findings.append(
                        Finding(
                            kind="status",
                            text=sentence,
                            item=where,
                            pages_searched=scope.primary + scope.near,
                            severity="error",
                            message=f"says {claim.text!r}: {result.why}",
                        )
                    )
        if where is None or not self.texts.has(where):
            return
        for passage, other in self.texts.foreign(text, where, scope.primary):
            self.findings.append(
                Finding(
                    kind="attribution",
                    text=passage,
                    item=where,
                    pages_searched=scope.primary + scope.near + scope.rest,
                    severity="error",
                    message=f"this is item {other}'s text, not this item's",
                )
            )

    def check_footnotes(self) -> None:
        for note in self.summary.footnotes:
            if note.origin != "source":
                continue
            label = f"[^{note.number}] {note.term}"
            pages = [n for n in note.pages if 1 <= n <= self.index.page_count]
            if not pages:
                self.findings.append(
                    Finding(
                        kind="footnote",
                        text=label,
                        item=None,
                        pages_searched=[],
                        severity="info",
                        message="definition says it is from the source but cites no page in the pack",
                    )
                )
                continue
            self.checked += 1
            evs = self.index.pages(pages)
            score = definition_support(note.definition, evs)
            term_ok = phrase_on(note.term, evs) or acronym_on(note.term, evs, self.glossary)
            if score >= _DEFINITION_THRESHOLD and term_ok:
                continue
            why = "term not on its pages" if not term_ok else f"only {score:.0%} of its words are there"
            self.findings.append(
                Finding(
                    kind="footnote",
                    text=label,
                    item=None,
                    pages_searched=pages,
                    severity="warning",
                    message=f"definition not supported by the cited source pages ({why})",
                )
            )


_DEFINITION_THRESHOLD = 0.7
_TOKEN = re.compile(r"[a-z0-9]+")


def definition_support(definition: str, evs: Sequence[PageEvidence]) -> float:
    """Share of the definition's content words found on the pages (0..1)."""
    words = _TOKEN.findall(clean_text(definition).lower())
    tokens = [stem(t) for t in words if t not in EVIDENCE_STOPWORDS and len(t) >= 3]
    if not tokens:
        return 1.0
    page_tokens = {stem(t) for ev in evs for t in _TOKEN.findall(ev.text.lower())}
    return sum(t in page_tokens for t in tokens) / len(tokens)


def verify_summary(
    summary: MeetingSummary, meeting: Meeting, *, index: MeetingIndex | None = None
) -> Verification:
    """Check every figure, name, acronym, quotation and source footnote against the pages.

    Pure: reads ``summary`` and ``meeting`` and returns a new :class:`Verification`.
    """
    index = index if index is not None and index.meeting is meeting else MeetingIndex.of(meeting)
    checker = _Checker(summary, index)
    for item in summary.items:
        where = item.number
        for cited in [*item.paragraphs, *item.key_points]:
            scope = checker.scope(cited.pages, item, where)
            checker.check_text(cited.text, scope, where)
            checker.check_meaning(cited.text, scope, where)
        if item.note:
            checker.check_text(item.note, checker.scope([], item, where), where)
        if item.presenter is not None:
            text = item.presenter.name + (f", {item.presenter.role}" if item.presenter.role else "")
            checker.check_text(text, checker.scope([], item, where), where, person=True)
    # The synopsis last, its findings first: the pages the items cite, indexed by now, are tried
    # first for each of its claims (any one page that settles a claim will do).
    items = checker.findings
    checker.findings = []
    synopsis_scope = checker.scope([], None, None)
    checker.check_text(summary.synopsis, synopsis_scope, None)
    checker.check_meaning(summary.synopsis, synopsis_scope, None)
    checker.findings += items
    checker.check_footnotes()
    logger.debug("verified %d claims: %d findings", checker.checked, len(checker.findings))
    return Verification(checked=checker.checked, findings=checker.findings)
