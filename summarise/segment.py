"""Find the agenda items of a pack, strongest signal first.

0. several files given, the first a front sheet: each report file matched to
   its item (:mod:`summarise.multifile`);
1. the PDF outline, when it looks like an agenda (:mod:`summarise.outline`);
2. the agenda front sheet's "(Pages a - b)" references, mapped to pack pages
   through the "Page N" footers (or, with no footers, counted from the end of
   the front sheet when the last reference ends exactly at the last page);
3. "Agenda Item N" stamps;
4. the front sheet's titles found, in order, at the top of later pages;
5. numbered headings in the text (:mod:`summarise.headings`);
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

from summarise.clean import CleanPage
from summarise.headings import Heading, find_headings, flatten
from summarise.meeting import AgendaItem, Document
from summarise.multifile import FileSpan, match_files, overlap, words
from summarise.outline import OutlineItem, agenda_from_outline
from summarise.pdftext import OutlineEntry

log = logging.getLogger(__name__)

FRONT_SHEET_PAGES = 4
TITLE_LINES = 20  # a report's title sits near the top of its first page
TITLE_MATCH = 0.6  # share of the title's words found there


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


@dataclass
class _Start:
    number: str
    title: str
    page: int
    at_top: bool = True
    documents: list[Document] = field(default_factory=list)
    sub_items: list[Heading] = field(default_factory=list)


def segment(pages: list[CleanPage], sources: list[Source]) -> Segmentation:
    entries = [e for s in sources for e in s.outline]
    outline = agenda_from_outline(entries)
    first = sources[0]
    front_end = first.first + FRONT_SHEET_PAGES - 1
    if outline is not None and outline.items:
        front_end = min(front_end, outline.items[0].page - 1)
    listing = _listing(pages, first.first, min(front_end, first.last))
    if outline is not None and not _agrees(outline.items, listing):
        log.info("outline disagrees with the front sheet; not using bookmarks as agenda items")
        outline = None

    files = [FileSpan(s.name, s.first, s.last) for s in sources]
    if matches := match_files(pages, files, listing):
        starts = [_Start(m.number, m.title, m.page, documents=m.documents) for m in matches]
        unmatched = {s.first for s in sources if s.first < matches[0].page}
        return _finish(pages, starts, listing, unmatched, "files")

    if outline is not None and outline.items:
        starts = [_Start(o.number, o.title, o.page) for o in outline.items]
        for start, o in zip(starts, outline.items, strict=True):
            start.documents = [
                Document(title=d.title, start_page=d.page, end_page=d.page) for d in o.documents
            ]
        return _finish(pages, starts, listing, set(outline.boundaries), "outline")

    by_ref = _from_refs(pages, listing)
    if by_ref:
        return _finish(pages, by_ref, listing, set(), "front sheet")

    by_stamp = _from_stamps(pages, listing)
    if by_stamp:
        return _finish(pages, by_stamp, listing, set(), "stamps")

    by_title = _from_titles(pages, listing)
    if by_title:
        return _finish(pages, by_title, listing, set(), "front sheet titles")

    heads = find_headings(flatten((i + 1, p.text) for i, p in enumerate(pages)))
    if heads:
        starts = [_Start(h.number, h.title, h.page, h.at_top, sub_items=h.sub_items) for h in heads]
        return _finish(pages, starts, [], set(), "headings")

    title = next((ln.strip() for p in pages for ln in p.text.split("\n") if ln.strip()), "")
    title = title[:120] or PurePath(first.name).stem
    first_page = next((i + 1 for i, p in enumerate(pages) if not p.blank), 1)
    return _finish(pages, [_Start("1", title, first_page)], [], set(), "whole document")


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


def _footer_page(pages: list[CleanPage], printed: int) -> int | None:
    """The pack page printed as "Page ``printed``", interpolating over pages with no footer."""
    known = [(p.footer, i + 1) for i, p in enumerate(pages) if p.footer is not None]
    before = [(f, n) for f, n in known if f <= printed]
    if not before:
        return None
    f, n = max(before)
    page = n + (printed - f)
    return page if 1 <= page <= len(pages) else None


def _ref_offset(pages: list[CleanPage], listing: list[Heading]) -> int | None:
    """No footers: printed page 1 follows the front sheet, trusted only if the last ref ends the pack."""
    last_ref = max(h.ref[1] for h in listing if h.ref)
    front_end = max(h.page for h in listing)
    last_text = max((i + 1 for i, p in enumerate(pages) if not p.blank), default=0)
    for offset in range(front_end, front_end + 3):  # allow a blank page or two after the front sheet
        if last_ref + offset in (len(pages), last_text):
            return offset
    return None


def _from_refs(pages: list[CleanPage], listing: list[Heading]) -> list[_Start]:
    if not any(h.ref for h in listing):
        return []
    footed = any(p.footer is not None for p in pages)
    offset = None if footed else _ref_offset(pages, listing)
    if not footed and offset is None:
        return []
    starts: list[_Start] = []
    for h in listing:
        if h.ref is None:
            continue
        page = _footer_page(pages, h.ref[0]) if footed else h.ref[0] + (offset or 0)
        if page is not None and 1 <= page <= len(pages):
            starts.append(_Start(h.number, h.title, page))
    pages_seen = [s.page for s in starts]
    if not starts or pages_seen != sorted(pages_seen):
        return []
    return starts


def _from_titles(pages: list[CleanPage], listing: list[Heading]) -> list[_Start]:
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
    starts = [_Start(h.number, h.title, chosen[k]) for k, h in enumerate(wanted) if k in chosen]
    return starts if 2 * len(starts) >= len(wanted) else []


def _from_stamps(pages: list[CleanPage], listing: list[Heading]) -> list[_Start]:
    titles = {h.number.upper(): h.title for h in listing}
    starts: list[_Start] = []
    seen: set[str] = set()
    for i, page in enumerate(pages):
        stamp = page.stamp
        if stamp is None or stamp in seen:
            continue
        seen.add(stamp)
        first_line = next((ln.strip() for ln in page.text.split("\n") if ln.strip()), "")
        title = titles.get(stamp.upper()) or first_line
        starts.append(_Start(stamp, title[:200], i + 1))
    return starts


def _finish(
    pages: list[CleanPage], starts: list[_Start], listing: list[Heading], boundaries: set[int], signal: str
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


def _documents(pages: list[CleanPage], s: _Start, start: int, end: int) -> list[Document]:
    docs = [d for d in s.documents if start <= d.start_page <= end]
    if not docs:
        return []
    out: list[Document] = []
    if docs[0].start_page > start:
        out.append(Document(title=s.title, start_page=start, end_page=docs[0].start_page - 1))
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
