"""The public API: sync and async, inside a running loop (Jupyter), progress, notebook display."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

import summarise
from summarise.errors import ConfigurationError, InputNotFoundError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


def test_summarise_pack_offline_gives_a_section_per_agenda_item() -> None:
    meeting = summarise.load_pack(EXAMPLE)
    calls: list[tuple[str, int, int]] = []
    summary = summarise.summarise_pack(EXAMPLE, engine="extractive", progress=lambda *a: calls.append(a))
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]
    assert summary.provenance.engine == "extractive"
    assert summary.verification.checked > 0
    assert calls and calls[-1][1] == calls[-1][2]


def test_async_api_matches_sync() -> None:
    sync = summarise.summarise_pack(EXAMPLE, engine="extractive")
    result = asyncio.run(summarise.asummarise_pack(EXAMPLE, engine="extractive"))
    assert result.items == sync.items
    assert result.footnotes == sync.footnotes


def test_sync_api_works_inside_a_running_event_loop() -> None:
    async def notebook_cell() -> summarise.MeetingSummary:
        return summarise.summarise_pack(EXAMPLE, engine="extractive")  # as typed in Jupyter

    summary = asyncio.run(notebook_cell())
    assert summary.items


def test_notebook_display_is_the_html_rendering() -> None:
    summary = summarise.summarise_pack(EXAMPLE, engine="extractive")
    html = summary._repr_html_()
    assert "<h2" in html and summary.items[3].title in html
    assert summary._repr_markdown_().startswith("#")


def test_bad_engine_fails_before_reading_the_pack(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        summarise.summarise_pack(tmp_path / "missing.pdf", engine="gpt")  # type: ignore[arg-type]
    with pytest.raises(InputNotFoundError):
        summarise.summarise_pack(tmp_path / "missing.pdf", engine="extractive")


def test_ingest_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    from summarise.cli import app as cli

    assert cli.main(["ingest", str(EXAMPLE), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"body", "title", "date"} <= set(report["meeting"])
    assert report["pages"] == len(summarise.load_pack(EXAMPLE).pages)
    for item in report["items"]:
        assert {"number", "title", "start_page", "end_page", "documents", "tokens"} <= set(item)
        for doc in item["documents"]:
            assert {"title", "start_page", "end_page"} <= set(doc)
            assert item["start_page"] <= doc["start_page"] <= doc["end_page"] <= item["end_page"]


def test_run_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from summarise.cli import app as cli

    for suffix in (".md", ".html", ".json"):
        out = tmp_path / f"summary{suffix}"
        assert cli.main(["run", str(EXAMPLE), "-o", str(out), "--engine", "extractive", "--quiet"]) == 0
        assert out.stat().st_size > 1000
    parsed = summarise.MeetingSummary.from_json((tmp_path / "summary.json").read_text())
    assert parsed.items
    err = capsys.readouterr().err
    assert "Traceback" not in err


def test_auto_engine_says_which_engine_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarise.cli import app as cli

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert cli.main(["run", str(EXAMPLE), "-o", str(tmp_path / "s.md")]) == 0
    assert "extractive engine" in capsys.readouterr().err


def test_renderings_show_engine_cost_and_checks() -> None:
    from summarise.models.summary import Usage

    summary = summarise.summarise_pack(EXAMPLE, engine="extractive")
    assert "no model calls" in summarise.render_html(summary)
    paid = summary.model_copy(
        update={"usage": Usage(calls=6, input_tokens=8000, output_tokens=900, estimated_cost_usd=0.0018)}
    )
    for text in (summarise.render_markdown(paid), summarise.render_html(paid)):
        assert "6 model calls" in text and "$0.0018" in text
        assert f"{summary.verification.checked} claims checked" in text


def test_progress_true_draws_bars(capsys: pytest.CaptureFixture[str]) -> None:
    summarise.summarise_pack(EXAMPLE, engine="extractive", progress=True)
    assert "items" in capsys.readouterr().err
