"""The examples run as a newcomer would run them, and the committed output is current."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_notebook_cells_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.chdir(EXAMPLES)
    notebook = json.loads((EXAMPLES / "summarise_meeting.ipynb").read_text())
    namespace: dict[str, object] = {}
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells
    for cell in cells:
        exec(compile("".join(cell["source"]), "notebook-cell", "exec"), namespace)
    summary = namespace["summary"]
    assert "<article" in summary._repr_html_()  # type: ignore[attr-defined]


def test_example_script_writes_all_three_formats(tmp_path: Path) -> None:
    script = EXAMPLES / "summarise_example.py"
    done = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    for suffix in ("md", "html", "json"):
        assert (tmp_path / f"sample-summary.{suffix}").stat().st_size > 1000
    committed = json.loads((EXAMPLES / "output" / "sample-summary.json").read_text())
    fresh = json.loads((tmp_path / "sample-summary.json").read_text())
    for data in (committed, fresh):
        data["provenance"].pop("created_at")
        data["provenance"].pop("library_version")
    assert fresh == committed, "examples/output is stale: run python examples/summarise_example.py"


def test_sample_pack_is_reproducible_from_its_generator(tmp_path: Path) -> None:
    pytest.importorskip("fpdf")
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_sample_pack
    finally:
        sys.path.remove(str(EXAMPLES))
    rebuilt = tmp_path / "sample-pack.pdf"
    make_sample_pack.build(rebuilt)
    assert rebuilt.read_bytes() == (EXAMPLES / "sample-pack.pdf").read_bytes()
