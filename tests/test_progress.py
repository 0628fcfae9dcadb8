"""Progress: pages while reading, then items, synopsis and glossary; sensible units; no rate; no bars
where nobody watches."""

from __future__ import annotations

import importlib.util
import io
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

import summarise
from summarise import progress as progress_module
from summarise.cli import main
from summarise.progress import progress_bars, tqdm_class

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sample-pack.pdf"


def recorder() -> tuple[list[tuple[str, int, int]], Any]:
    calls: list[tuple[str, int, int]] = []
    return calls, lambda stage, done, total: calls.append((stage, done, total))


@pytest.mark.parametrize("cached", [False, True])
def test_load_pack_reports_pages(tmp_path: Path, cached: bool) -> None:
    if cached:
        summarise.load_pack(EXAMPLE, cache_dir=tmp_path)
    calls, progress = recorder()
    meeting = summarise.load_pack(EXAMPLE, cache_dir=tmp_path, progress=progress)
    assert calls and {stage for stage, _, _ in calls} == {"pages"}
    assert calls[-1] == ("pages", len(meeting.pages), len(meeting.pages))
    done = [d for _, d, _ in calls]
    assert done == sorted(done)
    if not cached:
        assert calls[0] == ("pages", 0, len(meeting.pages))  # the clock starts before the first page


def test_pages_count_on_across_files(tmp_path: Path) -> None:
    calls, progress = recorder()
    meeting = summarise.load_pack([EXAMPLE, EXAMPLE], cache_dir=tmp_path, progress=progress)
    assert calls[-1] == ("pages", len(meeting.pages), len(meeting.pages))
    assert len(meeting.pages) == 2 * calls[0][2]  # the first file's total, then both files'


def test_a_run_reports_each_stage_from_its_start(tmp_path: Path) -> None:
    calls, progress = recorder()
    summary = summarise.summarise_pack(EXAMPLE, engine="extractive", cache_dir=tmp_path, progress=progress)
    stages = [stage for stage, _, _ in calls]
    assert stages[0] == "pages"
    assert {"pages", "items", "synopsis", "glossary"} <= set(stages)
    for stage in ("items", "synopsis", "glossary"):
        mine = [(d, t) for s, d, t in calls if s == stage]
        assert mine[0][0] == 0 and mine[-1][0] == mine[-1][1], stage
    assert ("items", len(summary.items), len(summary.items)) in calls


def test_bars_name_their_units_and_show_no_rate() -> None:
    out = io.StringIO()
    bars = progress_bars(file=out)
    for stage, total in (("pages", 460), ("items", 12), ("synopsis", 1), ("glossary", 1)):
        for done in range(total + 1):
            bars(stage, done, total)
    text = out.getvalue()
    assert "reading: 460/460 pages" in text and "items: 12/12 items" in text
    assert "synopsis: 1/1 step" in text and "glossary: 1/1 step" in text
    assert "it/s" not in text and "/s" not in text


def test_without_ipywidgets_plain_bars_and_no_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        progress_module.importlib.util,
        "find_spec",
        lambda name, *a: None if name == "ipywidgets" else real(name, *a),
    )
    from tqdm.std import tqdm

    assert tqdm_class() is tqdm
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # tqdm.auto's TqdmWarning about IProgress would fail here
        bars = progress_bars(file=io.StringIO())
        bars("items", 0, 2)
        bars("items", 2, 2)


def test_cli_draws_no_bars_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = [
        "run",
        str(EXAMPLE),
        "--engine",
        "extractive",
        "--cache-dir",
        str(tmp_path),
        "-o",
        str(tmp_path / "s.md"),
    ]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "items:" not in err and "reading:" not in err  # stderr is captured: not a terminal

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "reading:" in err and "items:" in err

    assert main([*args, "-q"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("command", ["ingest", "estimate"])
def test_other_commands_show_reading_progress_on_a_terminal(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main([command, str(EXAMPLE), "--cache-dir", str(tmp_path)]) == 0
    assert "reading:" in capsys.readouterr().err
    assert main([command, str(EXAMPLE), "--cache-dir", str(tmp_path), "-q"]) == 0
    assert "reading:" not in capsys.readouterr().err
