"""One failed item never costs the meeting: the offline engine writes it, marked, and the run goes on."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

import summarise
from summarise.cli import main
from summarise.engines import ExtractiveEngine, assemble
from summarise.errors import ModelError, RefusalError
from summarise.glossary import Definition
from summarise.models import ItemSummary, Meeting, MeetingSummary, Paragraph, Provenance, Usage
from summarise.models.meeting import AgendaItem
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
FAST: dict[str, Any] = {"retry_initial_wait": 0.01, "retry_max_wait": 0.05, "max_retries": 2}


class StubModel:
    """A model engine that fails where it is told to: on some items, the synopsis or the glossary."""

    name = "llm"

    def __init__(self, fail_items: Sequence[str] = (), fail: Sequence[str] = ()) -> None:
        self.fail_items = set(fail_items)
        self.fail = set(fail)
        self.asked: list[str] = []

    async def summarise_item(self, meeting: Meeting, item: AgendaItem) -> ItemSummary:
        self.asked.append(item.number)
        await asyncio.sleep(0.01 * (len(meeting.items) - len(self.asked)))  # later items finish first
        if item.number in self.fail_items:
            raise RefusalError("item_summary: the model refused: synthetic refusal", usage=Usage(calls=1))
        text = "Synthetic model text about ASB."  # a term the example pack defines (a footnote)
        return ItemSummary(number=item.number, title=item.title, paragraphs=[Paragraph(text=text)])

    async def synopsis(self, meeting: Meeting, items: Sequence[ItemSummary]) -> str:
        if "synopsis" in self.fail:
            raise ModelError("synopsis: synthetic failure")
        return "A synthetic model synopsis."

    async def definitions(self, meeting: Meeting, summary: MeetingSummary) -> dict[str, Definition]:
        if "glossary" in self.fail:
            raise ModelError("glossary: synthetic failure")
        return {}

    def provenance(self) -> Provenance:
        return Provenance(engine="llm", library_version="test", created_at=dt.datetime.now(dt.UTC))

    @property
    def usage(self) -> Usage:
        return Usage(calls=len(self.asked))

    async def aclose(self) -> None:
        return None


@pytest.fixture(scope="module")
def meeting() -> Meeting:
    return summarise.load_pack(EXAMPLE, use_cache=False)


def test_a_failed_item_is_written_by_the_offline_engine_and_marked(meeting: Meeting) -> None:
    failing = next(i.number for i in meeting.items if i.has_papers)
    offline = ExtractiveEngine(Settings())
    summary = asyncio.run(assemble(StubModel(fail_items=[failing]), meeting, fallback=offline))
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]  # agenda order kept
    by_number = {i.number: i for i in summary.items}
    fallen = by_number[failing]
    assert fallen.engine == "extractive" and "synthetic refusal" in (fallen.fallback_reason or "")
    assert fallen.paragraphs or fallen.note  # the offline engine's real summary of that item
    assert all(i.engine == "llm" and i.fallback_reason is None for n, i in by_number.items() if n != failing)
    assert summary.provenance.fallbacks == [f"item {failing}: {fallen.fallback_reason}"]
    markdown = summarise.render_markdown(summary)
    assert "Written by the extractive engine" in markdown and "synthetic refusal" in markdown
    assert 'class="fallback"' in summarise.render_html(summary)


@pytest.mark.parametrize("step", ["synopsis", "glossary"])
def test_synopsis_and_glossary_fall_back_the_same_way(meeting: Meeting, step: str) -> None:
    summary = asyncio.run(assemble(StubModel(fail=[step]), meeting, fallback=ExtractiveEngine(Settings())))
    assert summary.provenance.fallbacks == [f"{step}: {step}: synthetic failure"]
    if step == "synopsis":
        assert summary.synopsis != "A synthetic model synopsis." and summary.synopsis
    else:
        assert [f.term for f in summary.footnotes] == ["ASB"]  # the source's definitions, found offline


def test_without_fallback_every_item_finishes_then_the_failure_names_its_item(meeting: Meeting) -> None:
    with_papers = [i.number for i in meeting.items if i.has_papers]
    stub = StubModel(fail_items=[with_papers[0]])
    with pytest.raises(RefusalError) as info:
        asyncio.run(assemble(stub, meeting))
    assert info.value.item == with_papers[0]
    assert sorted(stub.asked) == sorted(i.number for i in meeting.items)  # nothing abandoned mid-flight
    assert info.value.usage == Usage(calls=len(meeting.items))  # the whole meeting's spend


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_cli_completes_with_fallbacks_and_exits_5(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "summary.json"
    with FakeOpenAIServer(script=["refusal"], seed=1) as server:
        argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", server.base_url, "-o", str(out)]
        code, err = run_cli([*argv, "--cache-dir", str(tmp_path / "c"), "--concurrency", "1"], capsys)
    assert code == 5, err
    summary = summarise.MeetingSummary.from_json(out.read_bytes())
    fallen = [i for i in summary.items if i.fallback_reason]
    assert len(fallen) == 1 and fallen[0].engine == "extractive"
    assert f"fallback: item {fallen[0].number}:" in err and "Traceback" not in err


def test_cli_no_fallback_fails_naming_the_item_and_keeps_paid_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "c"
    with FakeOpenAIServer(script=["refusal"], seed=1) as server:
        argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", server.base_url]
        argv += ["--cache-dir", str(cache)]
        code, err = run_cli([*argv, "--concurrency", "1", "--no-fallback", "--quiet"], capsys)
        paid = server.stats.calls
        assert code == 4
        assert len(err.strip().splitlines()) == 1 and "error: item " in err and "refused" in err
        code, _ = run_cli([*argv, "--concurrency", "1", "--quiet", "-o", str(tmp_path / "s.md")], capsys)
        again = server.stats.calls - paid
    assert code == 0
    # The re-run asks again only for what was never answered: the refused item, synopsis, glossary.
    assert again <= 3 < paid


TRANSIENT_AND_INVALID = ("429", "500", "502", "503", "timeout", "drop", "reset", "malformed",
                         "schema_invalid", "truncate", "400")  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_every_fault_mixed_completes_with_marked_fallbacks(
    rate: float, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_CHUNK_TOKENS", "300")  # map, reduce and condense: many calls to fault
    # Every fault at once; refusals take a third of the rate so that some item surely falls back
    # (the fake server is deterministic: these requests and this seed give fallbacks at both rates).
    shares = {fault: rate * 2 / 3 / len(TRANSIENT_AND_INVALID) for fault in TRANSIENT_AND_INVALID}
    faults = ",".join(f"{fault}:{share:.4f}" for fault, share in {**shares, "refusal": rate / 3}.items())
    out = tmp_path / "summary.json"
    with FakeOpenAIServer(faults=faults, seed=7, retry_after=0.01, timeout_seconds=2.0) as flaky:
        argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", flaky.base_url, "-o", str(out)]
        argv += ["--cache-dir", str(tmp_path / "c"), "--timeout", "0.5", "--quiet"]
        code, err = run_cli(argv, capsys)
        injected = sum(n for kind, n in flaky.stats.by_fault.items() if kind != "ok")
    assert injected > 0
    assert code in (0, 5) and "Traceback" not in err, err
    summary = summarise.MeetingSummary.from_json(out.read_bytes())
    assert [i.number for i in summary.items] == [i.number for i in summarise.load_pack(EXAMPLE).items]
    for item in summary.items:
        assert (item.engine == "extractive") == bool(item.fallback_reason)
        if item.fallback_reason:
            assert f"fallback: item {item.number}:" in err
    assert summary.provenance.fallbacks and code == 5  # some item did fall back, and it is marked


class Overlapping(StubModel):
    """Synopsis and glossary each wait to see the other start: only side by side do both finish."""

    def __init__(self, synopsis: str = "A synthetic model synopsis.") -> None:
        super().__init__()
        self.started: dict[str, asyncio.Event] = {}
        self.glossary_reads: list[str] = []
        self.written = synopsis

    def _event(self, name: str) -> asyncio.Event:
        return self.started.setdefault(name, asyncio.Event())

    async def synopsis(self, meeting: Meeting, items: Sequence[ItemSummary]) -> str:
        self._event("synopsis").set()
        await asyncio.wait_for(self._event("glossary").wait(), timeout=5)
        return self.written

    async def definitions(self, meeting: Meeting, summary: MeetingSummary) -> dict[str, Definition]:
        self.glossary_reads.append(summary.synopsis)
        self._event("glossary").set()
        if len(self.glossary_reads) == 1:
            await asyncio.wait_for(self._event("synopsis").wait(), timeout=5)
        return {}


def test_the_glossary_is_asked_beside_the_synopsis_and_again_only_for_the_synopsis_own_terms(
    meeting: Meeting,
) -> None:
    beside = Overlapping()
    summary = asyncio.run(assemble(beside, meeting))  # sequential steps would time out
    assert summary.synopsis == "A synthetic model synopsis." and beside.glossary_reads == [""]
    new_term = Overlapping("The synopsis names the QXZ programme, which no item mentions.")
    asyncio.run(assemble(new_term, meeting))
    assert new_term.glossary_reads == ["", new_term.written]  # a second, later call for "QXZ"
