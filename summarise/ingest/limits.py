"""Ingest's safety limits, and pypdf's own warnings folded into the one error a user sees.

Each limit has its own :class:`~summarise.errors.ResourceLimitError` subclass and sits far beyond
any real council pack (the largest seen: ~1,500 pages, pages of well under 1 MB of drawing
instructions, lines of a few thousand characters), so only damaged or hostile files meet them:

- a compressed stream may inflate to at most pypdf's limit (75 MB): :class:`DecompressionBombError`
- a page's drawing instructions (its decoded content streams) at most :data:`MAX_PAGE_CONTENT_BYTES`,
  checked before any text is extracted (which is where a huge page costs time and memory), and any
  forms' included (so PDFium never draws such a page): :class:`PageTooLargeError`
- a line of extracted text at most :data:`MAX_LINE_CHARS`: :class:`LineTooLongError` (shorter
  long lines are folded by :func:`summarise.ingest.clean.valid_text`)
- at most :data:`MAX_PAGES` pages in a file: :class:`TooManyPagesError`
- at most :data:`MAX_SECONDS` reading one file's text: :class:`IngestTimeoutError`
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pypdf

from summarise.errors import (
    DecompressionBombError,
    IngestTimeoutError,
    InputError,
    LineTooLongError,
    PageTooLargeError,
    TooManyPagesError,
)

MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 1_000_000
MAX_PAGES = 20_000
MAX_SECONDS = 300.0


def deadline() -> float:
    """The monotonic time by which one file's text must be read (shared with forked workers)."""
    return time.monotonic() + MAX_SECONDS


def check_time(path: Path, until: float, number: int) -> None:
    """Raise :class:`IngestTimeoutError` when ``until`` has passed before page ``number``."""
    if time.monotonic() > until:
        raise IngestTimeoutError(
            path, f"reading its text took over {MAX_SECONDS:.0f} s (stopped at page {number})"
        )


def check_pages(path: Path, count: int) -> None:
    if count > MAX_PAGES:
        raise TooManyPagesError(path, f"{count:,} pages, over the limit of {MAX_PAGES:,}")


def check_page_content(path: Path, page: Any, number: int) -> None:
    """Raise before extraction when page ``number``'s decoded content streams are too large.

    The forms the page draws (``/XObject`` entries of subtype ``/Form``, nested ones included) are
    decoded here too: pypdf swallows a limit it meets inside a form during extraction, which would
    report a bomb as a page without text.
    """
    try:
        contents = page.get("/Contents")
        contents = contents.get_object() if contents is not None else None
        streams = contents if isinstance(contents, list) else [contents]
        size = 0
        for stream in [*streams, *_forms(page.get("/Resources"))]:
            stream = stream.get_object() if stream is not None else None
            if isinstance(stream, pypdf.generic.StreamObject):
                size += len(stream.get_data())
                if size > MAX_PAGE_CONTENT_BYTES:
                    raise too_large(path, number, size)
    except pypdf.errors.LimitReachedError as exc:
        raise bomb(path, number) from exc
    except InputError:
        raise
    except Exception:  # a damaged page: extraction decides what it yields
        return


MAX_FORMS = 256  # forms looked at per page (nested included), so a cyclic or huge tree ends


def _forms(resources: Any) -> list[Any]:
    """The form XObjects reachable from ``resources``, each once."""
    found: list[Any] = []
    seen: set[int] = set()
    pending = [resources]
    while pending and len(found) < MAX_FORMS:
        res = pending.pop()
        res = res.get_object() if res is not None else None
        xobjects = res.get("/XObject") if isinstance(res, pypdf.generic.DictionaryObject) else None
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, pypdf.generic.DictionaryObject):
            continue
        for ref in xobjects.values():
            obj = ref.get_object()
            if id(obj) in seen or not isinstance(obj, pypdf.generic.StreamObject):
                continue
            seen.add(id(obj))
            if obj.get("/Subtype") == "/Form":
                found.append(obj)
                pending.append(obj.get("/Resources"))
    return found


def too_large(path: Path, number: int, size: int) -> PageTooLargeError:
    return PageTooLargeError(
        path,
        f"page {number} holds over {size / 2**20:.1f} MB of drawing instructions "
        f"(limit {MAX_PAGE_CONTENT_BYTES / 2**20:.0f} MB)",
    )


def check_text(path: Path, text: str, number: int) -> None:
    if len(text) > MAX_LINE_CHARS:
        longest = max(len(line) for line in text.split("\n"))
        if longest > MAX_LINE_CHARS:
            raise LineTooLongError(
                path, f"page {number} has a text line of {longest:,} characters (limit {MAX_LINE_CHARS:,})"
            )


def bomb(path: Path, number: int | None = None) -> DecompressionBombError:
    where = f"page {number}: " if number is not None else ""
    return DecompressionBombError(path, f"{where}a compressed stream inflates past the 75 MB limit")


class _Notes(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(" ".join(record.getMessage().split())[:120])


@contextmanager
def pypdf_notes(path: Path) -> Iterator[list[str]]:
    """Keep pypdf's warnings off stderr; fold them into an :class:`InputError` raised in the block.

    Without an error, they are logged once, as one INFO line.
    """
    logger = logging.getLogger("pypdf")
    notes = _Notes()
    propagate = logger.propagate
    logger.addHandler(notes)
    logger.propagate = False
    try:
        yield notes.messages
    except InputError as exc:
        if notes.messages:
            raise type(exc)(exc.path, f"{exc.problem} [pypdf: {summary(notes.messages)}]", exc.hint) from exc
        raise
    finally:
        logger.removeHandler(notes)
        logger.propagate = propagate
    if notes.messages:
        logging.getLogger(__name__).info("%s: pypdf repaired: %s", path, summary(notes.messages))


def summary(messages: list[str]) -> str:
    more = f" (+{len(messages) - 1} more)" if len(messages) > 1 else ""
    return f"{messages[0]}{more}"
