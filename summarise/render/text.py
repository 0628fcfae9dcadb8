"""Plain-text pieces every rendering shares: headings, page labels, presenters, the colophon."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import quote

from summarise.models.summary import ItemSummary, MeetingSummary, Person


def page_label(pages: Sequence[int]) -> str:
    """[12] -> 'p. 12'; [12, 13, 14, 20] -> 'pp. 12–14, 20'; [] -> ''."""
    numbers = sorted(set(pages))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    prefix = "p." if len(numbers) == 1 else "pp."
    return f"{prefix} {', '.join(parts)}"


def when(summary: MeetingSummary) -> str:
    info = summary.meeting
    parts = []
    if info.date:
        parts.append(f"{info.date.strftime('%A')} {info.date.day} {info.date.strftime('%B %Y')}")
    if info.time:
        parts.append(info.time)
    return ", ".join(parts)


def heading(summary: MeetingSummary) -> str:
    info = summary.meeting
    name = info.body or info.title or "Meeting"
    date = when(summary)
    return f"{name} – {date}" if date else name


def title(summary: MeetingSummary) -> str | None:
    """The meeting title when it says more than the body's name."""
    info = summary.meeting
    if not info.title or (info.body and info.title.lower().startswith(info.body.lower())):
        return None
    return info.title


def item_heading(item: ItemSummary) -> str:
    return f"{item.number}. {item.title}" if item.number else item.title


def presenter(item: ItemSummary) -> str:
    """Everyone presenting (all names on a report's From: line), or the one presenter of old output;
    proposers and seconders are named in the key points that state their motion."""
    people = [p for p in item.people if p.part == "presenter"]
    if not people and item.presenter:
        people = [Person(name=item.presenter.name, role=item.presenter.role)]
    line = "; ".join(f"{p.name}, {p.role}" if p.role else p.name for p in people)
    asked = [f"{p.name} ({p.part})" for p in item.people if p.part in {"questioner", "answerer"}]
    parts = ([f"Presented by {line}"] if line else []) + ([", ".join(asked)] if asked else [])
    return " · ".join(parts)


def colophon(summary: MeetingSummary) -> str:
    """How the summary was made, what it cost and what the checks found: shown under every rendering."""
    made = summary.provenance
    engine = f"the {made.engine} engine" + (
        f" ({made.model})" if made.model and made.engine != "extractive" else ""
    )
    usage = summary.usage
    cost = (
        f"{usage.calls} model calls ({usage.cached_calls} from cache), "
        f"{usage.input_tokens:,} + {usage.output_tokens:,} tokens, est. ${usage.estimated_cost_usd:.4f}"
        if usage.calls or usage.cached_calls
        else "no model calls"
    )
    check = summary.verification
    errors = sum(f.severity == "error" for f in check.findings)
    warnings = sum(f.severity == "warning" for f in check.findings)
    checked = f"{check.checked} claims checked against the pages: {errors} unsupported, {warnings} to review"
    return f"Made by summarise {made.library_version} with {engine}; {cost}; {checked}."


def fallback_note(item: ItemSummary) -> str:
    """The line that says an item was written by the offline engine because the model failed."""
    engine = item.engine or "offline"
    why = item.fallback_reason
    return f"Written by the {engine} engine from the papers' own sentences: the model failed ({why})."


def item_pages_label(item: ItemSummary) -> str:
    if item.start_page is None:
        return ""
    end = item.end_page if item.end_page is not None else item.start_page
    return page_label(range(item.start_page, end + 1))


_PDF_FOLDER: ContextVar[str] = ContextVar("pdf_folder", default="")


def folder_prefix(folder: str | None) -> str:
    """``../papers`` as a link prefix, ``../papers/``: each segment percent-encoded, so the prefix
    is always a relative path (a folder named ``javascript:`` or ``//host`` becomes a name)."""
    if not folder or folder == ".":
        return ""
    parts = [p for p in folder.replace("\\", "/").split("/") if p]
    return "".join(quote(part, safe="", errors="replace") + "/" for part in parts)


@contextlib.contextmanager
def pdf_links_in(folder: str | None) -> Iterator[None]:
    """Page links rendered inside point to the PDFs in ``folder``, relative to the output file."""
    token = _PDF_FOLDER.set(folder_prefix(folder))
    try:
        yield
    finally:
        _PDF_FOLDER.reset(token)


@dataclass
class PageRun:
    """Consecutive cited pages in one file: that file's own page numbers, and the link to the first."""

    file: str | None
    first: int
    end: int
    pack_pages: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.end else f"{self.first}–{self.end}"

    @property
    def href(self) -> str | None:
        """``FILE.pdf#page=N``; the name fully percent-encoded, so it is always a relative path,
        after the PDFs' folder when the renderer was told it (:func:`pdf_links_in`)."""
        if not self.file:
            return None
        return f"{_PDF_FOLDER.get()}{quote(self.file, safe='', errors='replace')}#page={self.first}"


@dataclass
class Citation:
    """One file's cited pages: "p." or "pp." and each run; ``named``: show the file (several files)."""

    file: str | None
    prefix: str
    runs: list[PageRun]
    named: bool


def citations(summary: MeetingSummary, pages: Iterable[int]) -> list[Citation]:
    """Pack pages as each file's own pages, grouped by file, in the order cited.

    A multi-file meeting's pack page 14 may be page 2 of a report: the link and the number shown
    are the report's, and the file is named.
    """
    runs: list[PageRun] = []
    for n in sorted(set(pages)):
        where = summary.locate(n)
        file, own = where if where else (None, n)
        last = runs[-1] if runs else None
        if last and last.file == file and last.pack_pages[-1] == n - 1:
            last.end = own
            last.pack_pages.append(n)
        else:
            runs.append(PageRun(file, own, own, [n]))
    several = len(summary.source_files) > 1 or len(summary.meeting.sources) > 1
    grouped: dict[str | None, list[PageRun]] = {}
    for run in runs:
        grouped.setdefault(run.file, []).append(run)
    out = []
    for file, mine in grouped.items():
        count = sum(len(r.pack_pages) for r in mine)
        out.append(Citation(file, "p." if count == 1 else "pp.", mine, several and file is not None))
    return out
