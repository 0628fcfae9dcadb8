"""Page text with PDFium (pypdfium2), normalised to what the rest of ingest expects.

PDFium is not thread-safe, so every call into it holds one process-wide lock; worker
processes each open the file themselves (a forked copy of an open document would share
its file offset with the parent).
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

import pypdfium2 as pdfium

from summarise.errors import CorruptPDFError, EncryptedPDFError

_LOCK = threading.RLock()
# PDFium writes "\r\n" between lines and U+0002 for a hyphen it found at a line's end.
_NORMALISE = str.maketrans({"\x02": "-", "\r": None})


class PdfiumText:
    """``with PdfiumText(path) as text_of: text_of(i)`` is the text of 0-based page ``i``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc: pdfium.PdfDocument | None = None

    def __enter__(self) -> PdfiumText:
        with _LOCK:
            try:
                self._doc = pdfium.PdfDocument(str(self.path))
            except pdfium.PdfiumError as exc:
                if "password" in str(exc).lower():
                    raise EncryptedPDFError(self.path, "the PDF is encrypted with a password") from exc
                raise CorruptPDFError(self.path, f"cannot read the PDF (PDFium: {exc})") from exc
        return self

    def __call__(self, index: int) -> str:
        assert self._doc is not None, "use PdfiumText as a context manager"
        with _LOCK:
            page = self._doc[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = _with_gaps(textpage)
                finally:
                    textpage.close()
            finally:
                page.close()
        return text.translate(_NORMALISE)

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        with _LOCK:
            if self._doc is not None:
                self._doc.close()
                self._doc = None


GAP = 0.9  # a vertical gap over this many line heights is a blank line, as pypdf writes one


def _with_gaps(textpage: pdfium.PdfTextPage) -> str:
    """The page's lines, with a blank line where a gap separates two (segmentation reads those)."""
    count = textpage.count_chars()
    lines = textpage.get_text_range(0, count).split("\r\n") if count else []
    out: list[str] = []
    prev: tuple[float, float, float, float] | None = None
    index = 0
    for line in lines:
        first = next((k for k, ch in enumerate(line) if not ch.isspace()), None)
        box = textpage.get_charbox(index + first) if first is not None else None
        if box is not None and prev is not None:
            height = max(box[3] - box[1], prev[3] - prev[1], 1.0)
            if prev[1] - box[3] > GAP * height:
                out.append("")
        prev = box or prev
        out.append(line)
        index += len(line) + 2
    return "\n".join(out)
