"""Matching a claim on evidence: is a figure, name, acronym or quotation on these pages, and is a
figure there beside the words the summary uses with it?
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from summarise.text.figures import Figure
from summarise.text.vocab import EVIDENCE_STOPWORDS, MONTH_WORDS, NAME_ROLE_WORDS, TITLES, acronym_base
from summarise.verify.claims import CONNECTOR_WORDS, Claim
from summarise.verify.evidence import PageEvidence, squash

_ELLIPSIS = re.compile(r"\.\.\.|…|\[[^\]]*\]")
_TELLING_MAX = 3  # a word used more often than this on a page says little about where a figure is


def _in_window(values: list[float], value: float, unit: float) -> bool:
    half = unit / 2 + 1e-9 * max(1.0, abs(value))
    i = bisect.bisect_left(values, value - half)
    return i < len(values) and values[i] <= value + half


_TALLY = re.compile(r"(\d{1,3})\s*[-–‐]\s*(\d{1,3})(?:\s*[-–‐]\s*(\d{1,3}))?")


def _tally_on(raw: str, ev: PageEvidence) -> bool:
    """A vote written "7-0" (or "7-0-1") where the minutes give "Yeas: 7 Nays: 0 (Abstentions: 1)"."""
    m = _TALLY.fullmatch(raw.strip())
    if not m:
        return False
    rx = rf"\byeas?\W{{0,3}}{m[1]}\b[\s\S]{{0,60}}?\bnays?\W{{0,3}}{m[2]}\b"
    if m[3] is not None:
        rx += rf"[\s\S]{{0,60}}?\babstentions?\W{{0,3}}{m[3]}\b"
    return bool(re.search(rx, ev.text, re.IGNORECASE))


def _figure_on(fig: Figure, ev: PageEvidence) -> bool:
    if fig.kind in ("range", "code") and _tally_on(fig.raw, ev):
        return True
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


def phrase_on(phrase: str, evs: Sequence[PageEvidence]) -> bool:
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


def acronym_on(token: str, evs: Sequence[PageEvidence], glossary: Mapping[str, str] | None = None) -> bool:
    """On the pages as a token ("KCC", "KPIs"); or, for an acronym the summary's own glossary
    defines, spelt out on the pages ("Medium Term Financial Plan" for "MTFP")."""
    base = acronym_base(token)
    if any(base in ev.acronyms or base.casefold() in ev.acronyms_cf for ev in evs):
        return True
    if glossary is None or base not in glossary:
        return False
    head = re.split(r"[,:;(–—]| - ", glossary[base])[0].strip()
    if len(head.split()) >= 2 and phrase_on(head, evs):
        return True
    letters = [c for c in base if c.isupper()]
    if len(letters) < 3 or len(letters) != len(base):
        return False
    # spelt out on the page: "MTFP" for "Medium Term Financial Plan"
    skip = r"(?:(?:of|and|for|the|&)\s+)?"
    pattern = re.compile(r"\b" + (r"[a-z]+[\s-]+" + skip).join(letters) + r"[a-z]+\b")
    return any(pattern.search(ev.text) for ev in evs)


def quote_on(quote: str, evs: Sequence[PageEvidence]) -> bool:
    joined = "".join(ev.squashed for ev in evs)
    parts = [squash(p) for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if len(p) >= 3]
    return bool(parts) and all(p in joined for p in parts)


def _is_generic(word: str, evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    low = word.lower().rstrip(".").replace("’s", "").replace("'s", "")
    return (
        low in EVIDENCE_STOPWORDS
        or low in TITLES
        or low in MONTH_WORDS
        or low in summary_lower
        or any(low in ev.lower_words for ev in evs)
    )


Piece = tuple[list[str], bool]  # words, and whether they were found as a phrase of 2+ words


def _before_a_name(rest: list[Piece], evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    """Roles ("Leader", "Cabinet Member") may precede a person's name found on the page."""
    for chunk, phrase in rest:
        if phrase:
            return all(not _is_generic(w, evs, summary_lower) for w in chunk)
        if chunk[0].lower() not in NAME_ROLE_WORDS and chunk[0].lower() not in TITLES:
            return False
    return False


def _name_on(words: list[str], evs: Sequence[PageEvidence], summary_lower: frozenset[str]) -> bool:
    """A capitalised run is supported when it is on the pages as a phrase, or when it can be cut
    into phrases that are, joined by connectors, with roles and titles allowed before a name:
    "Council Leader Roger Gough" passes when "Roger Gough" is there; "David Scrivener" does not
    pass because "David" and "Scrivener" are each on the page.
    """
    if phrase_on(" ".join(words), evs):
        return True
    found: dict[tuple[int, int], bool] = {}

    def phrase(i: int, j: int) -> bool:
        if (i, j) not in found:
            found[(i, j)] = phrase_on(" ".join(words[i:j]), evs)
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
        if low in CONNECTOR_WORDS:
            continue
        following = pieces[k + 1] if k + 1 < len(pieces) else None
        if low in TITLES and following is not None:
            nxt = following[0][0]
            if following[1] or (_word_on(nxt, evs) and nxt.lower() not in CONNECTOR_WORDS):
                continue  # "Mr Scrivener", "Cllr Roger Gough"
            return False
        if (
            low in NAME_ROLE_WORDS
            and _before_a_name(pieces[k + 1 :], evs, summary_lower)
            and _word_on(chunk[0], evs)
        ):
            continue  # "Council Leader Roger Gough"
        if k > 0 and pieces[k - 1][0][0].lower().rstrip(".") in TITLES and _word_on(chunk[0], evs):
            continue  # the surname after a title
        return False
    return True


Status = Literal["ok", "context", "missing"]


def _figure_status(claim: Claim, evs: Sequence[PageEvidence]) -> Status:
    """ "ok"; "context" when the value is on the pages but never beside the words used with it
    in the summary (a year or count that happens to occur elsewhere on a busy page); "missing".
    """
    assert claim.figure is not None
    fig = claim.figure
    judged = fig.kind != "code" and bool(claim.context)  # else any page with the value will do
    hit = located = False
    for ev in evs:  # page by page: a later page's figures are not read once one settles it
        if not _figure_on(fig, ev):
            continue
        hit = True
        if not judged or ev.number == 0:
            return "ok"
        # the words used with the figure that are on this page, but not all over it
        telling = {w for w in claim.context if 0 < ev.stem_counts.get(w, 0) <= _TELLING_MAX}
        if not telling:
            return "ok"  # nothing to judge the context by
        for src in ev.figures:
            if _matches(fig, src, ev):
                located = True
                if telling & ev.context(src.span):
                    return "ok"
    if hit:
        return "context" if located else "ok"
    raw = re.sub(r"\s+", "", fig.raw).lower()
    if len(re.sub(r"\D", "", raw)) >= 2 and not re.search(r"[a-z£$€%]", raw):
        # PDF text breaks numbers oddly ("201 9-47"): accept a verbatim hit with spaces removed
        for ev in evs:
            for m in re.finditer(re.escape(raw), ev.compact):
                edge = ev.compact[m.start() - 1 : m.start()] + ev.compact[m.end() : m.end() + 1]
                if not any(c.isdigit() for c in edge):
                    return "ok"
    return "missing"


def figure_settled(claim: Claim, ev: PageEvidence) -> bool:
    """The page alone makes :func:`_figure_status` "ok" whatever pages are searched with it: the
    value is on it, and beside the words used with it (or there is nothing to judge that by)."""
    assert claim.figure is not None
    fig = claim.figure
    if not _figure_on(fig, ev):
        return False
    if fig.kind == "code" or not claim.context or ev.number == 0:
        return True
    telling = {w for w in claim.context if 0 < ev.stem_counts.get(w, 0) <= _TELLING_MAX}
    return not telling or any(_matches(fig, src, ev) and telling & ev.context(src.span) for src in ev.figures)


def claim_status(
    claim: Claim,
    evs: Sequence[PageEvidence],
    summary_lower: frozenset[str],
    glossary: Mapping[str, str] | None = None,
) -> Status:
    """How the pages support a claim: "ok", "context" (a figure's value, but not beside its words)
    or "missing"."""
    if not evs:
        return "missing"
    if claim.kind == "figure":
        return _figure_status(claim, evs)
    return "ok" if claim_on(claim, evs, summary_lower, glossary) else "missing"


def claim_on(
    claim: Claim,
    evs: Sequence[PageEvidence],
    summary_lower: frozenset[str],
    glossary: Mapping[str, str] | None = None,
) -> bool:
    """Do the pages support the claim fully?"""
    if claim.kind == "figure":
        return _figure_status(claim, evs) == "ok"
    if claim.kind == "acronym":
        return acronym_on(claim.text, evs, glossary)
    if claim.kind == "quote":
        return quote_on(claim.text, evs)
    if _name_on(claim.words, evs, summary_lower):
        return True
    if claim.sentence_start and _is_generic(claim.words[0], evs, summary_lower):
        # "Following Cabinet Member..." : the capital may only mark the start of a sentence
        rest = claim.words[1:]
        return len(rest) < 2 or _name_on(rest, evs, summary_lower)
    return False
