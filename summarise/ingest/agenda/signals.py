"""Where each front-sheet item's papers start, from the weaker page signals.

Used by :mod:`summarise.ingest.agenda.segment` when the outline gives nothing: the front
sheet's "(Pages a - b)" references (through "Page N" footers, or counted from
the end of the front sheet when they fit the pack exactly), "Agenda Item N"
stamps, and the listed titles found at the top of later pages.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from summarise.ingest.agenda.headings import Heading
from summarise.ingest.agenda.multifile import overlap, words
from summarise.ingest.clean import CleanPage
from summarise.models.meeting import Document

TITLE_LINES = 20  # a report's title sits near the top of its first page
TITLE_MATCH = 0.6  # share of the title's words found there
_FOOTER_SLIPS = 0.1  # share of footers that may fail to rise (a misread, a repeated page)


@dataclass
class Start:
    number: str
    title: str
    page: int
    at_top: bool = True
    documents: list[Document] = field(default_factory=list)
    sub_items: list[Heading] = field(default_factory=list)


def _footer_page(pages: list[CleanPage], printed: int) -> int | None:
    """The pack page printed as "Page ``printed``", interpolating over pages with no footer."""
    known = [(p.footer, i + 1) for i, p in enumerate(pages) if p.footer is not None]
    before = [(f, n) for f, n in known if f <= printed]
    if not before:
        return None
    f, n = max(before)
    page = n + (printed - f)
    return page if 1 <= page <= len(pages) else None


def pack_numbered(pages: list[CleanPage]) -> bool:
    """Whether the "Page N" footers number the pack: they never (or hardly ever) go back.

    Footers that restart at each report count that report's pages, which the
    front sheet's references do not cite.
    """
    footers = [p.footer for p in pages if p.footer is not None]
    if not footers:
        return False
    back = sum(1 for a, b in itertools.pairwise(footers) if b <= a)
    return back <= _FOOTER_SLIPS * len(footers)


def _ref_offset(pages: list[CleanPage], listing: list[Heading]) -> int | None:
    """No footers: printed page 1 follows the front sheet, trusted only if the last ref ends the pack."""
    last_ref = max(h.ref[1] for h in listing if h.ref)
    front_end = max(h.page for h in listing)
    last_text = max((i + 1 for i, p in enumerate(pages) if not p.blank), default=0)
    for offset in range(front_end, front_end + 3):  # allow a blank page or two after the front sheet
        if last_ref + offset in (len(pages), last_text):
            return offset
    return None


def from_refs(pages: list[CleanPage], listing: list[Heading]) -> list[Start]:
    if not any(h.ref for h in listing):
        return []
    footed = pack_numbered(pages)
    offset = None if footed else _ref_offset(pages, listing)
    if not footed and offset is None:
        return []
    starts: list[Start] = []
    for h in listing:
        if h.ref is None:
            continue
        page = _footer_page(pages, h.ref[0]) if footed else h.ref[0] + (offset or 0)
        if page is not None and 1 <= page <= len(pages):
            starts.append(Start(h.number, h.title, page))
    pages_seen = [s.page for s in starts]
    if not starts or pages_seen != sorted(pages_seen):
        return []
    return starts


def from_titles(pages: list[CleanPage], listing: list[Heading]) -> list[Start]:
    """Find each listed item's report after the front sheet, by its title near the top of a page.

    Titles recur (a monitoring report mentions the budget report), so rather
    than the first page that matches, pages are chosen in agenda order to
    maximise the total match (a small dynamic programme over items x pages).
    """
    if len(listing) < 2:
        return []
    wanted = [h for h in listing if h.ref] if any(h.ref for h in listing) else listing
    candidates = list(range(max(h.page for h in listing) + 1, len(pages) + 1))
    tops = [words("\n".join(pages[n - 1].text.split("\n")[:TITLE_LINES])) for n in candidates]
    score = [[max(0.0, overlap(h.title, top) - TITLE_MATCH + 1e-9) for top in tops] for h in wanted]
    n_items, n_pages = len(wanted), len(candidates)
    best = [[0.0] * (n_pages + 1) for _ in range(n_items + 1)]
    for i in range(1, n_items + 1):
        row, prev, s_row = best[i], best[i - 1], score[i - 1]
        for j in range(1, n_pages + 1):
            take = prev[j - 1] + s_row[j - 1] if s_row[j - 1] > 0 else 0.0
            row[j] = max(prev[j], row[j - 1], take)
    chosen: dict[int, int] = {}
    i, j = n_items, n_pages
    while i > 0 and j > 0:
        if best[i][j] == best[i - 1][j]:
            i -= 1
        elif best[i][j] == best[i][j - 1]:
            j -= 1
        else:
            chosen[i - 1] = candidates[j - 1]
            i, j = i - 1, j - 1
    _earliest(chosen, score, candidates)
    starts = [Start(h.number, h.title, chosen[k]) for k, h in enumerate(wanted) if k in chosen]
    # Half the items found, or (most items having no papers) the papers start right after the front sheet.
    after = next((n for n in candidates if not pages[n - 1].blank), None)
    enough = 2 * len(starts) >= len(wanted) or (len(starts) >= 2 and starts[0].page == after)
    return starts if enough else []


def _earliest(chosen: dict[int, int], score: list[list[float]], candidates: list[int]) -> None:
    """Move each item back to its first title match after the previous item's papers.

    A report's title recurs in its own papers (a decision record, appendices),
    often more fully than on its first page, so the best match may be a later
    copy. The previous item's papers run until its own title stops recurring;
    the first page after that with this item's title is where its papers start.
    """
    index = {page: j for j, page in enumerate(candidates)}
    order = sorted(chosen)
    for prev, k in itertools.pairwise(order):
        page, before = chosen[k], chosen[prev]
        recur = [c for c in candidates if before <= c < page and score[prev][index[c]] > 0]
        floor = max(recur, default=before)
        earlier = [c for c in candidates if floor < c < page and score[k][index[c]] > 0]
        if earlier:
            chosen[k] = earlier[0]


def from_stamps(pages: list[CleanPage], listing: list[Heading]) -> list[Start]:
    titles = {h.number.upper(): h.title for h in listing}
    starts: list[Start] = []
    seen: set[str] = set()
    for i, page in enumerate(pages):
        stamp = page.stamp
        if stamp is None or stamp in seen:
            continue
        seen.add(stamp)
        first_line = next((ln.strip() for ln in page.text.split("\n") if ln.strip()), "")
        title = titles.get(stamp.upper()) or first_line
        starts.append(Start(stamp, title[:200], i + 1))
    return starts
