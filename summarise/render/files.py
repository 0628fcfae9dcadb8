"""Output files: checked before any work is paid for."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from summarise.errors import OutputPathError


def check_output_path(path: Path) -> None:
    """Fail before any work is done when the output cannot be written."""
    if path.is_dir():
        raise OutputPathError(f"{path}: is a folder; give a file name for the output")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(f"{path}: folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputPathError(f"{path}: not writable; choose another output path")


def write_output(text: str, path: Path) -> None:
    """Write ``text`` to ``path`` atomically: the old file or the whole new one, never half of one.

    The temporary file sits next to ``path`` and is removed whatever goes wrong (an interrupt too).
    Text that cannot be encoded (lone surrogates) is written with "?" in its place.
    """
    fd, tmp = tempfile.mkstemp(
        dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.", suffix=".tmp"
    )
    done = False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace") as fh:
            fh.write(text)
        os.replace(tmp, path)
        done = True
    except OSError as exc:
        raise OutputPathError(f"{path}: could not write ({exc.strerror or exc})") from exc
    finally:
        if not done:
            Path(tmp).unlink(missing_ok=True)


def pdf_folder_for(papers: Sequence[str | os.PathLike[str]], output: Path | None) -> str | None:
    """The papers' folder relative to the output file's (``../papers``), so page links open from
    where the summary is written; None when there is no output file or the papers are in several
    folders (links then name the file alone)."""
    if output is None or not papers:
        return None
    folders = {Path(p).resolve().parent for p in papers}
    if len(folders) != 1:
        return None
    try:
        return os.path.relpath(folders.pop(), output.resolve().parent)
    except ValueError:  # another drive (Windows): no relative path
        return None
