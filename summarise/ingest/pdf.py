"""Raw page text and outline from a PDF: PDFium for the text, pypdf for the rest.

PDFium (pypdfium2) extracts the text, laid out by :mod:`summarise.ingest.pdfium`, about ten
times faster than pypdf; pypdf opens the file first (encryption, page count, the drawing-size
limits of :mod:`summarise.ingest.limits`) and reads the outline, and extracts the text itself
only when PDFium cannot open the file or its worker crashed. Files over
:data:`PARALLEL_MIN_PAGES` pages are split across the shared worker processes of
:mod:`summarise.ingest.workers`; the result is cached on disk by file content
(:mod:`summarise.ingest.cache`). Every failure is a typed :class:`~summarise.errors.InputError`.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdf
from pypdf import PasswordType
from pypdf.generic import Destination

from summarise.errors import (
    CorruptPDFError,
    EmptyInputError,
    EncryptedPDFError,
    IngestTimeoutError,
    InputError,
    NotAPDFError,
)
from summarise.ingest import cache as ingest_cache
from summarise.ingest import limits, pdfium, workers
from summarise.ingest.clean import valid_text
from summarise.ingest.workers import die_with_parent as die_with_parent  # summarise.batch's workers use it

log = logging.getLogger(__name__)
# pypdf warns about every repaired defect; keep that out of stderr unless the app configures logging.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

PARALLEL_MIN_PAGES = 40  # smaller files are read in this process: a worker's round trip is not worth it
CHUNKS_PER_WORKER = 4  # a few chunks each: the slow pages of one appendix do not leave a worker idle


@dataclass(frozen=True)
class OutlineEntry:
    """One bookmark: its title, 0-based depth and 1-based page inside its file."""

    title: str
    page: int
    depth: int


@dataclass
class RawPdf:
    """What a PDF gives ingest: raw text per page and the flattened outline."""

    pages: list[str]
    outline: list[OutlineEntry] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "outline": [[e.title, e.page, e.depth] for e in self.outline],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RawPdf:
        outline = [OutlineEntry(str(t), int(p), int(d)) for t, p, d in data["outline"]]
        return cls(pages=[str(p) for p in data["pages"]], outline=outline)


PageProgress = Callable[[int, int], None]
"""``on_pages(done, total)``: pages of the file read so far."""


def read_pdf(
    path: Path,
    *,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    on_pages: PageProgress | None = None,
    read: dict[str, RawPdf] | None = None,
) -> RawPdf:
    """Raw text of every page and the outline of ``path``, from cache when possible.

    ``read`` maps content keys to files already read in this call: a byte-identical file is
    extracted once even with the cache off.
    """
    data = path.read_bytes()
    if not data:
        raise EmptyInputError(path, "the file is empty (0 bytes)", "download it again")
    if b"%PDF-" not in data[:1024]:
        raise NotAPDFError(path, "not a PDF (no %PDF- header)")
    key = ingest_cache.content_key(data)
    raw: RawPdf | None = read.get(key) if read is not None else None
    if raw is None and use_cache:
        cached = ingest_cache.load(key, cache_dir)
        if cached is not None:
            log.debug("ingest cache hit for %s", path)
            raw = RawPdf.from_json(cached)
    del data
    if raw is not None:
        if on_pages:
            on_pages(len(raw.pages), len(raw.pages))
    else:
        with limits.pypdf_notes(path):
            raw = _extract(path, on_pages)
        if use_cache:
            ingest_cache.save(key, raw.to_json(), cache_dir)
    if read is not None:
        read[key] = raw
    return raw


def _open(path: Path) -> pypdf.PdfReader:
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise EncryptedPDFError(path, "the PDF is encrypted with a password")
        if len(reader.pages) == 0:
            raise CorruptPDFError(path, "the PDF has no readable pages")
        limits.check_pages(path, len(reader.pages))
    except InputError:
        raise
    except pypdf.errors.FileNotDecryptedError as exc:
        raise EncryptedPDFError(path, "the PDF is encrypted with a password") from exc
    except pypdf.errors.DependencyError as exc:
        raise EncryptedPDFError(
            path, f"cannot decrypt ({exc})", "install the 'cryptography' package or remove the password"
        ) from exc
    except Exception as exc:  # pypdf raises many types on damaged files
        raise CorruptPDFError(path, f"cannot read the PDF ({_describe(exc)})") from exc
    return reader


def _describe(exc: BaseException) -> str:
    """One short line, whatever the exception's text looks like."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:160]}" if text else type(exc).__name__


def _extract(path: Path, on_pages: PageProgress | None = None) -> RawPdf:
    reader = _open(path)
    n = len(reader.pages)
    until = limits.deadline()
    if on_pages:
        on_pages(0, n)
    try:
        pages = _pdfium_pages(reader, path, n, until)
    except pdfium.UnreadableError as exc:
        log.info("%s: PDFium cannot read it (%s); extracting with pypdf", path, exc)
        pages = _pypdf_pages(reader, path, range(n), until)
    except (cf.process.BrokenProcessPool, OSError) as exc:  # no processes here, or a worker crashed
        log.warning("%s: parallel extraction failed (%s); extracting with pypdf", path, _describe(exc))
        pages = _pypdf_pages(reader, path, range(n), until)
    except workers.PoolTimeoutError as exc:
        raise IngestTimeoutError(path, f"reading its text took over {limits.MAX_SECONDS:.0f} s") from exc
    except InputError:
        raise
    except Exception as exc:
        raise CorruptPDFError(path, f"text extraction failed ({_describe(exc)})") from exc
    if on_pages:
        on_pages(n, n)
    return RawPdf(pages=pages, outline=_outline(reader))


def _pdfium_pages(reader: pypdf.PdfReader, path: Path, n: int, until: float) -> list[str]:
    """Every page's text with PDFium: here for a small file, in the shared workers for a large one.

    Each page is checked against the drawing-size limits (with pypdf) before PDFium draws it.
    """
    if n <= PARALLEL_MIN_PAGES:
        _check(reader, path, range(n))
        return _pages_text(str(path), 0, n, until)
    size = max(1, math.ceil(n / (workers.WORKERS * CHUNKS_PER_WORKER)))
    chunks = [range(start, min(n, start + size)) for start in range(0, n, size)]
    calls = [(str(path), c.start, c.stop, until) for c in chunks]
    texts = workers.run(_pages_text, calls, until, before=lambda k: _check(reader, path, chunks[k]))
    return [text for chunk in texts for text in chunk]


def _check(reader: pypdf.PdfReader, path: Path, indices: range) -> None:
    for i in indices:
        limits.check_page_content(path, reader.pages[i], i + 1)


def _pages_text(path: str, start: int, stop: int, until: float) -> list[str]:
    """Pages ``start`` to ``stop`` of ``path`` with PDFium (what a worker runs)."""
    return pdfium.pages_text(Path(path), range(start, stop), until)


def _pypdf_pages(reader: pypdf.PdfReader, path: Path, indices: range, until: float) -> list[str]:
    """Each page's valid text with pypdf, for a file PDFium cannot read."""
    out: list[str] = []
    for i in indices:
        limits.check_time(path, until, i + 1)
        limits.check_page_content(path, reader.pages[i], i + 1)
        try:
            text = reader.pages[i].extract_text() or ""
        except pypdf.errors.LimitReachedError as exc:
            raise limits.bomb(path, i + 1) from exc
        except Exception as exc:
            # One damaged page should not sink the pack; the caller reports pages without text.
            log.warning("%s: page %d: text extraction failed (%s)", path, i + 1, type(exc).__name__)
            text = ""
        limits.check_text(path, text, i + 1)
        out.append(valid_text(text))
    return out


def _outline(reader: pypdf.PdfReader) -> list[OutlineEntry]:
    """Flatten the outline; nested lists in pypdf's outline are children of the entry before them."""
    entries: list[OutlineEntry] = []

    def walk(nodes: list[Any], depth: int) -> None:
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
                continue
            if not isinstance(node, Destination):
                continue
            try:
                page = reader.get_destination_page_number(node)
            except Exception:
                continue
            if page is None or page < 0:
                continue
            title = " ".join(valid_text(str(node.title or "")).split())
            if title:
                entries.append(OutlineEntry(title=title, page=page + 1, depth=depth))

    try:
        walk(list(reader.outline), 0)
    except Exception as exc:  # a broken outline is not a broken pack
        log.warning("outline unreadable (%s); ignoring bookmarks", type(exc).__name__)
        return []
    return entries
