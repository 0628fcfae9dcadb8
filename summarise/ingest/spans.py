"""Which text belongs to which item, resolved once: items that share a page each get their part.

Agendas and minutes put several items on one page. An item's text runs from its own heading to
the next item's: where an item shares its first page with an earlier item, it starts at the line
where its title begins; where the next item starts on its last page, it ends before the line where
that item's title begins. Sub-items are cut the same way inside their parent's part. Both engines
and verification read the result through :meth:`~summarise.models.Meeting.item_pages`.

A title is found by as many of its words as the page carries (after a decision number such as
``24/00108 -``), in any case, across any punctuation and line breaks, at or after the previous
item's heading on that page (the same words higher up, in a preamble, are not the heading). Sibling
items often share their first words ("Consideration and possible approval of ..."), so the whole
title is tried first, then its first twelve words, then its first four on one line.

An agenda's attachments follow its last item, which is usually "Adjournment": pages after a
procedural last item's own page are not its text. They go to the item whose title points at them
("... as set forth in the attached schedules", "(see attached)") when their headings carry that
title's words; otherwise to no item.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarise.models.meeting import AgendaItem, Page, TextSpan

_DECISION_NUMBER = re.compile(r"^\s*\d{2}/\d{4,6}\s*[-–—:]\s*")
_TITLE_WORDS = (40, 12)  # words tried across lines, longest first
_LINE_WORDS = 4  # the last resort: this many on one line
_PROCEDURAL = re.compile(
    r"^\W*(?:motion\s+to\s+)?(?:adjourn(?:ment)?(?:\s+(?:the\s+)?meeting)?|close\s+of\s+(?:the\s+)?meeting"
    r"|closing|end\s+of\s+(?:the\s+)?meeting|meeting\s+close)\W*$",
    re.IGNORECASE,
)
_POINTS_AT = re.compile(r"\b(?:attach\w*|enclos\w*|schedules?|appendi\w*|annex\w*|see\s+below)\b", re.I)
_GENERIC = frozenset(
    [
        "attached",
        "attachment",
        "enclosed",
        "approval",
        "consideration",
        "presentation",
        "resolution",
        "items",
        "item",
        "forth",
        "agenda",
        "meeting",
        "report",
        "reports",
        "motion",
        "other",
    ]
)


def clean_title(title: str) -> str:
    """'24/00108 - Revenue and Capital ...' -> 'Revenue and Capital ...'."""
    return " ".join(_DECISION_NUMBER.sub("", title).split())


def _words(title: str) -> list[str]:
    return re.findall(r"\w+", clean_title(title).rstrip("…"))


def title_line(title: str) -> re.Pattern[str] | None:
    """A pattern for the line that carries ``title`` (its first words), or None for an empty title."""
    words = _words(title)[:_LINE_WORDS]
    if not words:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def _heading_offset(text: str, start: int, title: str) -> int | None:
    """Offset of the line where ``title`` begins, at or after ``start``: the whole title across
    lines first, then its first twelve words, then its first four on one line."""
    words = _words(title)
    for n in _TITLE_WORDS:
        if len(words) < min(n, 5):
            continue
        pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words[:n]) + r"\b", re.IGNORECASE)
        found = pattern.search(text, start)
        if found:
            return text.rfind("\n", 0, found.start()) + 1
    return _line_offset(text, start, title_line(title))


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


def resolve_spans(
    pages: Sequence[Page], items: Sequence[AgendaItem], floors: dict[int, int] | None = None
) -> list[AgendaItem]:
    """``items`` with :attr:`~summarise.models.AgendaItem.spans` set where they share a page.

    ``floors``: page -> offset before which no heading of these items is looked for (a parent's).
    """
    items = _trailing_pages(pages, list(items)) if floors is None else list(items)
    ranges = [item.pages_span for item in items]
    resolved: list[AgendaItem] = []
    heading_at: dict[int, int] = dict(floors or {})  # page -> offset of the last heading found on it
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
        if before or shares_first or start in heading_at:
            # Items are in agenda order: an item's heading comes after the one before it on the page
            # (a title's words may also occur earlier, in a preamble or a neighbour's text).
            floor = heading_at.get(start, 0)
            at = _heading_offset(pages[start - 1].text, floor, item.title)
            if at is not None:
                cuts[start] = (at, None)
                heading_at[start] = at
        following = next(((k, r) for k, r in after if r[0] >= start), None)
        if following is not None:
            # the next item's heading ends this item's text on that page (its last, or an earlier
            # one when attachments after the agenda were given to this item)
            k, (cut_page, _) = following
            text = pages[cut_page - 1].text
            begin = cuts.get(cut_page, (0, None))[0]
            at = _heading_offset(text, begin + 1 if cut_page in cuts else 0, items[k].title)
            if at is not None and at >= begin:
                cuts[cut_page] = (begin, at)
        spans = [TextSpan(page=n, start=s, end=e) for n, (s, e) in sorted(cuts.items())]
        update: dict[str, object] = {"spans": spans} if spans else {}
        if item.sub_items:
            inner = {n: s for n, (s, _) in cuts.items()}
            subs = resolve_spans(pages, item.sub_items, inner)
            update["sub_items"] = [_clip(sub, spans) for sub in subs]
        resolved.append(item.model_copy(update=update) if update else item)
    return resolved


def _clip(sub: AgendaItem, parent: Sequence[TextSpan]) -> AgendaItem:
    """``sub`` with each span kept inside its parent's part of that page."""
    outer = {s.page: s for s in parent}
    mine = {s.page: s for s in sub.spans}
    spans = []
    for n in sub.page_range:
        o, s = outer.get(n), mine.get(n)
        if o is None and s is None:
            continue
        lo = max(o.start if o else 0, s.start if s else 0)
        ends = [e for e in (o.end if o else None, s.end if s else None) if e is not None]
        spans.append(TextSpan(page=n, start=lo, end=min(ends) if ends else None))
    return sub.model_copy(update={"spans": spans})


def _content_words(text: str) -> set[str]:
    return {w.lower().rstrip("s") for w in re.findall(r"[A-Za-z]{4,}", text) if w.lower() not in _GENERIC}


def _headings(page: Page) -> str:
    """The page's lines in capitals near its top: where an attachment names itself."""
    lines = [line.strip() for line in page.text.splitlines() if line.strip()][:30]  # blank lines not counted
    return " ".join(line for line in lines if line.isupper() and len(line) > 3)


def _trailing_pages(pages: Sequence[Page], items: list[AgendaItem]) -> list[AgendaItem]:
    """A procedural last item ("Adjournment") ends on its own page; the attachments after it go to
    the item that points at them when their headings carry its title's words, else to no item."""
    if not items or items[-1].start_page is None or not _PROCEDURAL.match(clean_title(items[-1].title)):
        return items
    last = items[-1]
    first, final = last.start_page or 0, min(last.end_page or 0, len(pages))
    if final <= first:
        return items
    items[-1] = last.model_copy(update={"end_page": first, "documents": []})
    host = next(
        (
            k
            for k in range(len(items) - 2, -1, -1)
            if items[k].start_page is not None and _POINTS_AT.search(items[k].title)
        ),
        None,
    )
    if host is None:
        return items
    words = _content_words(clean_title(items[host].title))
    claimed = 0
    for n in range(first + 1, final + 1):
        heads = _headings(pages[n - 1])
        if words & _content_words(heads):
            claimed = n
        elif heads and claimed == n - 1 and _first_line_is_heading(pages[n - 1]):
            break  # another document begins
        elif claimed == n - 1:
            claimed = n  # a continuation page
        else:
            break
    if claimed:
        items[host] = items[host].model_copy(update={"end_page": claimed})
    return items


def _first_line_is_heading(page: Page) -> bool:
    first = next((line.strip() for line in page.text.splitlines() if line.strip()), "")
    return first.isupper() and len(first) > 3
