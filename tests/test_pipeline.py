"""The model engine end to end, through the real openai SDK, against the local fake server.

Every answer here is synthetic: the fake server fills the requested schema with
sentences the offline engine picks from the source text in the request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import summarise
from summarise.errors import ModelError, RefusalError
from summarise.models.summary import MeetingSummary
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
FAST_RETRIES: dict[str, Any] = {"retry_initial_wait": 0.01, "retry_max_wait": 0.05, "max_retries": 8}


@pytest.fixture()
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(retry_after=0.01, timeout_seconds=3.0) as running:
        yield running


def run(server: FakeOpenAIServer, cache: Path, **settings: Any) -> MeetingSummary:
    return summarise.summarise_pack(
        EXAMPLE, engine="llm", base_url=server.base_url, cache_dir=cache, **{**FAST_RETRIES, **settings}
    )


def comparable(summary: MeetingSummary) -> dict[str, Any]:
    data = summary.model_dump(mode="json", exclude={"usage"})
    data["provenance"].pop("created_at")
    return data


def test_every_agenda_item_gets_a_section_and_a_rerun_makes_no_calls(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    meeting = summarise.load_pack(EXAMPLE)
    summary = run(server, tmp_path)
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]
    for item, source in zip(summary.items, meeting.items, strict=True):
        if source.has_papers:
            assert item.paragraphs, f"item {item.number} has papers but no paragraphs"
            cited = {p for para in item.paragraphs for p in para.pages}
            assert cited <= set(source.page_range)
        else:
            assert item.note and not item.paragraphs
    assert summary.provenance.engine == "llm"
    assert set(summary.provenance.prompt_hashes) >= {"chunk_notes", "item_summary", "synopsis", "glossary"}
    calls = server.stats.calls
    assert summary.usage.calls == calls > 0

    again = run(server, tmp_path)
    assert server.stats.calls == calls, "a re-run must be answered from the cache"
    assert again.usage.calls == 0 and again.usage.cached_calls == calls
    assert comparable(again) == comparable(summary)


def test_long_items_are_mapped_in_chunks_then_reduced(server: FakeOpenAIServer, tmp_path: Path) -> None:
    whole = run(server, tmp_path / "whole")
    chunked = run(server, tmp_path / "chunked", chunk_tokens=300)
    assert chunked.usage.calls > whole.usage.calls  # map calls before the reduce
    assert all(i.paragraphs for i in chunked.items if i.has_papers)
    # every page of every item with papers was sent to the model somewhere
    sent = " ".join(str(r.body) for r in server.requests)
    meeting = summarise.load_pack(EXAMPLE)
    for item in meeting.items:
        for page in item.page_range:
            if meeting.page(page).text.strip():
                assert f"[page {page}]" in sent


def test_json_mode_fallback_for_servers_without_json_schema(tmp_path: Path) -> None:
    with FakeOpenAIServer(json_schema_supported=False) as old_server:
        summary = run(old_server, tmp_path)
        stats = old_server.stats
    assert all(i.paragraphs for i in summary.items if i.has_papers)
    assert stats.by_status.get("400", 0) == 1, "auto mode falls back once and remembers"
    assert stats.by_response_format.get("json_object", 0) >= 5


@pytest.mark.slow
def test_mixed_faults_at_30_percent_complete_with_the_clean_output(tmp_path: Path) -> None:
    with FakeOpenAIServer() as clean_server:
        clean = run(clean_server, tmp_path / "clean")
    faults = "429:0.06,500:0.04,502:0.04,503:0.04,drop:0.04,timeout:0.02,malformed:0.03,schema_invalid:0.03"
    with FakeOpenAIServer(faults=faults, seed=3, retry_after=0.01, timeout_seconds=2.0) as flaky:
        faulty = run(flaky, tmp_path / "flaky", timeout=0.5, max_reasks=4)
        stats = flaky.stats
    assert sum(v for k, v in stats.by_fault.items() if k != "ok") > 0, "faults were injected"
    assert [i.number for i in faulty.items] == [i.number for i in clean.items]
    assert comparable(faulty)["items"] == comparable(clean)["items"]
    assert stats.calls <= clean.usage.calls * (1 + 8 + 4)  # retries stay within their bounds


def test_refusal_is_a_typed_error_with_usage(tmp_path: Path) -> None:
    with FakeOpenAIServer(faults={"refusal": 1.0}) as refusing, pytest.raises(RefusalError) as caught:
        run(refusing, tmp_path, fallback=False)
    assert isinstance(caught.value, ModelError)
    assert caught.value.usage is not None and caught.value.usage.calls >= 1


def test_truncated_output_is_never_resent_unchanged(tmp_path: Path) -> None:
    with FakeOpenAIServer(faults={"truncate": 1.0}) as cutting:
        with pytest.raises(ModelError):
            run(cutting, tmp_path, chunk_tokens=400, fallback=False)
        bodies = [r.body for r in cutting.requests]
    assert len(bodies) == len({repr(b) for b in bodies}), "a truncated request was sent twice"


def test_cli_runs_the_model_engine_against_a_base_url(
    server: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from summarise.cli import app as cli

    out = tmp_path / "summary.json"
    argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", server.base_url]
    code = cli.main([*argv, "--cache-dir", str(tmp_path / "cache"), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    summary = MeetingSummary.from_json(out.read_text())
    assert summary.provenance.engine == "llm"
    assert "using the llm engine" in err
    assert f"{server.stats.calls} model calls" in err


def test_unreachable_server_is_a_model_error_exit_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarise.cli import app as cli

    monkeypatch.setenv("SUMMARISE_MAX_RETRIES", "1")

    with FakeOpenAIServer() as stopped:
        url = stopped.base_url
    argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", url, "--cache-dir", str(tmp_path)]
    code = cli.main([*argv, "--timeout", "0.5", "--quiet", "--no-fallback"])
    err = capsys.readouterr().err
    assert code == 4
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert url in err  # names the server it could not reach
    code = cli.main([*argv, "--timeout", "0.5", "--quiet", "-o", str(tmp_path / "s.md")])
    err = capsys.readouterr().err
    assert code == 5 and "fallback: item" in err and (tmp_path / "s.md").exists()


@pytest.mark.slow
def test_kent_cabinet_pack_end_to_end_through_the_sdk(shared_data: Path, tmp_path: Path) -> None:
    pack = shared_data / "packs" / "kent-cabinet-2025-01-30-reports-pack.pdf"
    meeting = summarise.load_pack(pack)
    with FakeOpenAIServer() as kent_server:
        settings = {"base_url": kent_server.base_url, "cache_dir": tmp_path, **FAST_RETRIES}
        summary = summarise.summarise_pack(pack, engine="llm", **settings)
        calls = kent_server.stats.calls
        again = summarise.summarise_pack(pack, engine="llm", **settings)
        assert kent_server.stats.calls == calls, "the second run must make zero calls"
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]
    assert all(i.paragraphs for i in summary.items if i.has_papers)
    assert again.usage.calls == 0
    MeetingSummary.model_validate_json(summary.to_json())


def test_repair_reasks_once_for_items_with_unsupported_figures(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    import asyncio

    from summarise.api import repair_unsupported, with_verification
    from summarise.models.summary import Paragraph

    meeting = summarise.load_pack(EXAMPLE)
    settings = {"base_url": server.base_url, "cache_dir": tmp_path, **FAST_RETRIES}
    clean = run(server, tmp_path)
    items = list(clean.items)
    target = next(i for i in items if i.has_papers)
    invented = Paragraph(text="The report proposes spending £987.6 million.", pages=[target.start_page or 1])
    items[items.index(target)] = target.model_copy(update={"paragraphs": [*target.paragraphs, invented]})
    broken = with_verification(clean.model_copy(update={"items": items}), meeting)
    assert [f.text for f in broken.verification.unsupported_figures if f.item == target.number]

    before = server.stats.calls
    repaired = asyncio.run(repair_unsupported(broken, meeting, Settings.from_env(**settings)))
    assert not repaired.verification.unsupported_figures
    assert "987.6" not in repaired.to_json()
    repair_requests = [r for r in server.requests[before:] if "987.6" in str(r.body)]
    assert len(repair_requests) == 1, "one re-ask for the affected item, with the findings attached"


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> MeetingSummary:
    with FakeOpenAIServer() as clean_server:
        return run(clean_server, tmp_path_factory.mktemp("clean"))


@pytest.mark.slow
@pytest.mark.parametrize(
    "fault",
    [
        "429",
        "500",
        "502",
        "503",
        "timeout",
        "drop",
        "reset",
        "malformed",
        "schema_invalid",
        "400",
        "truncate",
    ],
)
def test_each_fault_alone_at_30_percent_gives_the_clean_output(
    fault: str, clean_run: MeetingSummary, tmp_path: Path
) -> None:
    with FakeOpenAIServer(faults={fault: 0.3}, seed=3, retry_after=0.01, timeout_seconds=2.0) as flaky:
        summary = run(flaky, tmp_path, timeout=0.5, max_reasks=4)
        stats = flaky.stats
        bodies = [repr(r.body) for r in flaky.requests if r.status == 200 and r.fault == "truncate"]
    assert stats.by_fault.get(fault, 0) > 0, "the fault was injected"
    assert [i.number for i in summary.items] == [i.number for i in clean_run.items], "no item is lost"
    if fault in ("truncate", "400"):
        # Halved inputs and JSON mode are different requests, so the synthetic answers differ too.
        assert len(bodies) == len(set(bodies)), "a truncated request was sent again unchanged"
        assert all(i.paragraphs for i in summary.items if i.has_papers)
        assert summary.synopsis
    else:
        assert comparable(summary)["items"] == comparable(clean_run)["items"]
        assert comparable(summary)["synopsis"] == comparable(clean_run)["synopsis"]
    assert stats.calls <= clean_run.usage.calls * (FAST_RETRIES["max_retries"] + 1 + 4)


def test_refusal_at_30_percent_fails_with_a_typed_error_or_completes(
    clean_run: MeetingSummary, tmp_path: Path
) -> None:
    with FakeOpenAIServer(faults={"refusal": 0.3}, seed=3) as refusing:
        summary = run(refusing, tmp_path)  # completes: refused items are the offline engine's, marked
    def unmarked(summary: MeetingSummary) -> list[dict[str, Any]]:  # footnote numbers shift
        return json.loads(re.sub(r"\[\^\d+\]", "", json.dumps(comparable(summary)["items"])))

    clean = {i["number"]: i for i in unmarked(clean_run)}
    fallen = [i for i in unmarked(summary) if i["fallback_reason"]]
    assert fallen, "at 30% some item is refused"
    for item in unmarked(summary):
        if item["fallback_reason"]:
            assert item["engine"] == "extractive" and "refused" in item["fallback_reason"]
        else:
            assert item == clean[item["number"]]
    assert len(summary.provenance.fallbacks) >= len(fallen)


def test_halved_chunks_keep_their_place_in_the_item(tmp_path: Path) -> None:
    import contextlib
    import re

    with FakeOpenAIServer(faults={"truncate": 0.5}, seed=3) as cutting:
        with contextlib.suppress(ModelError):  # a piece truncated too often fails with a typed error
            run(cutting, tmp_path, chunk_tokens=300)
        sent = " ".join(str(r.body) for r in cutting.requests)
    parts = [(int(n), int(m)) for n, m in re.findall(r"Part (\d+) of (\d+) of the item", sent)]
    assert parts, "chunk notes were asked for"
    assert all(1 <= n <= m for n, m in parts), parts
