"""Which text belongs to which item, resolved once: items that share a page each get their part.

Agendas and minutes put several items on one page. An item's text runs from its own heading to
the next item's: where an item shares its first page with an earlier item, it starts at the first
line that carries its title; where the next item starts on its last page, it ends before the line
that carries that item's title. Both engines and verification read the result through
:meth:`~summarise.models.Meeting.item_pages`.

A title is found by its first four words (after a decision number such as ``24/00108 -``), in
any case, across any punctuation, at or after the previous item's heading on that page (the same
words higher up, in a preamble, are not the heading). Sibling items whose titles share their first
four words can still be cut at the wrong line; the rule lives here so it can be improved once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarise.models.meeting import AgendaItem, Page, TextSpan

_DECISION_NUMBER = re.compile(r"^\s*\d{2}/\d{4,6}\s*[-–—:]\s*")
_TITLE_WORDS = 4


def clean_title(title: str) -> str:
    """'24/00108 - Revenue and Capital ...' -> 'Revenue and Capital ...'."""
    return " ".join(_DECISION_NUMBER.sub("", title).split())


def title_line(title: str) -> re.Pattern[str] | None:
    """A pattern for the line that carries ``title`` (its first words), or None for an empty title."""
    words = re.findall(r"\w+", clean_title(title))[:_TITLE_WORDS]
    if not words:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def _line_offset(text: str, start: int, pattern: re.Pattern[str] | None) -> int | None:
    """Offset of the first line at or after ``start`` that matches ``pattern``."""
    if pattern is None:
        return None
    offset = start
    for line in text[start:].splitlines(keepends=True):
        if pattern.search(line):
            return offset
        offset += len(line)
    return None


def resolve_spans(pages: Sequence[Page], items: Sequence[AgendaItem]) -> list[AgendaItem]:
    """``items`` with :attr:`~summarise.models.AgendaItem.spans` set where they share a page."""
    ranges = [item.pages_span for item in items]
    resolved: list[AgendaItem] = []
    heading_at: dict[int, int] = {}  # page -> offset of the last item heading found on it
    for position, item in enumerate(items):
        span = ranges[position]
        if span is None:
            resolved.append(item)
            continue
        start, end = span
        if not 0 < start <= len(pages):
            resolved.append(item)
            continue
        end = min(end, len(pages))
        before = any(r is not None and r[1] >= start for r in ranges[:position])
        shares_first = any(
            k != position and r is not None and r[0] <= start <= r[1] for k, r in enumerate(ranges)
        )
        after = [(k, r) for k, r in enumerate(ranges) if k > position and r is not None and r[0] <= end]
        cuts: dict[int, tuple[int, int | None]] = {}
        if before or shares_first:
            # Items are in agenda order: an item's heading comes after the one before it on the page
            # (a title's words may also occur earlier, in a preamble or a neighbour's text).
            floor = heading_at.get(start, 0)
            at = _line_offset(pages[start - 1].text, floor, title_line(item.title))
            if at is not None:
                cuts[start] = (at, None)
                heading_at[start] = at
        if after and after[0][1] is not None and after[0][1][0] == end:
            text = pages[end - 1].text
            begin = cuts.get(end, (0, None))[0]
            at = _line_offset(text, begin, title_line(items[after[0][0]].title))
            if at is not None:
                cuts[end] = (begin, at)
        spans = [TextSpan(page=n, start=s, end=e) for n, (s, e) in sorted(cuts.items())]
        resolved.append(item.model_copy(update={"spans": spans}) if spans else item)
    return resolved
