"""Raw page text and outline from a PDF, with pypdf.

pypdf's ``extract_text`` is pure Python and dominates ingest time, so its content-stream
parser is swapped for :mod:`summarise.ingest.fastpdf` (same output, faster) and large
files (over 40 pages) are split across 2 to 4 worker processes, one per core
(forked workers inherit the parsed file; others open it themselves), and the
result is cached on disk by file content (:mod:`summarise.ingest.cache`).
Every pypdf failure is turned into a typed :class:`~summarise.errors.InputError`.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import logging
import math
import os
import signal
import sys
import threading
import time
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
from summarise.ingest import limits
from summarise.ingest.clean import valid_text
from summarise.ingest.fastpdf import StreamTooLargeError, take_oversized
from summarise.ingest.fastpdf import install as install_fast_parser
from summarise.ingest.fastpdf import installed as fast_parser

log = logging.getLogger(__name__)
# pypdf warns about every repaired defect; keep that out of stderr unless the app configures logging.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

PARALLEL_MIN_PAGES = 40
WORKERS = max(2, min(4, os.cpu_count() or 2))  # pypdf is CPU-bound: one process per core, 2 to 4
CHUNKS_PER_WORKER = 8  # small chunks: the slow pages of one appendix do not leave a worker idle


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
    path: Path, *, cache_dir: Path | None = None, use_cache: bool = True, on_pages: PageProgress | None = None
) -> RawPdf:
    """Raw text of every page and the outline of ``path``, from cache when possible."""
    data = path.read_bytes()
    if not data:
        raise EmptyInputError(path, "the file is empty (0 bytes)", "download it again")
    if b"%PDF-" not in data[:1024]:
        raise NotAPDFError(path, "not a PDF (no %PDF- header)")
    key = ingest_cache.content_key(data)
    if use_cache:
        cached = ingest_cache.load(key, cache_dir)
        if cached is not None:
            log.debug("ingest cache hit for %s", path)
            raw = RawPdf.from_json(cached)
            if on_pages:
                on_pages(len(raw.pages), len(raw.pages))
            return raw
    del data
    with limits.pypdf_notes(path):
        raw = _extract(path, on_pages)
    if use_cache:
        ingest_cache.save(key, raw.to_json(), cache_dir)
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
    if n <= PARALLEL_MIN_PAGES:
        pages = _pages_text(reader, path, range(n), until, on_pages)
        return RawPdf(pages=pages, outline=_outline(reader))
    try:
        return _parallel(reader, path, n, until, on_pages)
    except InputError:
        raise
    except (cf.process.BrokenProcessPool, OSError) as exc:  # no processes here (sandbox, OOM kill...)
        log.warning("%s: parallel extraction failed (%s); extracting in this process", path, _describe(exc))
        pages = _pages_text(reader, path, range(n), until, on_pages)
        return RawPdf(pages=pages, outline=_outline(reader))
    except Exception as exc:
        raise CorruptPDFError(path, f"text extraction failed ({_describe(exc)})") from exc


def _parallel(
    reader: pypdf.PdfReader, path: Path, n: int, until: float, on_pages: PageProgress | None
) -> RawPdf:
    """Page texts from worker processes, each opening the file once and taking chunks in turn."""
    size = max(1, math.ceil(n / (WORKERS * CHUNKS_PER_WORKER)))
    chunks = [range(i, min(n, i + size)) for i in range(0, n, size)]
    pages = [""] * n
    _WORKER["inherited"] = (str(path), reader)  # forked workers start with the parsed file
    try:
        with cf.ProcessPoolExecutor(
            max_workers=WORKERS, initializer=_worker_init, initargs=(str(path), os.getpid(), until)
        ) as pool:
            futures = {pool.submit(_worker_pages, chunk.start, chunk.stop): chunk for chunk in chunks}
            outline = _outline(reader)  # read while the workers extract
            done = 0
            try:
                for fut in cf.as_completed(futures):
                    chunk = futures[fut]
                    pages[chunk.start : chunk.stop] = fut.result()
                    done += len(chunk)
                    if on_pages:
                        on_pages(done, n)
            except BaseException:
                pool.shutdown(wait=False, cancel_futures=True)  # one failed chunk: no more are started
                raise
    finally:
        _WORKER.pop("inherited", None)
    return RawPdf(pages=pages, outline=outline)


def _pages_text(
    reader: pypdf.PdfReader,
    path: Path,
    indices: range,
    until: float,
    on_pages: PageProgress | None = None,
) -> list[str]:
    """Each page's valid text; a page over a limit raises its :class:`ResourceLimitError`."""
    out: list[str] = []
    with fast_parser():  # same text, content streams parsed faster
        for i in indices:
            if time.monotonic() > until:
                raise IngestTimeoutError(
                    path, f"reading its text took over {limits.MAX_SECONDS:.0f} s (stopped at page {i + 1})"
                )
            try:
                page = reader.pages[i]
                limits.check_page_content(path, page, i + 1)
                take_oversized()
                text = page.extract_text() or ""
                if size := take_oversized():
                    raise limits.too_large(path, i + 1, size)
                limits.check_text(path, text, i + 1)
                out.append(valid_text(text))
            except InputError:
                raise
            except pypdf.errors.LimitReachedError as exc:
                raise limits.bomb(path, i + 1) from exc
            except StreamTooLargeError as exc:  # a form the page draws: not counted by check_page_content
                raise limits.too_large(path, i + 1, exc.size) from exc
            except Exception as exc:
                # One damaged page should not sink the pack; the caller reports pages without text.
                log.warning("%s: page %d: text extraction failed (%s)", path, i + 1, type(exc).__name__)
                out.append("")
            if on_pages:
                on_pages(len(out), len(indices))
    return out


_WORKER: dict[str, Any] = {}


def _worker_init(path: str, parent: int, until: float) -> None:
    """Open the file once per worker; a forked worker already holds the parent's parsed copy."""
    die_with_parent(parent)
    logging.getLogger("pypdf").propagate = False  # the parent reports what matters, in one line
    _WORKER["path"] = Path(path)
    _WORKER["until"] = until
    install_fast_parser()  # a worker is ours: keep the fast parser for its life
    inherited = _WORKER.pop("inherited", None)
    _WORKER["reader"] = inherited[1] if inherited and inherited[0] == path else _open(Path(path))


def die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` ends, however it ends (SIGKILL included): no orphans.

    Linux: the kernel sends SIGKILL on the parent's death (``PR_SET_PDEATHSIG``). Elsewhere, or if
    that call fails, a daemon thread checks every half second whether the parent is still there.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the call
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


_PR_SET_PDEATHSIG = 1


def _worker_pages(start: int, stop: int) -> list[str]:
    reader: pypdf.PdfReader = _WORKER["reader"]
    return _pages_text(reader, _WORKER["path"], range(start, stop), _WORKER["until"])


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
