"""A front sheet plus separately published reports: which file belongs to which item.

When the first file is a short agenda front sheet and the others are reports,
each report is matched to a listed item by its "Agenda Item N" stamp, else by
the item number in its name ("Item 5 - report.pdf", "05_budget.pdf"), else by
the words its name and first page share with the item's title. Files keep the
order they were given, so matches never go back up the agenda; a file that
matches nothing is read as a further document of the item before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from summarise.ingest.agenda.headings import Heading
from summarise.ingest.clean import CleanPage
from summarise.models.meeting import Document

FRONT_SHEET_TAIL = 1  # pages a front sheet may run on after its list (signature, blank page)
MIN_OVERLAP = 0.5
_WORD = re.compile(r"[a-z0-9]{3,}")
# An item number in a file's name: "Item 5 - report", "agenda_item_5", "05 Budget", "5a.pdf"
_STEM_ITEM = re.compile(
    r"(?:^|[\s_.-])(?:agenda[\s_-]*)?item[\s_-]*(?:no\.?[\s_-]*)?0*(\d{1,3}[a-z]?)(?!\d)", re.I
)
_STEM_LEAD = re.compile(r"^0*(\d{1,2}[a-z]?)(?=[\s_.-]|$)", re.I)
_STOP = {"the", "and", "for", "with", "from", "report", "item", "agenda", "meeting", "council", "pdf"}


@dataclass
class FileSpan:
    name: str
    first: int
    last: int


@dataclass
class FileMatch:
    number: str
    title: str
    page: int
    documents: list[Document] = field(default_factory=list)


def words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def overlap(title: str, found: set[str]) -> float:
    """Share of the title's words in ``found``."""
    wanted = words(title)
    return len(wanted & found) / len(wanted) if wanted else 0.0


def _stem_index(stem: str, by_number: dict[str, int]) -> int | None:
    """The listed item a file's name numbers, if any."""
    m = _STEM_ITEM.search(stem) or _STEM_LEAD.match(stem)
    return by_number.get(m.group(1).upper()) if m else None


def match_files(pages: list[CleanPage], files: list[FileSpan], listing: list[Heading]) -> list[FileMatch]:
    """Items made of whole files, or [] when the first file is not a front sheet."""
    front = files[0]
    if len(files) < 2 or len(listing) < 2:
        return []
    if front.last > max(h.page for h in listing) + FRONT_SHEET_TAIL:  # the first file holds reports too
        return []
    by_number = {h.number.upper(): k for k, h in enumerate(listing)}
    matches: list[FileMatch] = []
    floor = 0
    for span in files[1:]:
        stem = PurePath(span.name).stem
        doc = Document(title=stem, start_page=span.first, end_page=span.last)
        head_pages = pages[span.first - 1 : min(span.last, span.first + 1)]
        stamp = next((p.stamp for p in head_pages if p.stamp), None)
        index = by_number.get(stamp.upper()) if stamp else None
        if index is None or index < floor:
            index = _stem_index(stem, by_number)
        if index is None or index < floor:
            found = words(stem.replace("_", " ").replace("-", " ")) | words(
                "\n".join(p.text[:3000] for p in head_pages)
            )
            scored = [(overlap(h.title, found), k) for k, h in enumerate(listing) if k >= floor]
            best = max(scored, key=lambda s: (s[0], -s[1]), default=(0.0, -1))
            index = best[1] if best[0] >= MIN_OVERLAP else None
        if index is None:
            if matches:
                matches[-1].documents.append(doc)
            continue
        head = listing[index]
        if matches and matches[-1].number == head.number:
            matches[-1].documents.append(doc)
        else:
            matches.append(FileMatch(head.number, head.title, span.first, [doc]))
        floor = index
    return matches
