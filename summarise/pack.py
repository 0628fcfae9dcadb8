"""Placeholder: replaced by the ingest work (issue 2)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from summarise.meeting import Meeting


def load_pack(paths: str | Path | Sequence[str | Path]) -> Meeting:
    raise NotImplementedError
