"""On-disk ingest cache, keyed by file content.

Two layers: the raw text and outline of each PDF (the expensive part, keyed by
the file's sha256, the pypdf and pypdfium2 versions and the text layout's version), and the
finished meeting (keyed by every file's sha256 and name plus a hash of the ingest code, so editing the
cleaning or segmentation rules never serves a stale result).

Location: the ``cache_dir`` argument (``load_pack`` passes ``Settings.cache_dir/ingest``), else
``$SUMMARISE_CACHE_DIR/ingest``, else ``$XDG_CACHE_HOME/summarise/ingest`` or
``~/.cache/summarise/ingest``. Entries are plain JSON files written
atomically; a cache that cannot be read or written is logged and ignored.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pypdf

from summarise._version import __version__
from summarise.settings import default_cache_dir

log = logging.getLogger(__name__)

FORMAT_VERSION = "2"  # 2: text from PDFium laid out by ingest/pdfium.py (whose source is in the key too)
_PDFIUM = importlib.metadata.version("pypdfium2")


def default_dir() -> Path:
    """``ingest`` inside :func:`~summarise.settings.default_cache_dir`."""
    return default_cache_dir() / "ingest"


def content_key(data: bytes) -> str:
    h = hashlib.sha256(data)
    h.update(f"|pypdf={pypdf.__version__}|pdfium={_PDFIUM}|fmt={FORMAT_VERSION}|{_layout_version()}".encode())
    return h.hexdigest()


_IMPORT = re.compile(r"^\s*from summarise((?:\.\w+)*) import ([\w, ]+)", re.MULTILINE)
_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def _module_file(dotted: str) -> Path | None:
    """``ingest.pack`` -> its file under the package, or None (a name, not a module)."""
    base = _PACKAGE_ROOT.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def ingest_sources() -> dict[str, bytes]:
    """Source of ``ingest/pack.py`` and every package module it imports, transitively."""
    found: dict[str, bytes] = {}
    todo = ["ingest.pack"]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        path = _module_file(name)
        if path is None:
            continue
        try:
            found[name] = path.read_bytes()
        except OSError:  # a zipped install
            continue
        for package, names in _IMPORT.findall(found[name].decode("utf-8", "replace")):
            package = package.lstrip(".")
            todo.extend(f"{package}.{n.strip()}".lstrip(".") for n in names.split(",") if n.strip())
            if package:
                todo.append(package)
    return found


@functools.cache
def _layout_version() -> str:
    """Editing the text layout (ingest/pdfium.py) re-extracts; a zipped install keys on the version."""
    path = _module_file("ingest.pdfium")
    try:
        source = path.read_bytes() if path is not None else __version__.encode()
    except OSError:
        source = __version__.encode()
    return hashlib.sha256(source).hexdigest()[:16]


@functools.cache  # the code does not change under a running process: read its files once
def _code_version() -> str:
    """Editing the cleaning or segmentation rules re-segments (the text cache stays);
    edits to unrelated modules (the summariser, the CLI) do not."""

    h = hashlib.sha256(__version__.encode())
    for name, source in sorted(ingest_sources().items()):
        h.update(name.encode() + b"\0" + source)
    return h.hexdigest()


def meeting_key(files: list[Path]) -> str:
    """Key of a finished meeting: each file's name and content, and the ingest code."""
    h = hashlib.sha256(f"meeting|fmt={FORMAT_VERSION}|code={_code_version()}".encode())
    for path in files:
        h.update(f"|{path.name}|".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return "meeting-" + h.hexdigest()


def _path(key: str, cache_dir: Path | None) -> Path:
    return (cache_dir or default_dir()) / f"{key}.json"


def load(key: str, cache_dir: Path | None = None) -> dict[str, Any] | None:
    path = _path(key, cache_dir)
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable ingest cache entry %s (%s)", path, exc)
        return None
    return data if isinstance(data, dict) else None


def load_text(key: str, cache_dir: Path | None = None) -> str | None:
    try:
        return _path(key, cache_dir).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable ingest cache entry %s (%s)", key, exc)
        return None


def save(key: str, value: dict[str, Any], cache_dir: Path | None = None) -> None:
    save_text(key, json.dumps(value, ensure_ascii=False), cache_dir)


def save_text(key: str, text: str, cache_dir: Path | None = None) -> None:
    """Write atomically; a cache that cannot be written is logged, never fatal."""
    path = _path(key, cache_dir)
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError) as exc:  # ValueError: text that cannot be encoded
        log.warning("could not write ingest cache %s (%s)", path, exc)
    finally:  # whatever happened (an interrupt too), no temporary file is left behind
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
