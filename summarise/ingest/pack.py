"""``load_pack``: turn report-pack files into a :class:`~summarise.models.meeting.Meeting`.

Several files make one meeting (a front sheet plus separately published
reports): their pages are numbered on in the order given. PDFs are read with
PDFium and pypdf (:mod:`summarise.ingest.pdf`), byte-identical files once per call;
``.txt``/``.md`` files are read as text, one page per form feed, or pages of about 3,000
characters cut at blank lines.
Pages are cleaned (:mod:`summarise.ingest.clean`), the front sheet gives the
meeting's metadata (:mod:`summarise.ingest.frontsheet`) and segmentation finds the
agenda items (:mod:`summarise.ingest.agenda.segment`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from summarise.errors import EmptyInputError, InputError, InputNotFoundError, NotAPDFError, NoTextLayerError
from summarise.ingest import cache as ingest_cache
from summarise.ingest.agenda.segment import Source, segment
from summarise.ingest.clean import CleanPage, clean_pages, valid_text
from summarise.ingest.frontsheet import parse_front_sheet
from summarise.ingest.pdf import OutlineEntry, RawPdf, read_pdf
from summarise.ingest.samemeeting import check_same_meeting
from summarise.ingest.spans import resolve_spans
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page
from summarise.settings import Settings
from summarise.text.tokens import encoding_for

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
TEXT_PAGE_CHARS = 3000
_FRONT_PAGES = 2


def load_pack(
    paths: str | Path | Sequence[str | Path],
    *,
    settings: Settings | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    as_one_meeting: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Meeting:
    """Read one meeting's files and find its agenda items.

    Files whose own front sheets name different meetings (another date or body) raise
    :class:`~summarise.errors.DifferentMeetingsError`, unless ``as_one_meeting=True`` says they are one.
    ``progress("pages", done, total)`` is called as pages are read (``total`` grows as each file opens).

    The text cache lives in ``cache_dir``, else ``settings.cache_dir/ingest``, else the default
    (``$SUMMARISE_CACHE_DIR``, ``$XDG_CACHE_HOME/summarise`` or ``~/.cache/summarise``, then
    ``ingest``); ``use_cache=False`` or ``settings.use_cache`` false reads and writes none.

    >>> meeting = load_pack("pack.pdf")  # doctest: +SKIP
    >>> [(i.number, i.title, i.start_page, i.end_page) for i in meeting.items]  # doctest: +SKIP

    Raises a :class:`~summarise.errors.InputError` subclass naming the file for
    anything that cannot be read (missing, empty, not a PDF, corrupt,
    encrypted, scanned with no text layer).
    """
    if settings is not None:
        cache_dir = cache_dir or settings.ingest_cache_dir
        use_cache = use_cache and settings.use_cache
    files = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not files:
        raise InputNotFoundError("(no files)", "no input files were given")
    for path in files:
        if not path.exists():
            raise InputNotFoundError(path, "no such file")
        if not path.is_file():
            raise InputNotFoundError(path, "not a file", "give a PDF, .txt or .md file, not a directory")
        try:
            with path.open("rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise InputError(
                path, f"cannot read the file ({exc.strerror or exc})", "check its permissions"
            ) from exc

    meeting = _cached_or_load(files, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    if len(files) > 1 and not as_one_meeting:
        check_same_meeting(meeting)
    return meeting


class _PageCount:
    """Pages read across the files: ``progress("pages", done, total)``, the total growing per file."""

    def __init__(self, progress: Callable[[str, int, int], None] | None) -> None:
        self.progress = progress
        self.before = 0

    def on_pages(self, done: int, total: int) -> None:
        if self.progress:
            self.progress("pages", self.before + done, self.before + total)

    def file_done(self, pages: int) -> None:
        self.before += pages


def _cached_or_load(
    files: list[Path],
    *,
    cache_dir: Path | None,
    use_cache: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> Meeting:
    key = ingest_cache.meeting_key(files) if use_cache else ""
    if use_cache and (cached := ingest_cache.load_text(key, cache_dir)) is not None:
        try:
            meeting = Meeting.model_validate_json(cached)
            if progress:
                progress("pages", len(meeting.pages), len(meeting.pages))
            return meeting
        except ValueError:
            log.warning("ignoring an unreadable cached meeting for %s", files[0])
    meeting = _load(files, cache_dir=cache_dir, use_cache=use_cache, count=_PageCount(progress))
    if use_cache:
        ingest_cache.save_text(key, meeting.model_dump_json(), cache_dir)
    return meeting


def _load(
    files: list[Path], *, cache_dir: Path | None, use_cache: bool, count: _PageCount | None = None
) -> Meeting:
    count = count or _PageCount(None)
    pages: list[Page] = []
    cleaned: list[CleanPage] = []
    sources: list[Source] = []
    raw_front = ""
    read: dict[str, RawPdf] = {}  # by content: a file given twice (or a copy) is extracted once
    for path in files:
        raw, outline, is_pdf = _read(
            path, cache_dir=cache_dir, use_cache=use_cache, on_pages=count.on_pages, read=read
        )
        count.file_done(len(raw))
        if not any(text.strip() for text in raw):
            if is_pdf:
                raise NoTextLayerError(path, f"none of its {len(raw)} pages has a text layer")
            raise EmptyInputError(path, "the file has no text")
        if not sources:
            raw_front = "\n".join(raw[:_FRONT_PAGES])
        offset = len(pages)
        file_pages = clean_pages(raw, running_headers=is_pdf)  # text files have no page furniture
        for i, cp in enumerate(file_pages):
            pages.append(
                Page(
                    number=offset + i + 1,
                    text=cp.text,
                    source=path.name,
                    source_page=i + 1,
                    has_text=cp.has_text,
                )
            )
        cleaned.extend(file_pages)
        shifted = [OutlineEntry(e.title, e.page + offset, e.depth) for e in outline]
        sources.append(Source(path.name, offset + 1, offset + len(file_pages), shifted))

    front = parse_front_sheet(raw_front)
    title = front.body
    if front.body and front.date:
        title = f"{front.body}, {front.date.day} {front.date:%B %Y}"
    info = MeetingInfo(
        body=front.body,
        title=title,
        date=front.date,
        time=front.time,
        venue=front.venue,
        sources=[p.name for p in files],
    )
    seg = segment(cleaned, sources)
    log.info("%s: %d items found from the %s", files[0].name, len(seg.items), seg.signal)
    warnings = _warnings(pages)
    if seg.signal == "whole document":
        warnings.append(
            "no agenda structure found (bookmarks, front sheet, 'Agenda Item' stamps or numbered headings);"
            " the whole document is one item"
        )
    items = resolve_spans(pages, seg.items)
    meeting = Meeting(info=info, pages=pages, items=items, warnings=warnings)
    _count_tokens(meeting)
    return meeting


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        return b"%PDF-" in fh.read(1024)


def _read(
    path: Path,
    *,
    cache_dir: Path | None,
    use_cache: bool,
    on_pages: Callable[[int, int], None],
    read: dict[str, RawPdf],
) -> tuple[list[str], list[OutlineEntry], bool]:
    """Raw page texts, outline, and whether it was a PDF."""
    if path.suffix.lower() in TEXT_SUFFIXES and not _is_pdf(path):
        pages = _read_text(path)
        on_pages(len(pages), len(pages))
        return pages, [], False
    raw = read_pdf(path, cache_dir=cache_dir, use_cache=use_cache, on_pages=on_pages, read=read)
    return raw.pages, raw.outline, True


def _read_text(path: Path) -> list[str]:
    data = path.read_bytes()
    if not data.strip():
        raise EmptyInputError(path, "the file is empty")
    if b"\x00" in data[:4096]:
        raise NotAPDFError(path, "binary data in a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    pages = text.split("\f") if "\f" in text else paginate(text)
    return [valid_text(page) for page in pages]


def paginate(text: str, size: int = TEXT_PAGE_CHARS) -> list[str]:
    """Cut text with no form feeds into pages of about ``size`` characters, at blank lines.

    Citations and item ranges work in pages, so a long transcript must not be one page.
    """
    pages: list[str] = []
    current: list[str] = []
    used = 0
    for para in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        if current and used + len(para) > size:
            pages.append("\n\n".join(current))
            current, used = [], 0
        current.append(para)
        used += len(para) + 2
    if current:
        pages.append("\n\n".join(current))
    return pages


def _count_tokens(meeting: Meeting) -> None:
    """``count_tokens`` for every item and sub-item, encoded as one threaded batch.

    Same counts as :func:`summarise.text.tokens.count_tokens` (special tokens are
    ordinary text there too); the batch keeps a warm re-run fast.
    """
    todo: list[AgendaItem] = []
    stack = list(meeting.items)
    while stack:
        item = stack.pop()
        stack.extend(item.sub_items)
        if item.has_papers:
            todo.append(item)
    texts = [meeting.item_text(item) for item in todo]
    counts = [len(ids) for ids in encoding_for(None).encode_ordinary_batch(texts, num_threads=4)]
    for item, n in zip(todo, counts, strict=True):
        item.tokens = n


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    for n in numbers:
        if parts and parts[-1].split("-")[-1] == str(n - 1):
            parts[-1] = f"{parts[-1].split('-')[0]}-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _warnings(pages: list[Page]) -> list[str]:
    missing = [p.number for p in pages if not p.has_text]
    if not missing:
        return []
    return [
        f"{len(missing)} of {len(pages)} pages have no text layer (scanned?): pages {_ranges(missing)}; "
        "their content is missing from the summary (run OCR, e.g. ocrmypdf, to include it)"
    ]
