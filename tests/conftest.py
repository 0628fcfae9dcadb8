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


@pytest.fixture(autouse=True, scope="session")
def isolated_caches(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the ingest and model-call caches of a test session out of the user's own cache."""
    import os

    if not os.environ.get("SUMMARISE_KEEP_TEST_CACHE"):  # set it to reuse your own cache
        os.environ["SUMMARISE_CACHE_DIR"] = str(tmp_path_factory.mktemp("summarise-cache"))
