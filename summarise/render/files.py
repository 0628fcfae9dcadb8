"""Output files: checked before any work is paid for."""

from __future__ import annotations

import os
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
