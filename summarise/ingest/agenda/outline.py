"""Judge a PDF outline: is it an agenda (one bookmark per item, appendices nested)?

Bookmarks are often something else entirely: tagged headings, amounts, file
names. An outline counts as an agenda when, at some level, its entries after
any front matter ("Agenda", a covering letter) are numbered like agenda items,
the numbers rise and the pages never go back.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from summarise.ingest.agenda.headings import roman_value
from summarise.ingest.pdf import OutlineEntry

_NUMBERED = re.compile(
    r"^(?:agenda\s+)?(?:item\s+)?(?P<num>\d{1,3}[a-z]?|[IVXL]{1,6}(?=[.)]))[.):]?\s+(?:[-–—]\s+)?(?P<title>\S.*)$",
    re.IGNORECASE,
)
_MAX_STRAYS_SHARE = 0.2


@dataclass
class OutlineItem:
    number: str
    title: str
    page: int  # absolute pack page
    documents: list[OutlineEntry] = field(default_factory=list)


@dataclass
class OutlineAgenda:
    items: list[OutlineItem]
    boundaries: list[int]  # start pages of every entry at the item level, items or not


def _value(number: str) -> float:
    m = re.match(r"(\d+)([a-z]?)", number, re.IGNORECASE)
    if m:
        return int(m.group(1)) + (ord(m.group(2).lower()) - 96) / 100 if m.group(2) else int(m.group(1))
    return float(roman_value(number) or 0)


def _parse(title: str) -> tuple[str, str] | None:
    m = _NUMBERED.match(title)
    return (m["num"], m["title"].strip()) if m else None


def agenda_from_files(outlines: list[list[OutlineEntry]]) -> OutlineAgenda | None:
    """Items from each file's outline that looks like an agenda, in file order.

    Files are judged one by one: a supplementary pack restarts at its own item
    number, which would break the rising numbers of one combined outline.
    """
    found = [a for a in (agenda_from_outline(o) for o in outlines if o) if a is not None and a.items]
    if not found:
        return None
    return OutlineAgenda(
        items=[item for a in found for item in a.items],
        boundaries=sorted({page for a in found for page in a.boundaries}),
    )


def agenda_from_outline(entries: list[OutlineEntry]) -> OutlineAgenda | None:
    """Items from the outline if it looks like an agenda at depth 0 or 1, else None."""
    for depth in (0, 1):
        level = [e for e in entries if e.depth == depth]
        agenda = _judge(entries, level, depth)
        if agenda is not None:
            return agenda
    return None


def _judge(entries: list[OutlineEntry], level: list[OutlineEntry], depth: int) -> OutlineAgenda | None:
    parsed = [_parse(e.title) for e in level]
    first = next((i for i, p in enumerate(parsed) if p is not None), None)
    if first is None:
        return None
    numbered = [(e, p) for e, p in zip(level, parsed, strict=True) if p is not None]
    strays = sum(1 for p in parsed[first:] if p is None)
    if first > len(numbered) or strays > max(
        1, _MAX_STRAYS_SHARE * len(numbered)
    ):  # more front matter than items
        return None
    values = [_value(p[0]) for _, p in numbered]
    pages = [e.page for e, _ in numbered]
    if any(b <= a for a, b in itertools.pairwise(values)):
        return None
    if any(b < a for a, b in itertools.pairwise(pages)):
        return None
    items: list[OutlineItem] = []
    current: OutlineItem | None = None
    for entry in entries:
        if entry.depth < depth:
            current = None
        elif entry.depth == depth:
            p = _parse(entry.title)
            current = OutlineItem(p[0], p[1], entry.page) if p else None
            if current:
                items.append(current)
        elif entry.depth == depth + 1 and current is not None and entry.page >= current.page:
            current.documents.append(entry)
    return OutlineAgenda(items=items, boundaries=sorted({e.page for e in level}))
