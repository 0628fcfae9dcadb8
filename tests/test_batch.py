"""Many meetings in one run: one client, cache, limit and budget; results as meetings finish."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pdfgen import report_pages, write_pdf

import summarise
from summarise import MeetingSpec, Summariser
from summarise.batch import discover, read_manifest
from summarise.engines.model.cache import CallCache, lease_owner, owner_is_dead
from summarise.errors import ConfigurationError, InputError, InputNotFoundError
from summarise.testing import FakeOpenAIServer


def make_meeting(path: Path, n: int) -> Path:
    """A small synthetic report pack whose figures depend on ``n``: every ``n`` a distinct meeting."""
    front = [
        "AGENDA", "", "PLANNING COMMITTEE", "", f"Tuesday, {n % 27 + 1}th March, 2025, at 7.00 pm",
        "Council Chamber, Civic Offices,", "", "1. Apologies for Absence",
        "2. Housing Delivery Report (Pages 1 - 2)", "3. Parks Strategy (Pages 3 - 4)",
    ]  # fmt: skip
    homes = f"The council will build {100 + n} homes at a cost of £{n + 2}.5m by 2027."
    parks = f"The parks budget rises by {n % 50 + 1}% to £{n + 10},000 for {n + 3} play areas."
    pages = [front, *report_pages("Housing Delivery Report", 2, paragraph=homes)]
    pages += report_pages("Parks Strategy", 2, paragraph=parks)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_pdf(path, pages)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three distinct meetings and a byte-identical copy of the first."""
    folder = tmp_path_factory.mktemp("packs")
    made = [make_meeting(folder / f"meeting-{n}.pdf", n) for n in range(3)]
    copy = folder / "copy-of-0.pdf"
    copy.write_bytes(made[0].read_bytes())
    return [*made, copy]


def test_a_failed_meeting_is_a_typed_result_and_the_others_finish(packs: list[Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    entries = [packs[0], tmp_path / "missing.pdf", broken, [packs[1]], MeetingSpec((packs[2],), "third")]
    results = list(summarise.summarise_many(entries, engine="extractive", cache_dir=tmp_path))
    by_id = {r.meeting_id: r for r in results}
    assert set(by_id) == {"meeting-0", "missing", "broken", "meeting-1", "third"}
    assert isinstance(by_id["missing"].error, InputNotFoundError) and by_id["missing"].status == "failed"
    assert isinstance(by_id["broken"].error, InputError)
    for name in ("meeting-0", "meeting-1", "third"):
        summary = by_id[name].summary
        assert summary is not None and by_id[name].status == "ok" and len(summary.items) == 3


def test_identical_requests_across_meetings_are_paid_once_and_each_meeting_has_its_own_usage(
    packs: list[Path], tmp_path: Path
) -> None:
    with FakeOpenAIServer(seed=3, latency=0.02) as server:
        summariser = Summariser(engine="llm", base_url=server.base_url, cache_dir=tmp_path, concurrency=3)
        results = list(summariser.summarise_many(packs))
        served = server.stats.calls
        distinct = len({json.dumps(r.body, sort_keys=True) for r in server.requests})
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    with CallCache(tmp_path) as cache:
        keys = {row["key"] for row in cache.rows() if row["ok"]}
        rows = list(cache.rows())
    # One call per distinct request: the copy of meeting 0 was answered by meeting 0's calls.
    assert served == len(keys) == len(rows)
    assert distinct == served
    by_id = {r.meeting_id: r for r in results}
    paid = sum(r.usage.calls for r in results)
    assert paid == served  # each call charged to exactly one meeting
    pair = by_id["meeting-0"].usage, by_id["copy-of-0"].usage
    assert sorted(u.calls for u in pair)[0] == 0 and sum(u.calls for u in pair) > 0
    assert all(r.usage.calls + r.usage.cached_calls > 0 for r in results)
    assert sum(r.usage.estimated_cost_usd for r in results) > 0
    assert by_id["meeting-1"].summary is not None
    assert by_id["meeting-1"].summary.usage == by_id["meeting-1"].usage  # the summary says its own cost


def test_one_budget_for_the_whole_batch(packs: list[Path], tmp_path: Path) -> None:
    with FakeOpenAIServer(seed=4) as server:
        first = list(summarise.summarise_many(packs[:1], engine="llm", base_url=server.base_url,
                                              cache_dir=tmp_path / "one", model="gpt-4o"))  # fmt: skip
        one_meeting = first[0].usage.estimated_cost_usd
        budget = one_meeting * 1.5  # enough for one meeting, not for three
        results = list(summarise.summarise_many(packs[:3], engine="llm", base_url=server.base_url,
                                                cache_dir=tmp_path / "all", model="gpt-4o",
                                                max_cost=budget))  # fmt: skip
    spent = sum(r.usage.estimated_cost_usd for r in results)
    assert spent <= budget
    assert any(r.status == "fallback" for r in results)  # the budget stopped calls across meetings
    assert all(r.summary is not None for r in results)  # ... and the offline engine wrote the rest


def test_async_results_come_as_meetings_finish_with_meeting_specs(packs: list[Path], tmp_path: Path) -> None:
    async def collect() -> list[str]:
        specs = [MeetingSpec((p,), f"m{i}") for i, p in enumerate(packs[:2])]
        seen: list[tuple[str, int, int]] = []
        out = []
        async for result in summarise.asummarise_many(
            specs, engine="extractive", cache_dir=tmp_path, progress=lambda *a: seen.append(a)
        ):
            out.append(result.meeting_id)
        assert seen[-1] == ("meetings", 2, 2)
        return out

    assert sorted(asyncio.run(collect())) == ["m0", "m1"]


def test_leaving_the_loop_early_stops_the_batch(packs: list[Path], tmp_path: Path) -> None:
    for result in summarise.summarise_many(packs * 3, engine="extractive", cache_dir=tmp_path,
                                           meetings_at_once=1):  # fmt: skip
        assert result.summary is not None
        break  # the generator closes; the thread running the batch ends


def test_a_bad_engine_or_setting_fails_before_any_meeting(packs: list[Path]) -> None:
    with pytest.raises(ConfigurationError):
        next(summarise.summarise_many(packs, engine="nope"))
    with pytest.raises(ConfigurationError, match="did you mean 'concurrency'"):
        next(summarise.summarise_many(packs, concurency=2))  # type: ignore[call-arg]


def test_a_manifest_gives_ids_bodies_and_dates(packs: list[Path], tmp_path: Path) -> None:
    csv_manifest = tmp_path / "meetings.csv"
    csv_manifest.write_text(
        "files,id,body,date\n"
        f"{packs[0]};{packs[1]},joint/meeting,Cabinet,2025-01-30\n"
        f"{packs[2].name},,,\n",
        encoding="utf-8",
    )
    jsonl = tmp_path / "meetings.jsonl"
    jsonl.write_text(f'{{"files": ["{packs[0]}"], "id": "x"}}\n\n{{"files": "{packs[1]}", "id": "x"}}\n')
    specs = read_manifest(csv_manifest)
    assert [s.meeting_id for s in specs] == ["joint-meeting", "meeting-2"]
    assert specs[0].paths == (packs[0], packs[1]) and specs[0].body == "Cabinet"
    assert specs[1].paths == (tmp_path / packs[2].name,)  # relative to the manifest
    assert [s.meeting_id for s in read_manifest(jsonl)] == ["x", "x-2"]  # never one output for two
    result = next(summarise.summarise_many(specs[:1], engine="extractive", cache_dir=tmp_path))
    assert result.summary is not None and result.summary.meeting.body == "Cabinet"
    assert str(result.summary.meeting.date) == "2025-01-30"
    bad = tmp_path / "bad.csv"
    bad.write_text("files,date\na.pdf,30/01/2025\n")
    with pytest.raises(InputError, match="line 2: date '30/01/2025' is not YYYY-MM-DD"):
        read_manifest(bad)


def test_a_folder_holds_a_meeting_per_pdf_or_per_sub_folder(packs: list[Path], tmp_path: Path) -> None:
    (tmp_path / "multi").mkdir()
    for i, name in enumerate(("b-reports.pdf", "a-agenda.pdf")):
        (tmp_path / "multi" / name).write_bytes(packs[i].read_bytes())
    (tmp_path / "single.pdf").write_bytes(packs[2].read_bytes())
    (tmp_path / ".batch").mkdir()  # hidden folders are not meetings
    specs = discover([tmp_path])
    assert [(s.meeting_id, [p.name for p in s.paths]) for s in specs] == [
        ("single", ["single.pdf"]),
        ("multi", ["a-agenda.pdf", "b-reports.pdf"]),
    ]
    with pytest.raises(InputError, match="no meetings here"):
        discover([tmp_path / ".batch"])


def test_a_lease_held_by_a_dead_process_is_taken_over_at_once(tmp_path: Path) -> None:
    code = "import os; print(os.getpid())"
    gone = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    dead = f"{socket.gethostname()}/{int(gone.stdout)}/x"
    assert owner_is_dead(dead)
    assert not owner_is_dead(lease_owner())  # this process
    assert not owner_is_dead(f"{socket.gethostname()}/{os.getppid()}/x")  # alive
    assert not owner_is_dead(f"elsewhere.invalid/{int(gone.stdout)}/x")  # another host: it expires
    with CallCache(tmp_path) as cache:
        assert cache.take_lease("k", dead, 3600)
        assert cache.take_lease("k", lease_owner(), 60)  # not an hour later: now
        assert not cache.take_lease("k", lease_owner(), 60)  # a live owner's lease still holds


def test_meter_doctest() -> None:
    import doctest

    from summarise.engines.model import meter

    assert doctest.testmod(meter).failed == 0


def test_meetings_are_read_in_worker_processes_or_here(packs: list[Path], tmp_path: Path) -> None:
    from summarise.batch import Batch
    from summarise.settings import Settings

    async def run(processes: int) -> tuple[bool, list[str]]:
        async with Batch(Settings(cache_dir=tmp_path, use_cache=False), "extractive",
                         read_processes=processes) as batch:  # fmt: skip
            pooled = batch._reader is not None and batch._reader._pool is not None
            return pooled, [r.status async for r in batch.run(packs)]

    assert asyncio.run(run(2)) == (True, ["ok"] * 4)
    assert asyncio.run(run(0)) == (False, ["ok"] * 4)


def test_a_configuration_error_stops_the_batch_instead_of_failing_every_meeting(
    packs: list[Path], tmp_path: Path
) -> None:
    with FakeOpenAIServer() as server, pytest.raises(ConfigurationError, match="not found"):
        # An endpoint that answers 404: the model or endpoint is wrong for every meeting alike.
        list(summarise.summarise_many(packs, engine="llm", base_url=f"{server.base_url}/nowhere",
                                      cache_dir=tmp_path, max_retries=0))  # fmt: skip
