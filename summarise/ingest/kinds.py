"""What kind of council paper a pack is, per file and per item: each is summarised as a reader needs.

- ``minutes``: a record of what was decided ("MINUTES OF ...", "Motion carried", "seconded");
  outcomes are reported in the past tense.
- ``motions``: motions or amendments with a proposer and seconder ("Proposer:", "Proposed by").
- ``questions``: questions to members and their answers.
- ``supplementary``: papers published after the main pack ("Supplementary" in its name or heading).
- ``report_pack``: an agenda with reports ("From:" blocks, several pages an item).
- ``agenda``: an agenda without reports.

The rules read only words any council uses; a file takes one kind, and an item takes its file's kind
unless its own papers say otherwise (a "Minutes of ..." item, an item whose papers are amendments).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from summarise.models.meeting import AgendaItem, Meeting, Page
from summarise.models.summary import DocumentKind

_MINUTES_HEAD = re.compile(r"\bMINUTES\s+OF\b|\bminutes\s+of\s+the\s+(?:\w+\s+){0,3}meeting\b", re.IGNORECASE)
_AGENDA_HEAD = re.compile(r"\bAGENDA\b|\bNotice\s+of\b", re.IGNORECASE)
_OUTCOME = re.compile(r"\bMotion\s+(?:carried|failed|lost|passed)\b|\bseconded\s+the\s+motion\b|\bRESOLVED\b")
_PROPOSER = re.compile(r"\bProposer\s*:|\bProposed\s+by\b|\bMoved\s+by\b", re.IGNORECASE)
_SECONDER = re.compile(r"\bSeconder\s*:|\bSeconded\s+by\b", re.IGNORECASE)
_MOTIONS_HEAD = re.compile(r"\bamendments?\b|\bmotions?\b", re.IGNORECASE)
_QUESTION = re.compile(r"\bQuestion\s+(?:No\.?\s*)?\d+\b|\bQuestions?\s+(?:to|for)\s+(?:the\s+)?[A-Z]")
_ANSWER = re.compile(r"\b(?:Answer|Reply|Response)\s*(?::|from\b)", re.IGNORECASE)
_SUPPLEMENTARY = re.compile(r"\bsupplementary\b", re.IGNORECASE)
_REPORT = re.compile(r"^\s*(?:From|Report\s+from|Author)\s*:", re.IGNORECASE | re.MULTILINE)


def kind_of_pages(pages: Sequence[Page], items_with_papers: int = 1) -> DocumentKind:
    """The kind of one file (or section) from its pages."""
    return _kind_of(tuple(pages), items_with_papers)


# Keyed on the pages' content, not on a meeting object: thirty meetings loaded from one pack are
# thirty objects, and each run asks for the kind (reading all of a 460-page file: 20-35 ms of CPU).
# Hashing and comparing the pages costs about 1 ms.
@functools.lru_cache(maxsize=16)
def _kind_of(pages: tuple[Page, ...], items_with_papers: int) -> DocumentKind:
    if not pages:
        return "agenda"
    head = "\n".join(p.text for p in pages[:2])
    text = "\n".join(p.text for p in pages)
    if _SUPPLEMENTARY.search(pages[0].source) or _SUPPLEMENTARY.search(head[:600]):
        return "supplementary"
    minutes = _MINUTES_HEAD.search(head[:300])
    agenda = _AGENDA_HEAD.search(head[:300])
    if minutes and not (agenda and agenda.start() < minutes.start()) and len(_OUTCOME.findall(text)) >= 2:
        return "minutes"
    if _MOTIONS_HEAD.search(head) and _PROPOSER.search(text) and _SECONDER.search(text):
        return "motions"
    if len(_QUESTION.findall(text)) >= 2 and _ANSWER.search(text):
        return "questions"
    if _REPORT.search(text) or len(pages) >= 3 * max(items_with_papers, 1) + 2:
        return "report_pack"
    return "agenda"


def _files(meeting: Meeting) -> dict[str, list[Page]]:
    files: dict[str, list[Page]] = {}
    for page in meeting.pages:
        files.setdefault(page.source, []).append(page)
    return files


# Finding a pack's kind reads all of its first file (about 30 ms on 460 pages) and each item's prompt,
# budget and summary asks for it: the last few meetings' answers are kept. The entry holds the meeting
# itself, so its id cannot be reused while the entry lives; a changed page or item list misses.
_RECENT_KINDS: dict[int, tuple[Meeting, int, int, DocumentKind]] = {}
_RECENT_MAX = 8


def meeting_kind(meeting: Meeting) -> DocumentKind:
    """The kind of the meeting's first file (its main pack)."""
    known = _RECENT_KINDS.get(id(meeting))
    if known and known[0] is meeting and known[1:3] == (len(meeting.pages), len(meeting.items)):
        return known[3]
    kind = _meeting_kind(meeting)
    if len(_RECENT_KINDS) >= _RECENT_MAX:
        del _RECENT_KINDS[next(iter(_RECENT_KINDS))]  # the oldest
    _RECENT_KINDS[id(meeting)] = (meeting, len(meeting.pages), len(meeting.items), kind)
    return kind


def _meeting_kind(meeting: Meeting) -> DocumentKind:
    files = _files(meeting)
    if not files:
        return "agenda"
    first = next(iter(files.values()))
    with_papers = sum(
        1 for i in meeting.items if i.has_papers and i.start_page and i.start_page <= first[-1].number
    )
    return kind_of_pages(first, with_papers)


def item_kind(meeting: Meeting, item: AgendaItem, default: DocumentKind | None = None) -> DocumentKind:
    """The item's kind: its own papers' where they say (minutes, amendments, questions), else its file's."""
    title = item.title.strip()
    if re.match(r"^\W*(?:\d+\W+)?minutes\b", title, re.IGNORECASE) and (default or "") != "minutes":
        return "minutes"
    docs = " ".join(d.title for d in item.documents)
    if re.search(r"\bamendment|\bmotion", docs + " " + title, re.IGNORECASE):
        text = meeting.item_text(item)
        if _PROPOSER.search(text) and _SECONDER.search(text):
            return "motions"
    span = item.pages_span
    if span is None:
        return default or meeting_kind(meeting)
    page = meeting.page(span[0]) if 0 < span[0] <= len(meeting.pages) else None
    if page is not None:
        files = _files(meeting)
        pages = files.get(page.source, [])
        if pages and pages[0].number != meeting.pages[0].number:
            return kind_of_pages(pages)
    return default or meeting_kind(meeting)
