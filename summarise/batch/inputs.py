"""Which meetings a batch holds: given one by one, found in folders, or listed in a manifest.

A folder holds one meeting per PDF (its id: the file's stem), or one per sub-folder for a
meeting published as several files (its id: the sub-folder's name; its PDFs in name order). A
manifest (CSV with a header, or JSON Lines) lists each meeting's ``files`` (a list, or names
joined by ``;``), and optionally its ``id``, ``body`` and ``date`` (YYYY-MM-DD), which replace
what the front sheet gives. Relative file names are read from the manifest's folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from summarise.errors import InputError, InputNotFoundError
from summarise.models.meeting import Meeting

PDF_SUFFIX = ".pdf"
MANIFEST_SUFFIXES = (".csv", ".jsonl")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class MeetingSpec:
    """One meeting of a batch: its files (in order), its id (an output file name) and, where
    known better than its front sheet, its body and date."""

    paths: tuple[Path, ...]
    meeting_id: str
    body: str | None = None
    date: dt.date | None = None


MeetingLike = MeetingSpec | str | Path | Sequence[str | Path]
"""A batch entry: a :class:`MeetingSpec`, one file, or one meeting's files."""


def with_given_info(meeting: Meeting, spec: MeetingSpec) -> Meeting:
    """The body and date given for a meeting (a manifest's), in place of its front sheet's."""
    update = {k: v for k, v in (("body", spec.body), ("date", spec.date)) if v is not None}
    if not update:
        return meeting
    return meeting.model_copy(update={"info": meeting.info.model_copy(update=update)})


def safe_id(text: str) -> str:
    """``text`` as a file name: letters, digits, ``.``, ``_`` and ``-`` only, never hidden."""
    cleaned = _UNSAFE.sub("-", text.strip()).strip("-.")
    return cleaned or "meeting"


def unique_ids(specs: Iterable[MeetingSpec]) -> list[MeetingSpec]:
    """Every id made unique (``-2``, ``-3`` ...), so no meeting's output overwrites another's."""
    seen: set[str] = set()
    out: list[MeetingSpec] = []
    for spec in specs:
        base = safe_id(spec.meeting_id)
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}-{n}"
        seen.add(name.lower())
        out.append(spec if name == spec.meeting_id else replace(spec, meeting_id=name))
    return out


def as_spec(entry: MeetingLike) -> MeetingSpec:
    """A batch entry as a :class:`MeetingSpec`; the id defaults to the first file's stem."""
    if isinstance(entry, MeetingSpec):
        return entry
    paths = (Path(entry),) if isinstance(entry, (str, Path)) else tuple(Path(p) for p in entry)
    if not paths:
        raise InputNotFoundError("(no files)", "a meeting of the batch has no files")
    return MeetingSpec(paths, paths[0].stem)


def meeting_specs(entries: Iterable[MeetingLike]) -> list[MeetingSpec]:
    return unique_ids(as_spec(e) for e in entries)


# --- folders ------------------------------------------------------------------------------------


def _pdfs(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == PDF_SUFFIX and _visible(p)
    )


def _visible(path: Path) -> bool:
    return not path.name.startswith((".", "_"))


def discover(targets: Sequence[Path]) -> list[MeetingSpec]:
    """The meetings in ``targets``: each a PDF (one meeting) or a folder of meetings."""
    specs: list[MeetingSpec] = []
    for target in targets:
        if target.is_file():
            specs.append(MeetingSpec((target,), target.stem))
            continue
        if not target.is_dir():
            raise InputNotFoundError(target, "no such file or folder")
        found = [MeetingSpec((pdf,), pdf.stem) for pdf in _pdfs(target)]
        for sub in sorted(p for p in target.iterdir() if p.is_dir() and _visible(p)):
            files = _pdfs(sub)
            if files:
                found.append(MeetingSpec(tuple(files), sub.name))
        if not found:
            raise InputError(
                target, "no meetings here", "put one PDF per meeting, or one sub-folder of PDFs per meeting"
            )
        specs.extend(found)
    return unique_ids(specs)


# --- manifests ----------------------------------------------------------------------------------


def read_manifest(path: Path) -> list[MeetingSpec]:
    """The meetings a ``.csv`` or ``.jsonl`` manifest lists (see the module's docstring)."""
    if not path.is_file():
        raise InputNotFoundError(path, "no such manifest")
    suffix = path.suffix.lower()
    if suffix not in MANIFEST_SUFFIXES:
        kind = suffix or "suffix-less"
        raise InputError(path, f"cannot read a {kind} manifest", "give a .csv or .jsonl file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the manifest ({exc})", "save it as UTF-8 text") from None
    rows = _csv_rows(text) if suffix == ".csv" else _jsonl_rows(path, text)
    specs = [_row_spec(path, line, row) for line, row in rows]
    if not specs:
        raise InputError(path, "the manifest lists no meetings", "give one meeting a row")
    return unique_ids(specs)


def _csv_rows(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(text.splitlines())
    for number, row in enumerate(reader, start=2):
        if any((v or "").strip() for v in row.values() if isinstance(v, str)):
            yield number, {k.strip().lower(): v for k, v in row.items() if k}


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            problem = f"line {number}: not JSON ({exc.args[0]})"
            raise InputError(path, problem, "give one object a line") from None
        if not isinstance(row, dict):
            raise InputError(path, f"line {number}: not a JSON object", "give one object a line")
        yield number, {str(k).lower(): v for k, v in row.items()}


def _row_spec(manifest: Path, line: int, row: dict[str, Any]) -> MeetingSpec:
    files = row.get("files", row.get("file"))
    names = files.split(";") if isinstance(files, str) else files
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError(manifest, f"line {line}: 'files' must name the meeting's files", "e.g. a.pdf;b.pdf")
    paths = tuple(manifest.parent / n.strip() for n in names if n.strip())
    if not paths:
        raise InputError(manifest, f"line {line}: no files given", "name the meeting's files in 'files'")
    given = row.get("id") or row.get("meeting_id") or ""
    body = str(row.get("body") or "").strip() or None
    date = None
    if raw := str(row.get("date") or "").strip():
        try:
            date = dt.date.fromisoformat(raw)
        except ValueError:
            problem = f"line {line}: date {raw!r} is not YYYY-MM-DD"
            raise InputError(manifest, problem, "fix the date") from None
    return MeetingSpec(paths, str(given).strip() or paths[0].stem, body, date)


# --- fingerprints -------------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes (what resuming compares: a changed file is summarised again)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_digest(spec: MeetingSpec) -> str:
    """One digest over a meeting's files (content and order) and the body and date given for it."""
    parts = [file_digest(p) for p in spec.paths]
    parts += [spec.body or "", spec.date.isoformat() if spec.date else ""]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
