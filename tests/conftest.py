"""Shared fixtures: the real council documents in ../shared/data, when present."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
EVAL_FIXTURES = ROOT / "tests" / "fixtures" / "eval"


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


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    """The committed eval fixtures in tmp_path, the manifest pointing at the example pack by absolute path."""
    copy = tmp_path / "eval"
    shutil.copytree(EVAL_FIXTURES, copy)
    manifest = copy / "sample" / "meeting.toml"
    text = manifest.read_text(encoding="utf-8")
    pack = (ROOT / "examples" / "sample-pack.pdf").as_posix()
    manifest.write_text(text.replace("../../../../examples/sample-pack.pdf", pack))
    return copy
