"""Page text with PDFium (pypdfium2), laid out the way the agenda rules read it.

PDFium extracts text about ten times faster than pypdf, but its plain text differs in layout:
it writes no blank line where a paragraph ends (pypdf keeps a word processor's empty
paragraphs), collapses a run of spaces to one (pypdf keeps the gap before a right-aligned
date or amount), writes ``\\r\\n`` between lines and U+0002 for a hyphen that ends a line.
:func:`page_text` takes PDFium's text and puts those back from the character boxes: a blank
line where the gap to the line above is over :data:`PARAGRAPH_GAP` line heights, and
extra spaces where the gap to the next word is over :data:`COLUMN_GAP` line heights.

PDFium is not thread-safe: every call into it here holds one lock, so a process works on one
document at a time (threads calling ``load_pack`` take turns; large files go to worker processes).
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import statistics
import threading
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from summarise.ingest import limits
from summarise.ingest.clean import valid_text

log = logging.getLogger(__name__)

PARAGRAPH_GAP = 0.5  # a blank line needs a vertical gap over this many line heights
EMPTY_LINE = 1.6  # and a step from the line above over this many of the page's usual line steps
COLUMN_GAP = 1.0  # a horizontal gap over this many line heights is a column gap (several spaces)
SPACE = 0.25  # one space per this many line heights of a column gap, as a typed run of spaces would be
MAX_SPACES = 40
# "H.RESOLUTION": a number and its heading set apart by a tab PDFium wrote no space for
_TIGHT_NUMBER = re.compile(r"\s*[A-Za-z0-9]{1,4}[.)](?=\S)")
TIGHT_GAP = 0.08  # a gap after a line's number over this many line heights is a space
_UPRIGHT = 0.1  # radians: text turned less than this is read as horizontal
_WORD_SPACE = re.compile(r"(?<=\S) (?=\S)")


class _Boxes:
    """Loose character boxes (the font's full line height) of one text page, fetched on demand."""

    def __init__(self, textpage: pdfium.PdfTextPage) -> None:
        self._raw = textpage.raw
        self._rect = pdfium_c.FS_RECTF()
        self._pointer = ctypes.pointer(self._rect)  # made once: this is called for every space

    def box(self, index: int) -> tuple[float, float, float, float]:
        """(left, right, bottom, top) of character ``index``."""
        if not pdfium_c.FPDFText_GetLooseCharBox(self._raw, index, self._pointer):
            return (0.0, 0.0, 0.0, 0.0)
        r = self._rect
        return (r.left, r.right, r.bottom, r.top)

    def upright(self, index: int) -> bool:
        return bool(abs(pdfium_c.FPDFText_GetCharAngle(self._raw, index)) < _UPRIGHT)

    def generated(self, index: int) -> bool:
        return bool(pdfium_c.FPDFText_IsGenerated(self._raw, index) == 1)


def page_text(page: pdfium.PdfPage) -> str:
    """The text of ``page`` with pypdf-like line breaks, blank lines and column gaps."""
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range()
        if len(text) != textpage.count_chars():  # characters outside the BMP: no 1:1 index map
            return _plain(text)
        return _laid_out(text, _Boxes(textpage))
    finally:
        textpage.close()


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\x02", "-")


_Line = tuple[int, str, float, float, float, float]  # offset, text, bottom, top, left, right


def _laid_out(text: str, boxes: _Boxes) -> str:
    lines: list[_Line | None] = []  # None: a sideways line was here
    start = 0
    n = len(text)
    while start <= n:
        end = text.find("\r\n", start)
        if end < 0:
            end = n
        line = text[start:end]
        first = start + (len(line) - len(line.lstrip()))
        if first < end and boxes.upright(first):
            left, _, bottom, top = boxes.box(first)
            right = boxes.box(start + len(line.rstrip()) - 1)[1]
            lines.append((start, line, bottom, top, left, right))
        elif first < end:  # a margin stamp set sideways: its "height" is a width, it joins no row
            left, right, bottom, top = boxes.box(first)
            lines += [None, (start, line, bottom, top, left, right), None]
        elif line:
            lines.append((start, line, 0.0, 0.0, 0.0, 0.0))
        start = end + 2
    pitch = _pitch(lines)
    out: list[str] = []
    prev: _Line | None = None
    row: _Line | None = None  # the first line of the output line being built
    for entry in lines:
        if entry is None:
            prev = row = None
            continue
        offset, line, bottom, top, left, _ = entry
        height = top - bottom
        laid = _gaps(line, offset, boxes, height)
        if row is not None and height > 0 and bottom < row[3] and row[2] < top and left > row[5]:
            out[-1] += " " + laid.lstrip()  # a table cell beside the row's first, wrapped or a little lower
        else:
            row = entry if height > 0 else None
            gap = prev is not None and height > 0 and prev[2] - top > PARAGRAPH_GAP * height
            if gap and prev is not None and prev[2] - bottom > EMPTY_LINE * pitch:
                out.append("")
            out.append(laid)
        prev = entry if height > 0 else prev
    return "\n".join(out).replace("\x02", "-")


def _pitch(lines: list[_Line | None]) -> float:
    """The page's usual distance from one line to the next (its median), 0 when it has none."""
    steps: list[float] = []
    prev: _Line | None = None
    for entry in lines:
        if entry is None:
            prev = None
        elif entry[3] > entry[2]:
            if prev is not None and 0 < prev[2] - entry[2] < 3 * (entry[3] - entry[2]):
                steps.append(prev[2] - entry[2])
            prev = entry
    return statistics.median(steps) if steps else 0.0


def _gaps(line: str, offset: int, boxes: _Boxes, height: float) -> str:
    """``line`` with a typed run of spaces put back, and a space after a number set off by a tab."""
    if height <= 0:
        return line
    cuts: list[tuple[int, int, str]] = []  # (start, end, replacement) in ``line``
    if m := _TIGHT_NUMBER.match(line):
        end = m.end()
        if boxes.box(offset + end)[0] - boxes.box(offset + end - 1)[1] > TIGHT_GAP * height:
            cuts.append((end, end, " "))
    box = boxes.box
    for m in _WORD_SPACE.finditer(line):
        i = m.start()
        before = box(offset + i - 1)
        after = box(offset + i + 1)
        gap = after[0] - before[1]
        wide = gap > COLUMN_GAP * height
        if not wide and after[2] < before[3] and before[2] < after[3]:  # most spaces: a word space
            continue
        if boxes.generated(offset + i):  # PDFium's own space for a move: pypdf writes one space too
            if _apart(before, after):
                cuts.append((i, i + 1, "\n"))  # two lines PDFium joined (a sideways stamp beside a footer)
            continue
        if wide:
            spaces = min(MAX_SPACES, max(2, round(gap / (SPACE * height))))
            cuts.append((i, i + 1, " " * spaces))
    if not cuts:
        return line
    parts: list[str] = []
    last = 0
    for start, end, new in cuts:
        parts += [line[last:start], new]
        last = end
    parts.append(line[last:])
    return "".join(parts)


def _apart(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two boxes share neither a row nor a column: no line runs through both."""
    rows = min(a[3], b[3]) - max(a[2], b[2])
    columns = min(a[1], b[1]) - max(a[0], b[0])
    return rows <= 0 and columns <= 0


class UnreadableError(Exception):
    """PDFium cannot open the file (pypdf reads it instead)."""


_lock = threading.Lock()  # PDFium is not thread-safe: one call into it at a time in this process


def _new_lock() -> None:
    global _lock
    _lock = threading.Lock()  # a worker forked while another thread held the lock starts with it free


os.register_at_fork(after_in_child=_new_lock)


def pages_text(path: Path, indices: range, until: float) -> list[str]:
    """The valid text of pages ``indices`` of ``path`` (opened here, closed before returning).

    Raises :class:`UnreadableError` when PDFium cannot open the file, the page's
    :class:`~summarise.errors.LineTooLongError`, and :class:`~summarise.errors.IngestTimeoutError`
    past ``until``. A page PDFium fails on gives no text (the caller reports pages without text).
    """
    out: list[str] = []
    with _lock:
        try:
            doc = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise UnreadableError(str(exc)) from exc
        try:
            if indices.stop > len(doc):
                raise UnreadableError(f"PDFium sees {len(doc)} pages")
            for i in indices:
                limits.check_time(path, until, i + 1)
                out.append(_one(doc, path, i))
        finally:
            doc.close()
    return out


def _one(doc: pdfium.PdfDocument, path: Path, i: int) -> str:
    try:
        page = doc[i]
        try:
            text = page_text(page)
        finally:
            page.close()
    except pdfium.PdfiumError as exc:
        # One damaged page should not sink the pack; the caller reports pages without text.
        log.warning("%s: page %d: text extraction failed (%s)", path, i + 1, exc)
        return ""
    limits.check_text(path, text, i + 1)
    return valid_text(text)
