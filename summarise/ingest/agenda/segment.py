"""Find the agenda items of a pack, strongest signal first.

0. several files given, the first a front sheet: each report file matched to
   its item (:mod:`summarise.ingest.agenda.multifile`);
1. the PDF outline, when it looks like an agenda (:mod:`summarise.ingest.agenda.outline`);
2. the agenda front sheet's "(Pages a - b)" references, mapped to pack pages
   through the "Page N" footers (or, with no footers, counted from the end of
   the front sheet when the last reference ends exactly at the last page);
3. "Agenda Item N" stamps;
4. the front sheet's titles found, in order, at the top of later pages;
5. numbered headings in the text (:mod:`summarise.ingest.agenda.headings`);
6. the whole document as one item.

The front sheet's numbered list also supplies items that have no papers
(Apologies, Declarations of Interest) and titles where a weaker signal has
none. Pages before the first item (front sheet, covering letter) and blank
pages at the edges of an item belong to no item.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from summarise.ingest.agenda.headings import Heading, find_headings, flatten
from summarise.ingest.agenda.multifile import FileSpan, match_files
from summarise.ingest.agenda.outline import OutlineItem, agenda_from_files
from summarise.ingest.agenda.signals import Start, from_refs, from_stamps, from_titles
from summarise.ingest.clean import CleanPage
from summarise.ingest.pdf import OutlineEntry
from summarise.models.meeting import AgendaItem, Document

log = logging.getLogger(__name__)

FRONT_SHEET_PAGES = 4
FRONT_SHEET_MAX = 12  # a long agenda's list may run on this far, page by page


@dataclass
class Source:
    """One input file's place in the pack."""

    name: str
    first: int  # first pack page (1-based)
    last: int
    outline: list[OutlineEntry] = field(default_factory=list)  # pages already made pack pages


@dataclass
class Segmentation:
    items: list[AgendaItem]
    signal: str  # which signal found the items: outline, front sheet, stamps, headings, whole document


def segment(pages: list[CleanPage], sources: list[Source]) -> Segmentation:
    outline = agenda_from_files([s.outline for s in sources])
    first = sources[0]
    front_end = first.first + FRONT_SHEET_PAGES - 1
    cap = min(first.last, first.first + FRONT_SHEET_MAX - 1)
    if outline is not None and outline.items:
        front_end = min(front_end, outline.items[0].page - 1)
        cap = min(cap, front_end)
    listing = _listing(pages, first.first, min(front_end, first.last))
    listing = _run_on(pages, listing, first.first, min(front_end, first.last), cap)
    if outline is not None and not _agrees(outline.items, listing):
        log.info("outline disagrees with the front sheet; not using bookmarks as agenda items")
        outline = None

    files = [FileSpan(s.name, s.first, s.last) for s in sources]
    if matches := match_files(pages, files, listing):
        starts = [Start(m.number, m.title, m.page, documents=m.documents) for m in matches]
        unmatched = {s.first for s in sources if s.first < matches[0].page}
        return _finish(pages, starts, listing, unmatched, "files")

    if outline is not None and outline.items:
        starts = [Start(o.number, o.title, o.page) for o in outline.items]
        for start, o in zip(starts, outline.items, strict=True):
            start.documents = [
                Document(title=d.title, start_page=d.page, end_page=d.page) for d in o.documents
            ]
        return _finish(pages, starts, listing, set(outline.boundaries), "outline")

    by_ref = from_refs(pages, listing)
    if by_ref:
        return _finish(pages, by_ref, listing, set(), "front sheet")

    by_stamp = from_stamps(pages, listing)
    if by_stamp:
        return _finish(pages, by_stamp, listing, set(), "stamps")

    by_title = from_titles(pages, listing)
    if by_title:
        return _finish(pages, by_title, listing, set(), "front sheet titles")

    heads = find_headings(flatten((i + 1, p.text) for i, p in enumerate(pages)))
    if heads:
        starts = [Start(h.number, h.title, h.page, h.at_top, sub_items=h.sub_items) for h in heads]
        return _finish(pages, starts, [], set(), "headings")

    title = next((ln.strip() for p in pages for ln in p.text.split("\n") if ln.strip()), "")
    title = title[:120] or PurePath(first.name).stem
    first_page = next((i + 1 for i, p in enumerate(pages) if not p.blank), 1)
    return _finish(pages, [Start("1", title, first_page)], [], set(), "whole document")


def _agrees(items: list[OutlineItem], listing: list[Heading]) -> bool:
    """Bookmarks and front sheet agree when most numbered bookmarks are on the front sheet."""
    if len(listing) < 2:
        return True
    listed = {h.number.upper() for h in listing}
    return 2 * sum(1 for o in items if o.number.upper() in listed) >= len(items)


def _listing(pages: list[CleanPage], first: int, last: int) -> list[Heading]:
    """The front sheet's numbered list of items, if the first pages have one."""
    if last < first:
        return []
    return find_headings(flatten((n, pages[n - 1].text) for n in range(first, last + 1)))


def _run_on(pages: list[CleanPage], listing: list[Heading], first: int, end: int, cap: int) -> list[Heading]:
    """Follow a list that is still going on the front sheet's last page onto the next pages."""
    while listing and listing[-1].page == end and end < cap:
        longer = _listing(pages, first, end + 1)
        numbers = [h.number for h in listing]
        if len(longer) <= len(listing) or [h.number for h in longer[: len(listing)]] != numbers:
            break
        if longer[-1].page != end + 1:
            break
        listing, end = longer, end + 1
    return listing


def _finish(
    pages: list[CleanPage], starts: list[Start], listing: list[Heading], boundaries: set[int], signal: str
) -> Segmentation:
    n = len(pages)
    cuts = sorted({s.page for s in starts} | boundaries)
    items: list[AgendaItem] = []
    for k, s in enumerate(starts):
        later = [c for c in cuts if c > s.page]
        end = later[0] - 1 if later else n
        nxt = starts[k + 1] if k + 1 < len(starts) else None
        if nxt is not None and nxt.page == s.page:
            end = s.page
        elif nxt is not None and not nxt.at_top and nxt.page <= end + 1:
            end = nxt.page  # the next item starts part-way down its page
        start, end = _trim(pages, s.page, end)
        item = AgendaItem(number=s.number, title=s.title, start_page=start, end_page=end)
        item.documents = _documents(pages, s, start, end)
        item.sub_items = _subs(s.sub_items, start, end)
        items.append(item)
    listed = {it.number.upper() for it in items}
    paperless = [h for h in listing if h.number.upper() not in listed]
    if paperless:
        items = _merge(items, paperless, listing)
    for item in items:
        if item.title == "" and (h := next((h for h in listing if h.number == item.number), None)):
            item.title = h.title
    return Segmentation(items=items, signal=signal)


def _trim(pages: list[CleanPage], start: int, end: int) -> tuple[int, int]:
    s, e = start, max(start, end)
    while s < e and pages[s - 1].blank:
        s += 1
    while e > s and pages[e - 1].blank:
        e -= 1
    return s, e


def _documents(pages: list[CleanPage], s: Start, start: int, end: int) -> list[Document]:
    docs = [d for d in s.documents if start <= d.start_page <= end]
    if not docs:
        return []
    out: list[Document] = []
    if docs[0].start_page > start:  # the item's own report, before its first bookmarked document
        a, b = _trim(pages, start, docs[0].start_page - 1)
        out.append(Document(title=s.title, start_page=a, end_page=b))
    for k, d in enumerate(docs):
        stop = docs[k + 1].start_page - 1 if k + 1 < len(docs) else end
        a, b = _trim(pages, d.start_page, max(d.start_page, stop))
        out.append(Document(title=d.title, start_page=a, end_page=b))
    return out


def _subs(heads: list[Heading], start: int, end: int) -> list[AgendaItem]:
    out: list[AgendaItem] = []
    for k, h in enumerate(heads):
        nxt = heads[k + 1].page if k + 1 < len(heads) else end
        a = min(max(h.page, start), end)
        out.append(AgendaItem(number=h.number, title=h.title, start_page=a, end_page=max(a, min(nxt, end))))
    return out


def _merge(items: list[AgendaItem], paperless: list[Heading], listing: list[Heading]) -> list[AgendaItem]:
    """Add front-sheet items that have no papers, in front-sheet order."""
    order = {h.number.upper(): k for k, h in enumerate(listing)}
    merged = list(items) + [AgendaItem(number=h.number, title=h.title) for h in paperless]

    def key(item: AgendaItem) -> tuple[int, int]:
        k = order.get(item.number.upper())
        if k is not None:
            return (k, 0)
        # not on the front sheet: keep it after the listed item that precedes it in the pack
        pos = items.index(item) if item in items else len(items)
        prior = [order.get(it.number.upper(), -1) for it in items[:pos]]
        return (max(prior, default=-1), 1)

    return sorted(merged, key=key)
