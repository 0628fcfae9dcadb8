"""Shared fixtures: the real council documents in ../shared/data, when present."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (real council packs); skips the test when it is absent."""
    if not (SHARED_DATA / "packs").is_dir():
        pytest.skip(
            f"../shared/data not present: real council packs are not in this checkout ({SHARED_DATA})"
        )
    return SHARED_DATA
