"""What the pages offer as evidence: page text without footers, squashed for matching across line
breaks and hyphenation, and each page's figures, words, acronyms and content-word stems, computed
once per page (:class:`PageEvidence`) and kept per meeting (:class:`MeetingIndex`).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence

from summarise.models.meeting import AgendaItem, Meeting, TextSpan
from summarise.text.figures import Figure, clean_text
from summarise.text.vocab import (
    ACRONYM,
    EVIDENCE_STOPWORDS,
    MONTH_WORDS,
    PAGE_FOOTER,
    PAGE_OF_PAGES,
    acronym_base,
    stem,
)
from summarise.verify.attribution import ItemTexts, word_spans
from summarise.verify.page_figures import FigureData, figure_data

# --- text helpers ------------------------------------------------------------------------------------

_SQUASH = re.compile(r"[^0-9a-z]+")
_LONE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def squash(text: str) -> str:
    """Lower case letters and digits only: "Kent County-\\nCouncil’s" -> "kentcountycouncil"."""
    return _SQUASH.sub("", text.lower().replace("’s", "").replace("'s", ""))


_ALNUM = re.compile(r"[0-9]+|[a-z]+")


def squash_words(text: str) -> tuple[str, frozenset[int], frozenset[int]]:
    """:func:`squash`, with the squashed offsets where words start and end, so that a phrase can
    be matched across line breaks and hyphenation but not inside a longer word."""
    parts = _ALNUM.findall(text.lower().replace("’s", "").replace("'s", ""))
    ends = list(itertools.accumulate(map(len, parts)))
    return "".join(parts), frozenset([0, *ends[:-1]] if ends else []), frozenset(ends)


def _evidence_text(text: str) -> str:
    """Page text without "Page N" footers or a lone page number on the first or last line."""
    text = clean_text(text)
    text = PAGE_FOOTER.sub(" ", text)
    text = PAGE_OF_PAGES.sub(" ", text)
    lines = text.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and _LONE_NUMBER.match(lines[-1]):
        lines.pop()
    if lines and _LONE_NUMBER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


_CONTENT = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
_PAGE_CONTEXT = 20  # ... and either side of its occurrence on the page
_SEAM = 400  # characters either side of a page break joined into one piece of evidence


def content_stems(text: str) -> list[tuple[int, str]]:
    """(offset, stem) of each content word: no stop words, no month names."""
    out = []
    for m in _CONTENT.finditer(text):
        low = m[0].lower().replace("’s", "").replace("'s", "")
        if low not in EVIDENCE_STOPWORDS and low not in MONTH_WORDS:
            out.append((m.start(), stem(low)))
    return out


# --- the evidence index ------------------------------------------------------------------------------


class PageEvidence:
    """What one page can support. Each part (its figures, words, acronyms, content-word stems, the
    squashed text's word boundaries) is computed the first time a check asks for it, and kept:
    a name is matched without finding the page's figures, a figure without stemming its words.
    """

    def __init__(self, number: int, text: str) -> None:
        self.number = number
        self.text = text  # page text without footers (:func:`_evidence_text`)

    @classmethod
    def build(cls, number: int, raw: str) -> PageEvidence:
        return cls(number, _evidence_text(raw))

    @functools.cached_property
    def squashed(self) -> str:
        return squash(self.text)

    @functools.cached_property
    def _bounds(self) -> tuple[frozenset[int], frozenset[int]]:
        _, starts, ends = squash_words(self.text)
        return starts, ends

    @property
    def word_starts(self) -> frozenset[int]:
        return self._bounds[0]

    @property
    def word_ends(self) -> frozenset[int]:
        return self._bounds[1]

    @functools.cached_property
    def word_spans(self) -> list[tuple[str, tuple[int, int]]]:
        """The page's words as the attribution check reads them, each with its place."""
        return word_spans(self.text)

    @functools.cached_property
    def compact(self) -> str:
        return re.sub(r"\s+", "", self.text).lower()

    @functools.cached_property
    def _words(self) -> list[str]:
        return WORD.findall(self.text)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(squash(w) for w in set(self._words))

    @functools.cached_property
    def lower_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in self._words if w[0].islower())

    @functools.cached_property
    def acronyms(self) -> frozenset[str]:
        return frozenset(acronym_base(a) for a in ACRONYM.findall(self.text))

    @functools.cached_property
    def acronyms_cf(self) -> frozenset[str]:
        return frozenset(a.casefold() for a in self.acronyms)

    @functools.cached_property
    def _figs(self) -> FigureData:
        return figure_data(self.text)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return self._figs.figures

    @property
    def scales(self) -> tuple[float, ...]:
        return self._figs.scales

    @property
    def any_values(self) -> list[float]:
        return self._figs.any_values

    @property
    def money_values(self) -> list[float]:
        return self._figs.money_values

    @property
    def pct_values(self) -> list[float]:
        return self._figs.pct_values

    @property
    def years(self) -> frozenset[int]:
        return self._figs.years

    @property
    def ranges(self) -> frozenset[tuple[int, int]]:
        return self._figs.ranges

    @property
    def dates(self) -> frozenset[tuple[int, int, int]]:
        return self._figs.dates

    @property
    def months(self) -> frozenset[tuple[int, int]]:
        return self._figs.months

    @property
    def times(self) -> frozenset[tuple[int, int]]:
        return self._figs.times

    @functools.cached_property
    def _stems(self) -> list[tuple[int, str]]:
        return content_stems(self.text)

    @functools.cached_property
    def stem_offsets(self) -> tuple[int, ...]:
        return tuple(o for o, _ in self._stems)

    @functools.cached_property
    def stems(self) -> tuple[str, ...]:
        return tuple(w for _, w in self._stems)

    @functools.cached_property
    def stem_counts(self) -> dict[str, int]:
        return dict(Counter(self.stems))

    def context(self, span: tuple[int, int], width: int | None = None) -> set[str]:
        """Content words (stemmed) around a span of the page text."""
        width = _PAGE_CONTEXT if width is None else width
        i = bisect.bisect_left(self.stem_offsets, span[0])
        return set(self.stems[max(0, i - width) : i + width])

    def complete(self) -> PageEvidence:
        """Every part computed now (as every page was before evidence was lazy)."""
        for part in ("squashed", "_bounds", "compact", "words", "lower_words", "acronyms_cf", "_figs"):
            getattr(self, part)
        self.stem_counts  # noqa: B018 - computes the stems
        return self


class MeetingIndex:
    """Evidence for a meeting's pages, built lazily, page by page, and kept.

    A page an item shares with another item (:attr:`~summarise.models.AgendaItem.spans`) is
    evidence for that item's claims only in the item's own part, the text the engines read through
    :meth:`~summarise.models.Meeting.item_pages`: :meth:`item_page` and the ``item`` argument of
    :meth:`pages`, :meth:`seam` and :meth:`cited`. Every other page, and every page searched for
    no item (the synopsis, footnotes), is the whole page.

    Pass one to :func:`verify_summary` to check several summaries of the same meeting without
    re-reading its pages; :meth:`of` keeps one per meeting's content for the process.

    ``exhaustive``: search a claim against every page of a wide scope (the synopsis against the
    whole pack) with complete evidence, as verification did before it was made lazy; the bench
    and the tests compare the two, which must find the same.
    """

    def __init__(self, meeting: Meeting, *, exhaustive: bool = False) -> None:
        self.meeting = meeting
        self.exhaustive = exhaustive
        self._pages: dict[int, PageEvidence] = {}
        self._parts: dict[TextSpan, PageEvidence] = {}
        self._seams: dict[tuple[int, TextSpan | None, TextSpan | None], PageEvidence] = {}
        self._meta: dict[str | None, PageEvidence] = {}
        self._item_texts: ItemTexts | None = None
        self._lower: list[str] | None = None
        self._joined: str | None = None  # every page's lower-case text, joined by "\0"
        self._starts: list[int] = []  # where each page starts in it
        self._hint_pages: dict[str, frozenset[int]] = {}
        # item number -> the pages it shares, each with its own part (an agenda item before a
        # sub-item of the same number)
        self._spans: dict[str, dict[int, TextSpan]] = {}
        for agenda_item in [*meeting.items, *walk_items(meeting.items)]:
            self._spans.setdefault(agenda_item.number, {s.page: s for s in agenda_item.spans})

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingIndex:
        """The process's index for this meeting's content (its pages, items and details): a
        meeting loaded again from an unchanged pack finds the evidence already built."""
        key = fingerprint(meeting)
        with _LOCK:
            index = _INDEXES.pop(key, None) or cls(meeting)
            _INDEXES[key] = index
            while len(_INDEXES) > _KEEP:
                _INDEXES.popitem(last=False)
        return index

    @property
    def indexed_pages(self) -> list[int]:
        """Pages with evidence built so far: whole, an item's part, or a seam's two sides."""
        seams = {n for key in self._seams for n in (key[0], key[0] + 1)}
        return sorted({*self._pages, *(span.page for span in self._parts), *seams})

    def candidates(self, hints: Sequence[str], numbers: Iterable[int]) -> list[int]:
        """Of ``numbers``, the pages whose text (lower case) holds every hint: where to look first."""
        if self._lower is None:
            self._lower = [page.text.lower() for page in self.meeting.pages]
        lower = self._lower
        if not hints or not all(hints):  # no hint, or an empty one: every page holds it
            return [n for n in numbers if 1 <= n <= len(lower) and all(h in lower[n - 1] for h in hints)]
        having = self._having(max(hints, key=len))
        return [n for n in numbers if n in having and all(h in lower[n - 1] for h in hints)]

    def _having(self, hint: str) -> frozenset[int]:
        """The pages whose text (lower case) holds ``hint`` (not empty): one search of the whole
        pack's text, from one hit to the next page."""
        found = self._hint_pages.get(hint)
        if found is None:
            if self._joined is None:
                assert self._lower is not None
                self._joined = "\0".join(self._lower)  # a hint never holds "\0": a hit is on one page
                self._starts = list(itertools.accumulate((len(t) + 1 for t in self._lower[:-1]), initial=0))
            joined, starts, pages = self._joined, self._starts, set()
            at = joined.find(hint)
            while at >= 0:
                number = bisect.bisect_right(starts, at)  # page ``number`` starts at starts[number - 1]
                pages.add(number)
                if number == len(starts):
                    break
                at = joined.find(hint, starts[number])
            found = self._hint_pages[hint] = frozenset(pages)
        return found

    @property
    def item_texts(self) -> ItemTexts:
        """Each item's text as three-word runs, for judging which item a sentence came from."""
        if self._item_texts is None:
            self._item_texts = ItemTexts(self.meeting, exhaustive=self.exhaustive)
        return self._item_texts

    def meta(self, item: str | None) -> PageEvidence:
        """The meeting's details and the item's own title (every title, for the synopsis)."""
        ev = self._meta.get(item)
        if ev is None:
            info = self.meeting.info
            lines = [info.body or "", info.title or "", info.time or "", info.venue or ""]
            if info.date:
                lines.append(info.date.strftime("%d %B %Y"))
            if item is None:  # counts a synopsis may give: "the agenda had 9 items, 6 with papers"
                items = self.meeting.items
                lines.append(f"{len(items)} items; {sum(i.has_papers for i in items)} items with papers")
            for agenda_item in walk_items(self.meeting.items):
                if item is None or agenda_item.number == item:
                    lines.extend(i.title for i in [agenda_item, *walk_items(agenda_item.sub_items)])
            ev = PageEvidence.build(0, "\n".join(lines))
            self._meta[item] = ev
        return ev

    @property
    def page_count(self) -> int:
        return len(self.meeting.pages)

    def page(self, number: int) -> PageEvidence:
        """The whole page."""
        ev = self._pages.get(number)
        if ev is None:
            page = self.meeting.pages[number - 1]
            ev = PageEvidence.build(number, page.text)
            if self.exhaustive:
                ev.complete()
            self._pages[number] = ev
        return ev

    def _span(self, item: str | None, number: int) -> TextSpan | None:
        """The item's part of page ``number`` if it shares that page with another item."""
        return self._spans.get(item, {}).get(number) if item is not None else None

    def item_page(self, item: str | None, number: int) -> PageEvidence:
        """Page ``number`` as evidence for a claim in item ``item``: the item's own part of a page it
        shares with another item, else the whole page."""
        span = self._span(item, number)
        if span is None:
            return self.page(number)
        ev = self._parts.get(span)
        if ev is None:
            ev = PageEvidence.build(number, span.of(self.meeting.pages[number - 1].text))
            if self.exhaustive:
                ev.complete()
            self._parts[span] = ev
        return ev

    def built_first(self, numbers: Iterable[int], item: str | None = None) -> list[int]:
        """The pages, those with evidence built already (for ``item``) first: where to try a claim
        any one page may settle."""
        return sorted(numbers, key=lambda n: not self._built(n, item))  # a stable sort

    def _built(self, number: int, item: str | None) -> bool:
        span = self._span(item, number)
        return number in self._pages if span is None else span in self._parts

    def pages(self, numbers: Iterable[int], item: str | None = None) -> list[PageEvidence]:
        return [self.item_page(item, n) for n in numbers if 1 <= n <= self.page_count]

    def seam(self, number: int, item: str | None = None) -> PageEvidence:
        """The end of page ``number`` joined to the start of the next: for a figure, name or
        quotation cut in two by a page break ("As of October | 2024"). Each side is the item's own
        part of its page where it shares that page."""
        first, second = self._span(item, number), self._span(item, number + 1)
        ev = self._seams.get((number, first, second))
        if ev is None:
            tail = self._text(number, first)[-_SEAM:]
            head = self._text(number + 1, second)[:_SEAM]
            ev = PageEvidence.build(number, tail + "\n" + head)
            if self.exhaustive:
                ev.complete()
            self._seams[(number, first, second)] = ev
        return ev

    def _text(self, number: int, span: TextSpan | None) -> str:
        if span is None:
            return self.page(number).text
        part = self._parts.get(span)
        return part.text if part is not None else _evidence_text(span.of(self.meeting.pages[number - 1].text))

    def cited(self, numbers: Sequence[int], item: str | None = None) -> list[PageEvidence]:
        """Cited pages, plus the seam between each two consecutive cited pages."""
        evs = self.pages(numbers, item)
        wanted = set(numbers)
        evs += [self.seam(n, item) for n in sorted(wanted) if n + 1 in wanted and n + 1 <= self.page_count]
        return evs

    def has_text(self, number: int) -> bool:
        return 1 <= number <= self.page_count and self.meeting.pages[number - 1].has_text


_KEEP = 4  # meetings whose evidence a process keeps
_INDEXES: OrderedDict[str, MeetingIndex] = OrderedDict()
_LOCK = threading.Lock()


def fingerprint(meeting: Meeting) -> str:
    """A hash of the meeting's content: every page's text, its items and details."""
    h = hashlib.sha256(meeting.model_dump_json(exclude={"pages"}).encode())
    for page in meeting.pages:
        h.update(b"\0%d\0" % page.number)
        h.update(page.text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def walk_items(items: Sequence[AgendaItem]) -> Iterable[AgendaItem]:
    """Every agenda item, sub-items after their parent."""
    for item in items:
        yield item
        yield from walk_items(item.sub_items)
