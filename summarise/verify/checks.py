"""Model-free faithfulness checks: every figure, name, acronym and quotation in a summary must be
found in the pages it cites.

Where to look: a paragraph or key point is checked against the pages it cites (and the seam
between two consecutive cited pages); with no citations, against its item's pages; the synopsis
against the whole pack. The meeting's own details (body, date, time, venue, the item's title)
count as evidence everywhere.

What a claim not found there becomes:

* on a page next to the cited ones: a ``citation`` warning (sentences run over page breaks);
* a figure on the cited pages, but never beside the words the summary uses with it (a year or
  count that happens to occur elsewhere on a busy page): a ``figure`` warning;
* a figure only elsewhere in the item: a ``figure`` error that names the page; a name, acronym or
  quotation only elsewhere in the item: a ``citation`` warning;
* nowhere: a ``figure`` or ``quote`` error, a ``name`` or ``acronym`` warning.

Source footnotes are checked against the pages they cite (share of their words found there).
``summarise run --strict`` and ``summarise verify`` fail on figure errors
(:attr:`~summarise.models.summary.Verification.unsupported_figures`).

>>> from summarise.verify.checks import verify_summary
>>> result = verify_summary(summary, meeting)  # doctest: +SKIP
>>> [f.text for f in result.unsupported_figures]  # doctest: +SKIP
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from summarise.models.meeting import AgendaItem, Meeting
from summarise.models.summary import Finding, ItemSummary, MeetingSummary, Verification
from summarise.text.figures import MONTHS, Figure, clean_text, find_figures

logger = logging.getLogger(__name__)

Severity = Literal["error", "warning", "info"]

# --- text helpers ------------------------------------------------------------------------------------

_SQUASH = re.compile(r"[^0-9a-z]+")
_PAGE_FOOTER = re.compile(r"^\s*(?:Page|Pg\.?)\s+\d+(?:\s+of\s+\d+)?\s*$", re.IGNORECASE | re.MULTILINE)
_PAGE_FOOTER_INLINE = re.compile(r"\bPage\s+\d+\s+of\s+\d+\b", re.IGNORECASE)
_LONE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
_ACRONYM = re.compile(r"(?<![\w&-])[A-Z][A-Za-z&]*[A-Z](?:s|'s|’s)?(?![\w&])")
_REF_TARGET = r"(?:[A-Z]?\d+[a-z]?(?:\.\d+)*|[A-Z](?![\w]))"
_REFERENCE = re.compile(
    r"\[\^\d+\]"  # footnote markers
    r"|\[\d+(?:\s*[-,]\s*\d+)*\]"  # bracketed page citations
    r"|\b(?:agenda\s+)?(?:items?|pages?|pp?\.|pg\.?|p(?=\d)|paragraphs?|paras?\.?|appendi(?:x|ces)|"
    r"annex(?:es)?)\s*"
    rf"{_REF_TARGET}(?:\s*(?:-|to|,|and|&)\s*{_REF_TARGET})*",
    re.IGNORECASE,
)
_QUOTES = re.compile(
    r"\"(?P<a>[^\"]{2,400}?)\""
    r"|“(?P<b>[^“”]{2,400}?)”"
    r"|(?<![\w])‘(?P<c>.{2,400}?)’(?![\w])"
    r"|(?<![\w])'(?P<d>[^'\n]{2,400}?)'(?![\w])",
    re.DOTALL,
)
_ELLIPSIS = re.compile(r"\.\.\.|…|\[[^\]]*\]")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;•\n(\[\"“‘]|-\s)\s*$")
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "cllr", "councillor", "councilor", "sir", "dame", "lord", "lady",
    "prof", "professor", "rev", "mayor",
}  # fmt: skip
_CONNECTORS = r"(?:of|and|for|the|&|de|la|le|du|von|van|upon|y)"
_LETTERS = r"[^\W\d_'’]*"
_CAP_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|St|Prof|Rev|Cllr)\.|[A-Z]\.(?=\s[A-Z])"
    rf"|[A-Z]{_LETTERS}(?:['’][a-z]+)?(?:-[A-Za-z]{_LETTERS})*)(?![\w])"
)
_RUN = re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:{_CONNECTORS}[ \t]+)*{_CAP_WORD})*")
_STOPWORDS = frozenset(
    """a about above after again against all also although an and any are as at be because been
    before being below between both but by can could did do does doing down during each either
    every few following for from further had has have having he her here hers him his how however
    i if in including into is it its itself last many may more most much must my next no nor not
    now of off on once only or other our out over overall own per same she should since so some
    such than that the their theirs them then there these they this those through to too under
    until up upon very was we were what when where whether which while who whom why will with
    within without would yet you your meanwhile additionally finally first second third new""".split()  # noqa: SIM905
)
_MONTH_WORDS = frozenset(MONTHS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip


def squash(text: str) -> str:
    """Lower case letters and digits only: "Kent County-\\nCouncil’s" -> "kentcountycouncil"."""
    return _SQUASH.sub("", text.lower().replace("’s", "").replace("'s", ""))


_ALNUM = re.compile(r"[0-9]+|[a-z]+")


def squash_words(text: str) -> tuple[str, frozenset[int], frozenset[int]]:
    """:func:`squash`, with the squashed offsets where words start and end, so that a phrase can
    be matched across line breaks and hyphenation but not inside a longer word."""
    parts: list[str] = []
    starts: set[int] = set()
    ends: set[int] = set()
    pos = 0
    for m in _ALNUM.finditer(text.lower().replace("’s", "").replace("'s", "")):
        starts.add(pos)
        parts.append(m[0])
        pos += len(m[0])
        ends.add(pos)
    return "".join(parts), frozenset(starts), frozenset(ends)


def _evidence_text(text: str) -> str:
    """Page text without "Page N" footers or a lone page number on the first or last line."""
    text = clean_text(text)
    text = _PAGE_FOOTER.sub(" ", text)
    text = _PAGE_FOOTER_INLINE.sub(" ", text)
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


def _acronym_base(token: str) -> str:
    for suffix in ("'s", "’s"):
        token = token.removesuffix(suffix)
    if token.endswith("s") and sum(c.isupper() for c in token[:-1]) >= 2:
        token = token[:-1]
    return token


def _mask(text: str, spans: Iterable[tuple[int, int]], fill: str = " ") -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = fill * (end - start)
    return "".join(chars)


_CURRENCY_HEADER = re.compile(r"(?<![\w£$€])[£$€](?!\s?[\d.])|\((?:£|\$|€|GBP|USD)\)")
_CONTENT = re.compile(r"[A-Za-z][A-Za-z'’]{2,}")
_CLAIM_CONTEXT = 10  # content words either side of a figure in the summary
_PAGE_CONTEXT = 20  # ... and either side of its occurrence on the page
_SEAM = 400  # characters either side of a page break joined into one piece of evidence
_TELLING_MAX = 3  # a word used more often than this on a page says little about where a figure is


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> list[tuple[int, str]]:
    """(offset, stem) of each content word: no stop words, no month names."""
    out = []
    for m in _CONTENT.finditer(text):
        low = m[0].lower().replace("’s", "").replace("'s", "")
        if low not in _STOPWORDS and low not in _MONTH_WORDS:
            out.append((m.start(), _stem(low)))
    return out


# --- the evidence index ------------------------------------------------------------------------------

_SCALE_MARKERS = (
    (1e3, re.compile(r"[£$€]\s?'?000|[£$€]\s?k\b|\b000s\b|\bin thousands\b|[£$€]\s?thousands?\b", re.I)),
    (1e6, re.compile(r"[£$€]\s?m\b|[£$€]\s?millions?\b|\bin millions\b", re.I)),
    (1e9, re.compile(r"[£$€]\s?bn\b|[£$€]\s?billions?\b|\bin billions\b", re.I)),
)


@dataclass
class PageEvidence:
    """What one page can support, computed once per page."""

    number: int
    text: str
    squashed: str
    word_starts: frozenset[int]
    word_ends: frozenset[int]
    compact: str
    words: frozenset[str]
    lower_words: frozenset[str]
    acronyms: frozenset[str]
    acronyms_cf: frozenset[str]
    any_values: list[float]
    money_values: list[float]
    pct_values: list[float]
    years: frozenset[int]
    ranges: frozenset[tuple[int, int]]
    dates: frozenset[tuple[int, int, int]]
    months: frozenset[tuple[int, int]]
    times: frozenset[tuple[int, int]]
    figures: tuple[Figure, ...] = ()
    scales: tuple[float, ...] = ()
    stem_offsets: tuple[int, ...] = ()
    stems: tuple[str, ...] = ()
    stem_counts: dict[str, int] = field(default_factory=dict)

    def context(self, span: tuple[int, int], width: int | None = None) -> set[str]:
        """Content words (stemmed) around a span of the page text."""
        width = _PAGE_CONTEXT if width is None else width
        i = bisect.bisect_left(self.stem_offsets, span[0])
        return set(self.stems[max(0, i - width) : i + width])

    @classmethod
    def build(cls, number: int, raw: str) -> PageEvidence:
        text = _evidence_text(raw)
        figures = find_figures(text, source=True)
        money: list[float] = []
        pct: list[float] = []
        years: set[int] = set()
        ranges: set[tuple[int, int]] = set()
        dates: set[tuple[int, int, int]] = set()
        months: set[tuple[int, int]] = set()
        times: set[tuple[int, int]] = set()
        scales = [scale for scale, rx in _SCALE_MARKERS if rx.search(text)]
        for f in figures:
            if f.kind in ("money", "count"):
                money.append(f.value)
            elif f.kind == "percent":
                pct.append(f.value)
            elif f.kind == "year":
                years.add(int(f.value))
            elif f.kind == "range":
                a, b = f.key
                ranges.add((a, b))
                # "2025 to 2028" names both years; "2025-26" is a year starting in 2025
                years.update((a, b) if re.search(r"\d{4}\D+\d{4}", f.raw) else (a,))
            elif f.kind == "date":
                d, m, y = f.key
                if f.raw[0].isdigit() and ("/" in f.raw or "." in f.raw):
                    for dd, mm in ((d, m), (m, d)):
                        if 1 <= mm <= 12 and 1 <= dd <= 31:
                            dates.add((dd, mm, y))
                            months.add((mm, y))
                else:
                    dates.add((d, m, y))
                    if y:
                        months.add((m, y))
                if y:
                    years.add(y)
            elif f.kind == "month":
                months.add((f.key[0], f.key[1]))
                years.add(f.key[1])
            elif f.kind == "time":
                times.add((f.key[0], f.key[1]))
        anyv = sorted({*money, *(float(y) for y in years)})  # a count is not a percentage
        words = _WORD.findall(text)
        acr = {_acronym_base(a) for a in _ACRONYM.findall(text)}
        stems = content_stems(text)
        squashed, starts, ends = squash_words(text)
        if not _CURRENCY_HEADER.search(text):
            # a bare number supports a sum of money only under a currency heading, or with a scale
            # word of its own ("500k", "1.2 million")
            money = [f.value for f in figures if f.kind == "money" or (f.kind == "count" and f.unit >= 1000)]
        for f in figures:
            if f.kind == "count":
                money.extend(f.value * scale for scale in scales)  # tables headed "£m", "£000"
        return cls(
            number=number,
            text=text,
            squashed=squashed,
            word_starts=starts,
            word_ends=ends,
            compact=re.sub(r"\s+", "", text).lower(),
            words=frozenset(squash(w) for w in set(words)),
            lower_words=frozenset(w.lower() for w in words if w[0].islower()),
            acronyms=frozenset(acr),
            acronyms_cf=frozenset(a.casefold() for a in acr),
            any_values=anyv,
            money_values=sorted(set(money)),
            pct_values=sorted(set(pct)),
            years=frozenset(years),
            ranges=frozenset(ranges),
            dates=frozenset(dates),
            months=frozenset(months),
            times=frozenset(times),
            figures=tuple(figures),
            scales=tuple(scales),
            stem_offsets=tuple(o for o, _ in stems),
            stems=tuple(w for _, w in stems),
            stem_counts=dict(Counter(w for _, w in stems)),
        )


class MeetingIndex:
    """Evidence for a meeting's pages, built lazily, page by page, and kept.

    Pass one to :func:`verify_summary` to check several summaries of the same meeting without
    re-reading its pages.
    """

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self._pages: dict[int, PageEvidence] = {}
        self._seams: dict[int, PageEvidence] = {}
        self._meta: dict[str | None, PageEvidence] = {}

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
            for agenda_item in _walk(self.meeting.items):
                if item is None or agenda_item.number == item:
                    lines.extend(i.title for i in [agenda_item, *_walk(agenda_item.sub_items)])
            ev = PageEvidence.build(0, "\n".join(lines))
            self._meta[item] = ev
        return ev

    @property
    def page_count(self) -> int:
        return len(self.meeting.pages)

    def page(self, number: int) -> PageEvidence:
        ev = self._pages.get(number)
        if ev is None:
            page = self.meeting.pages[number - 1]
            ev = PageEvidence.build(number, page.text)
            self._pages[number] = ev
        return ev

    def pages(self, numbers: Iterable[int]) -> list[PageEvidence]:
        return [self.page(n) for n in numbers if 1 <= n <= self.page_count]

    def seam(self, number: int) -> PageEvidence:
        """The end of page ``number`` joined to the start of the next: for a figure, name or
        quotation cut in two by a page break ("As of October | 2024")."""
        ev = self._seams.get(number)
        if ev is None:
            tail = _evidence_text(self.meeting.pages[number - 1].text)[-_SEAM:]
            head = _evidence_text(self.meeting.pages[number].text)[:_SEAM]
            ev = PageEvidence.build(number, tail + "\n" + head)
            self._seams[number] = ev
        return ev

    def cited(self, numbers: Sequence[int]) -> list[PageEvidence]:
        """Cited pages, plus the seam between each two consecutive cited pages."""
        evs = self.pages(numbers)
        wanted = set(numbers)
        evs += [self.seam(n) for n in sorted(wanted) if n + 1 in wanted and n + 1 <= self.page_count]
        return evs

    def has_text(self, number: int) -> bool:
        return 1 <= number <= self.page_count and self.meeting.pages[number - 1].has_text


def _walk(items: Sequence[AgendaItem]) -> Iterable[AgendaItem]:
    for item in items:
        yield item
        yield from _walk(item.sub_items)


# --- matching claims against evidence ----------------------------------------------------------------


def _in_window(values: list[float], value: float, unit: float) -> bool:
    half = unit / 2 + 1e-9 * max(1.0, abs(value))
    i = bisect.bisect_left(values, value - half)
    return i < len(values) and values[i] <= value + half


def _figure_on(fig: Figure, ev: PageEvidence) -> bool:
    if fig.kind == "money":
        return _in_window(ev.money_values, fig.value, fig.unit)
    if fig.kind == "percent":
        return _in_window(ev.pct_values, fig.value, fig.unit)
    if fig.kind == "count":
        return _in_window(ev.any_values, fig.value, fig.unit)
    if fig.kind == "year":
        return int(fig.value) in ev.years
    if fig.kind == "range":
        a, b = fig.key
        if (a, b) in ev.ranges:
            return True
        return not re.search(r"[-/]", fig.raw) and a in ev.years and b in ev.years
    if fig.kind == "date":
        d, m, y = fig.key
        orders = [(d, m)]
        if fig.raw[0].isdigit() and (d <= 12 or m > 12):
            orders.append((m, d))
        for dd, mm in orders:
            if y and (dd, mm, y) in ev.dates:
                return True
            # "30th January" with 2025 elsewhere on the page, unless the page dates it otherwise
            other_year = any(k[:2] == (dd, mm) and k[2] not in (0, y) for k in ev.dates)
            if (dd, mm, 0) in ev.dates and (not y or (y in ev.years and not other_year)):
                return True
            if not y and any(k[:2] == (dd, mm) for k in ev.dates):
                return True
        return False
    if fig.kind == "month":
        return (fig.key[0], fig.key[1]) in ev.months
    if fig.kind == "time":
        return (fig.key[0], fig.key[1]) in ev.times
    # codes: "24/00108", "Q2", "KS2", "18-25"
    raw = fig.raw.lower()
    for hay in (ev.text.lower(), ev.compact):
        for hit in re.finditer(re.escape(raw), hay):
            before = hay[hit.start() - 1 : hit.start()]
            after = hay[hit.end() : hit.end() + 1]
            if not (before.isalnum() or after.isalnum()):
                return True
    return any(re.search(alt, ev.text, re.IGNORECASE) for alt in _code_variants(raw))


def _code_variants(raw: str) -> list[str]:
    """Other ways a page writes the same thing: "Q2" as "Quarter 2", "18-25" as "18 to 25",
    "24/00108" as "24-00108"."""
    if m := re.fullmatch(r"q([1-4])", raw):
        return [
            rf"\bquarter\s+{m[1]}\b",
            rf"\b{['first', 'second', 'third', 'fourth'][int(m[1]) - 1]}\s+quarter\b",
        ]
    parts = re.split(r"[-/]", raw)
    if len(parts) > 1 and all(p.isdigit() for p in parts):
        joiner = r"\s*(?:[-/]|to|and)\s*" if len(parts) == 2 else r"\s*[-/]\s*"
        return [r"(?<![\d.,])" + joiner.join(parts) + r"(?!\d)"]
    return []


def _matches(fig: Figure, src: Figure, ev: PageEvidence) -> bool:
    """Does this one occurrence on the page support the claim? (Same rules as :func:`_figure_on`.)"""
    half = fig.unit / 2 + 1e-9 * max(1.0, abs(fig.value))
    if fig.kind in ("money", "count", "percent"):
        if (fig.kind == "percent") != (src.kind == "percent"):
            return False
        if src.kind not in ("money", "count", "percent"):
            return fig.kind == "count" and src.kind == "year" and abs(src.value - fig.value) <= half
        values = [src.value] + ([src.value * s for s in ev.scales] if src.kind == "count" else [])
        return any(abs(v - fig.value) <= half for v in values)
    if fig.kind == "year":
        y = int(fig.value)
        if src.kind == "year":
            return int(src.value) == y
        if src.kind == "range":
            return src.key[0] == y or (src.key[1] == y and bool(re.search(r"\d{4}\D+\d{4}", src.raw)))
        if src.kind == "date":
            return src.key[2] == y
        if src.kind == "month":
            return src.key[1] == y
        return False
    if fig.kind == "range":
        return src.kind == "range" and src.key == fig.key
    if fig.kind == "date":
        if src.kind != "date":
            return False
        d, m, y = fig.key
        sd, sm, sy = src.key
        pairs = {(sd, sm)} | ({(sm, sd)} if src.raw[0].isdigit() else set())
        orders = {(d, m)} | ({(m, d)} if fig.raw[0].isdigit() else set())
        return bool(pairs & orders) and (not y or not sy or y == sy)
    if fig.kind == "month":
        return (src.kind == "month" and src.key == fig.key) or (
            src.kind == "date" and (src.key[1], src.key[2]) == fig.key
        )
    if fig.kind == "time":
        return src.kind == "time" and src.key == fig.key
    return False


def _phrase_on(phrase: str, evs: Sequence[PageEvidence]) -> bool:
    key = squash(phrase)
    if not key:
        return False
    for ev in evs:
        i = ev.squashed.find(key)
        while i >= 0:
            if i in ev.word_starts and i + len(key) in ev.word_ends:
                return True
            i = ev.squashed.find(key, i + 1)
    return False


def _word_on(word: str, evs: Sequence[PageEvidence]) -> bool:
    key = squash(word)
    return any(key in ev.words for ev in evs)


def _acronym_on(token: str, evs: Sequence[PageEvidence], glossary: Mapping[str, str] | None = None) -> bool:
    """On the pages as a token ("KCC", "KPIs"); or, for an acronym the summary's own glossary
    defines, spelt out on the pages ("Medium Term Financial Plan" for "MTFP")."""
    base = _acronym_base(token)
    if any(base in ev.acronyms or base.casefold() in ev.acronyms_cf for ev in evs):
        return True
    if glossary is None or base not in glossary:
        return False
    head = re.split(r"[,:;(–—]| - ", glossary[base])[0].strip()
    if len(head.split()) >= 2 and _phrase_on(head, evs):
        return True
    letters = [c for c in base if c.isupper()]
    if len(letters) < 3 or len(letters) != len(base):
        return False
    # spelt out on the page: "MTFP" for "Medium Term Financial Plan"
    skip = r"(?:(?:of|and|for|the|&)\s+)?"
    pattern = re.compile(r"\b" + (r"[a-z]+[\s-]+" + skip).join(letters) + r"[a-z]+\b")
    return any(pattern.search(ev.text) for ev in evs)


def _quote_on(quote: str, evs: Sequence[PageEvidence]) -> bool:
    joined = "".join(ev.squashed for ev in evs)
    parts = [squash(p) for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if len(p) >= 3]
    return bool(parts) and all(p in joined for p in parts)


def _is_generic(word: str, evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    low = word.lower().rstrip(".").replace("’s", "").replace("'s", "")
    return (
        low in _STOPWORDS
        or low in _TITLES
        or low in _MONTH_WORDS
        or low in summary_lower
        or any(low in ev.lower_words for ev in evs)
    )


_ROLE_WORDS = frozenset(
    """leader deputy member members cabinet council councillor councilor chair chairman chairwoman
    chairperson vice director officer head executive chief manager commissioner mayor secretary clerk
    treasurer president minister portfolio holder lead committee board group corporate interim
    acting strategic assistant senior principal""".split()  # noqa: SIM905
)


Piece = tuple[list[str], bool]  # words, and whether they were found as a phrase of 2+ words


def _before_a_name(rest: list[Piece], evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    """Roles ("Leader", "Cabinet Member") may precede a person's name found on the page."""
    for chunk, phrase in rest:
        if phrase:
            return all(not _is_generic(w, evs, summary_lower) for w in chunk)
        if chunk[0].lower() not in _ROLE_WORDS and chunk[0].lower() not in _TITLES:
            return False
    return False


def _name_on(words: list[str], evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    """A capitalised run is supported when it is on the pages as a phrase, or when it can be cut
    into phrases that are, joined by connectors, with roles and titles allowed before a name:
    "Council Leader Roger Gough" passes when "Roger Gough" is there; "David Scrivener" does not
    pass because "David" and "Scrivener" are each on the page.
    """
    if _phrase_on(" ".join(words), evs):
        return True
    found: dict[tuple[int, int], bool] = {}

    def phrase(i: int, j: int) -> bool:
        if (i, j) not in found:
            found[(i, j)] = _phrase_on(" ".join(words[i:j]), evs)
        return found[(i, j)]

    def covers(i: int) -> Iterator[list[Piece]]:
        if i == len(words):
            yield []
            return
        for j in range(len(words), i + 1, -1):
            if phrase(i, j):
                for rest in covers(j):
                    yield [(words[i:j], True), *rest]
        for rest in covers(i + 1):
            yield [([words[i]], False), *rest]

    for tried, pieces in enumerate(covers(0)):
        if _cover_ok(pieces, evs, summary_lower):
            return True
        if tried >= 64:
            break
    return False


def _cover_ok(pieces: list[Piece], evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    for k, (chunk, is_phrase) in enumerate(pieces):
        if is_phrase:
            continue
        low = chunk[0].lower().rstrip(".")
        if low in _CONNECTOR_WORDS:
            continue
        following = pieces[k + 1] if k + 1 < len(pieces) else None
        if low in _TITLES and following is not None:
            nxt = following[0][0]
            if following[1] or (_word_on(nxt, evs) and nxt.lower() not in _CONNECTOR_WORDS):
                continue  # "Mr Scrivener", "Cllr Roger Gough"
            return False
        if (
            low in _ROLE_WORDS
            and _before_a_name(pieces[k + 1 :], evs, summary_lower)
            and _word_on(chunk[0], evs)
        ):
            continue  # "Council Leader Roger Gough"
        if k > 0 and pieces[k - 1][0][0].lower().rstrip(".") in _TITLES and _word_on(chunk[0], evs):
            continue  # the surname after a title
        return False
    return True


_CONNECTOR_WORDS = frozenset(
    ["of", "and", "for", "the", "&", "de", "la", "le", "du", "von", "van", "upon", "y"]
)


# --- claims in a piece of summary text ---------------------------------------------------------------


@dataclass
class Claim:
    kind: Literal["figure", "name", "acronym", "quote"]
    text: str
    figure: Figure | None = None
    words: list[str] = field(default_factory=list)
    sentence_start: bool = False
    context: frozenset[str] = frozenset()


def _split_possessive(words: list[str]) -> list[list[str]]:
    """ "Kent County Council’s Cabinet Member" -> ["Kent County Council"], ["Cabinet Member"]."""
    groups: list[list[str]] = [[]]
    for w in words:
        base = re.sub(r"['’]s$|s['’]$", "", w)
        groups[-1].append(base)
        if base != w:
            groups.append([])
    out = []
    for g in groups:
        while g and (g[0].lower() in _CONNECTOR_WORDS or g[0].lower() in _MONTH_WORDS):
            g = g[1:]
        while g and g[-1].lower() in _CONNECTOR_WORDS:
            g = g[:-1]
        if g:
            out.append(g)
    return out


def extract_claims(text: str, summary_lower: frozenset[str] = frozenset()) -> list[Claim]:
    """The checkable claims in one piece of summary text, in order."""
    text = clean_text(text)
    masked = _mask(text, (m.span() for m in _REFERENCE.finditer(text)))
    claims: list[Claim] = []
    quote_spans: list[tuple[int, int]] = []
    for m in _QUOTES.finditer(masked):
        inner = next(g for g in m.groups() if g is not None)
        if len(squash(inner)) >= 3:
            claims.append(Claim("quote", inner.strip()))
            quote_spans.append(m.span())
    masked = _mask(masked, quote_spans)
    breaks: list[tuple[int, int]] = []
    stems = content_stems(masked)
    offsets = [o for o, _ in stems]
    for fig in find_figures(masked):
        i = bisect.bisect_left(offsets, fig.span[0])
        context = frozenset(w for _, w in stems[max(0, i - _CLAIM_CONTEXT) : i + _CLAIM_CONTEXT])
        claims.append(Claim("figure", fig.raw, figure=fig, context=context))
        breaks.append(fig.span)
    for m in _ACRONYM.finditer(masked):
        claims.append(Claim("acronym", m[0]))
        breaks.append(m.span())
    names_text = _mask(masked, breaks, fill="¦")
    for m in _RUN.finditer(names_text):
        words = m[0].split()
        start = bool(_SENTENCE_END.search(names_text, 0, m.start()))
        if start and words:
            first = words[0].lower().rstrip(".")
            if first not in _TITLES and (
                first in _STOPWORDS or first in summary_lower or first in _MONTH_WORDS
            ):
                words = words[1:]
                start = False
        while words and words[0].lower() in _CONNECTOR_WORDS:
            words = words[1:]
        while words and words[-1].lower() in _CONNECTOR_WORDS:
            words = words[:-1]
        words = [w.rstrip(".") if w.lower().rstrip(".") not in _TITLES else w for w in words]
        for group in _split_possessive(words):
            content = [w for w in group if w.lower() not in _CONNECTOR_WORDS]
            if len(content) < 2 or all(w.lower().rstrip(".") in _MONTH_WORDS for w in content):
                start = False
                continue
            claims.append(Claim("name", " ".join(group), words=group, sentence_start=start))
            start = False
    return claims


# --- the check ---------------------------------------------------------------------------------------

_SEVERITY: dict[str, Severity] = {
    "figure": "error",
    "quote": "error",
    "name": "warning",
    "acronym": "warning",
}


Status = Literal["ok", "context", "missing"]


def _figure_status(claim: Claim, evs: Sequence[PageEvidence]) -> Status:
    """ "ok"; "context" when the value is on the pages but never beside the words used with it
    in the summary (a year or count that happens to occur elsewhere on a busy page); "missing".
    """
    assert claim.figure is not None
    fig = claim.figure
    hits = [ev for ev in evs if _figure_on(fig, ev)]
    if not hits:
        raw = re.sub(r"\s+", "", fig.raw).lower()
        if len(re.sub(r"\D", "", raw)) >= 2 and not re.search(r"[a-z£$€%]", raw):
            # PDF text breaks numbers oddly ("201 9-47"): accept a verbatim hit with spaces removed
            for ev in evs:
                for m in re.finditer(re.escape(raw), ev.compact):
                    edge = ev.compact[m.start() - 1 : m.start()] + ev.compact[m.end() : m.end() + 1]
                    if not any(c.isdigit() for c in edge):
                        return "ok"
        return "missing"
    if fig.kind == "code" or not claim.context or any(ev.number == 0 for ev in hits):
        return "ok"
    located = False
    for ev in hits:
        # the words used with the figure that are on this page, but not all over it
        telling = {w for w in claim.context if 0 < ev.stem_counts.get(w, 0) <= _TELLING_MAX}
        if not telling:
            return "ok"  # nothing to judge the context by
        for src in ev.figures:
            if _matches(fig, src, ev):
                located = True
                if telling & ev.context(src.span):
                    return "ok"
    return "context" if located else "ok"


def _claim_status(
    claim: Claim,
    evs: Sequence[PageEvidence],
    summary_lower: frozenset[str],
    glossary: Mapping[str, str] | None = None,
) -> Status:
    if not evs:
        return "missing"
    if claim.kind == "figure":
        return _figure_status(claim, evs)
    return "ok" if _claim_on(claim, evs, summary_lower, glossary) else "missing"


def _claim_on(
    claim: Claim,
    evs: Sequence[PageEvidence],
    summary_lower: frozenset[str],
    glossary: Mapping[str, str] | None = None,
) -> bool:
    if claim.kind == "figure":
        return _figure_status(claim, evs) == "ok"
    if claim.kind == "acronym":
        return _acronym_on(claim.text, evs, glossary)
    if claim.kind == "quote":
        return _quote_on(claim.text, evs)
    if _name_on(claim.words, evs, summary_lower):
        return True
    if claim.sentence_start and _is_generic(claim.words[0], evs, summary_lower):
        # "Following Cabinet Member..." : the capital may only mark the start of a sentence
        rest = claim.words[1:]
        return len(rest) < 2 or _name_on(rest, evs, summary_lower)
    return False


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
            lower.update(w.lower() for w in _WORD.findall(t) if w[0].islower())
        self.summary_lower = frozenset(lower)
        self.glossary = {note.term: note.definition for note in summary.footnotes}
        self._items = {item.number: item for item in _walk(index.meeting.items)}

    def item_pages(self, item: ItemSummary) -> list[int]:
        if item.start_page is not None and item.end_page is not None:
            return list(range(item.start_page, item.end_page + 1))
        source = self._items.get(item.number)
        if source is not None and source.has_papers:
            return list(source.page_range)
        return []

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

    def _first_page_with(self, claim: Claim, pages: Sequence[int]) -> int | None:
        for n in pages:
            if _claim_on(claim, [self.index.page(n)], self.summary_lower, self.glossary):
                return n
        return None

    def check_text(self, text: str, scope: _Scope, where: str | None) -> None:
        claims = extract_claims(text, self.summary_lower)
        if not claims:
            return
        primary = [self.index.meta(where), *self.index.cited(scope.primary)]
        for claim in claims:
            self.checked += 1
            status = _claim_status(claim, primary, self.summary_lower, self.glossary)
            if status == "ok":
                continue
            finding = Finding(kind=claim.kind, text=claim.text, item=where, pages_searched=scope.primary)
            near = self._first_page_with(claim, scope.near)
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
            far = self._first_page_with(claim, scope.rest)
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
            self.findings.append(finding)

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
            term_ok = _phrase_on(note.term, evs) or _acronym_on(note.term, evs, self.glossary)
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
    tokens = [_stem(t) for t in words if t not in _STOPWORDS and len(t) >= 3]
    if not tokens:
        return 1.0
    page_tokens = {_stem(t) for ev in evs for t in _TOKEN.findall(ev.text.lower())}
    return sum(t in page_tokens for t in tokens) / len(tokens)


def verify_summary(
    summary: MeetingSummary, meeting: Meeting, *, index: MeetingIndex | None = None
) -> Verification:
    """Check every figure, name, acronym, quotation and source footnote against the pages.

    Pure: reads ``summary`` and ``meeting`` and returns a new :class:`Verification`.
    """
    index = index if index is not None and index.meeting is meeting else MeetingIndex(meeting)
    checker = _Checker(summary, index)
    checker.check_text(summary.synopsis, checker.scope([], None, None), None)
    for item in summary.items:
        where = item.number
        for cited in [*item.paragraphs, *item.key_points]:
            checker.check_text(cited.text, checker.scope(cited.pages, item, where), where)
        if item.note:
            checker.check_text(item.note, checker.scope([], item, where), where)
        if item.presenter is not None:
            text = item.presenter.name + (f", {item.presenter.role}" if item.presenter.role else "")
            checker.check_text(text, checker.scope([], item, where), where)
    checker.check_footnotes()
    logger.debug("verified %d claims: %d findings", checker.checked, len(checker.findings))
    return Verification(checked=checker.checked, findings=checker.findings)
