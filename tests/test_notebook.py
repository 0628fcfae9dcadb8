"""The example notebook is committed with its outputs, and they are what a run gives today; the items
table (a pandas DataFrame, pandas optional; or plain rows)."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path

import pytest

import summarise
from summarise import errors
from summarise.render import item_rows, to_dataframe
from summarise.render.table import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NOTEBOOK = EXAMPLES / "summarise_meeting.ipynb"


@pytest.fixture(scope="module")
def summary() -> summarise.MeetingSummary:
    return summarise.summarise_pack(EXAMPLES / "sample-pack.pdf", engine="extractive")


def test_committed_notebook_has_its_outputs() -> None:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))  # run top to bottom
    assert all(c.outputs for c in code), "a code cell has no output: run python examples/execute_notebook.py"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    text = "\n".join(str(o.get("text", "")) for o in outputs)
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    first = "".join(str(o.get("text", "")) for o in code[0].outputs)
    assert "estimated cost $" in first  # the estimate comes first
    assert '<article class="summarise"' in html and "sample-pack.pdf#page=" in html  # the summary
    assert "<table" in html and "Revenue Budget Monitoring" in html  # the items table
    assert "with the extractive engine" in html  # made by the offline engine
    assert "# Cabinet" in text  # and printed as Markdown


def test_committed_outputs_are_current(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs the notebook on a real kernel and compares (what differs every run aside)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    for needed in ("nbformat", "nbclient", "ipykernel", "pandas"):
        if importlib.util.find_spec(needed) is None:
            pytest.skip(f"needs {needed} (the dev extra) to run the notebook")
    import nbformat
    from execute_notebook import execute, normalised

    committed = nbformat.read(NOTEBOOK, as_version=4)
    fresh = execute(copy.deepcopy(committed))
    assert normalised(fresh) == normalised(committed), (
        "stale outputs: run python examples/execute_notebook.py"
    )


def test_item_rows_are_plain_dicts(summary: summarise.MeetingSummary) -> None:
    rows = item_rows(summary)
    assert [r["number"] for r in rows] == [i.number for i in summary.items]
    assert all(tuple(r) == COLUMNS for r in rows)
    item = summary.items[3]
    row = rows[3]
    assert row["key_points"] == len(item.key_points)
    assert row["figures"] == sum(k.kind == "figure" for k in item.key_points)
    assert row["pages"] == f"pp. {item.start_page}–{item.end_page}"
    assert row["summary"] and item.paragraphs[0].text.startswith(row["summary"].rstrip("…"))


def test_dataframe_when_pandas_is_there(summary: summarise.MeetingSummary) -> None:
    pd = pytest.importorskip("pandas")
    frame = to_dataframe(summary)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == [i.number for i in summary.items]
    assert frame.loc["4", "title"] == summary.items[3].title


def test_without_pandas_a_clear_error(
    summary: summarise.MeetingSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(errors.ConfigurationError, match=r"needs pandas.*pip install pandas.*item_rows"):
        to_dataframe(summary)
    assert item_rows(summary)  # the plain rows need nothing
