"""Footnotes on the first use of each defined term in a summary.

Footnotes are numbered 1, 2, 3 in reading order across the whole summary
(synopsis, then each item's paragraphs, then its key points), each number
used once, on the first use of each defined term. A term the source never
defines gets no footnote: definitions come only from the given mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from summarise.glossary.definitions import Definition
from summarise.models.meeting import Page
from summarise.models.summary import Footnote, MeetingSummary
from summarise.text.vocab import FOOTNOTE_MARKER


def strip_markers(text: str) -> str:
    return FOOTNOTE_MARKER.sub("", text)


def _pattern(term: str) -> re.Pattern[str]:
    section = term.startswith("section ")  # "Section 25 of the ..." opens a sentence as often as not
    flags = 0 if not section and (any(c.isupper() for c in term[1:]) or len(term) <= 5) else re.IGNORECASE
    return re.compile(rf"(?<![\w\-]){re.escape(term)}(?:s|’s|'s)?(?![\w\-])", flags)


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _beside(text: str, start: int, end: int, expansion: str) -> bool:
    """Whether ``expansion`` is printed right beside the term at ``start``-``end``: "Medium Term
    Financial Plan (MTFP)", "MTFP (Medium Term Financial Plan)", or the papers' own sentence."""
    reach = len(expansion) + 12
    window = f" {_flat(text[max(0, start - reach) : end + reach])} "
    return f" {_flat(expansion)} " in window


def _same_sense(text: str) -> str:
    words = [
        w.rstrip("s") for w in _flat(text.replace("&", " and ")).split() if w not in {"and", "of", "the"}
    ]
    return " ".join(words)


def _agreed(definition: Definition) -> bool:
    """Expanded at least twice in the pack, every time to the same words (spelling aside): its
    sense does not depend on which report uses it ("EHCP", unlike "SRP" or "KCP")."""
    senses = definition.senses or ((definition.text, definition.pages),)
    return len(senses) >= 2 and len({_same_sense(text) for text, _ in senses}) == 1


def attach_footnotes(
    summary: MeetingSummary,
    definitions: Mapping[str, Definition],
    pages: Sequence[Page] | None = None,
) -> MeetingSummary:
    """A copy of ``summary`` with ``[^N]`` after the first use of each defined term.

    Existing markers and footnotes are replaced, so applying it twice gives the
    same result. Source definitions win over model-proposed ones for the same term.
    In an item, a term takes the sense defined in that item's pages; a sense
    defined only in another item's papers is used when ``pages`` are given and
    the item's own pages contain its words (papers reuse acronyms: "KCP" is
    "Kent Communities Programme" in one report and the Commissioning Plan in
    the next).
    """
    by_number = {p.number: p for p in pages or ()}
    flat_cache: dict[tuple[int, int], str] = {}

    def item_flat(start: int, end: int) -> str:
        if (start, end) not in flat_cache:
            flat_cache[start, end] = _flat(
                " ".join(by_number[n].text for n in range(start, end + 1) if n in by_number)
            )
        return flat_cache[start, end]

    def sense(term: str, start: int | None, end: int | None) -> Definition | None:
        d = merged[term]
        local = d.near(start, end)
        if local is not None or start is None or end is None or not by_number:
            return local
        here = f" {item_flat(start, end)} "
        for text, pages_ in d.senses or ((d.text, d.pages),):
            if f" {_flat(text)} " in here:
                return replace(d, text=text, pages=pages_)
        if _agreed(d):  # every author in the pack who expands it means the same thing
            return d
        return None

    merged: dict[str, Definition] = {
        f.term: Definition(term=f.term, text=f.definition, pages=tuple(f.pages), origin=f.origin)
        for f in summary.footnotes
    }
    for term, definition in definitions.items():
        current = merged.get(term)
        if current is None or not (current.origin == "source" and definition.origin == "model"):
            merged[term] = definition
    patterns = {term: _pattern(term) for term in sorted(merged, key=lambda t: (-len(t), t))}

    out = summary.model_copy(deep=True)
    footnotes: list[Footnote] = []
    used: set[str] = set()

    def mark(text: str, start: int | None = None, end: int | None = None) -> str:
        text = strip_markers(text)
        hits: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for term, pattern in patterns.items():
            if term in used or not pattern.search(text):
                continue
            found = sense(term, start, end)
            if found is None:
                continue  # defined only in another item's papers: that sense may not apply here
            first = pattern.search(text)
            if first and _beside(text, first.start(), first.end(), found.text):
                used.add(term)  # the expansion is printed beside it: the reader has it already
                continue
            for m in pattern.finditer(text):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue  # inside a longer term already matched
                hits.append((m.end(), term))
                taken.append((m.start(), m.end()))
                break
        numbers: dict[str, int] = {}
        for _, term in sorted(hits):
            used.add(term)
            d = sense(term, start, end)
            assert d is not None
            numbers[term] = len(footnotes) + 1
            footnotes.append(
                Footnote(
                    number=numbers[term],
                    term=d.term,
                    definition=d.text,
                    pages=list(d.pages),
                    origin=d.origin,
                )
            )
        for at, term in sorted(hits, reverse=True):
            text = f"{text[:at]}[^{numbers[term]}]{text[at:]}"
        return text

    out.synopsis = mark(out.synopsis)
    for item in out.items:
        for paragraph in item.paragraphs:
            paragraph.text = mark(paragraph.text, item.start_page, item.end_page)
        for point in item.key_points:
            point.text = mark(point.text, item.start_page, item.end_page)
    out.footnotes = footnotes
    return out
