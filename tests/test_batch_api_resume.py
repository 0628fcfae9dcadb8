"""A run stopped after it created a batch picks that batch up when started again: nothing paid twice."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest

from summarise.engines.model.batch_store import BatchStore
from summarise.engines.model.client import ModelClient
from summarise.testing import FakeOpenAIServer
from tests.batch_runs import batch_settings, jobs, killed_after_first_batch, meetings, run_many

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.batch_runs import batch_settings, meetings, run_many
asyncio.run(run_many(batch_settings(sys.argv[1], Path(sys.argv[2])), meetings(2)))
"""


@pytest.fixture()
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        running.batches.delay = 3600.0  # batches stay in progress until a test lets them end
        yield running


async def wait_for(check: Any) -> None:
    for _ in range(1200):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


def stop_during(settings: Any, server: FakeOpenAIServer, stopped: Any) -> None:
    """Run two meetings and cancel the run once ``stopped()`` holds."""

    async def go() -> None:
        task = asyncio.ensure_future(run_many(settings, meetings(2), ModelClient(settings)))
        await wait_for(stopped)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())


@pytest.mark.slow
def test_a_killed_run_is_taken_over_at_once_and_its_batch_used(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    script = CHILD.format(root=str(ROOT))
    first = killed_after_first_batch(server, script, [server.base_url, str(tmp_path)], ROOT)
    server.batches.delay = 0.0
    summaries, client = asyncio.run(run_many(batch_settings(server.base_url, tmp_path), meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert client.batch is not None
    assert client.batch.taken_over == 1  # the killed process's job and leases: no wait for them to expire
    assert client.batch.stats.resumed == first.counts["total"]
    assert set(server.batches.lines_by_custom_id.values()) == {1}  # no request in two batches


def test_a_batch_created_but_never_recorded_is_found_by_its_metadata(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = batch_settings(server.base_url, tmp_path)
    real = BatchStore.update

    def crash_before_recording(self: BatchStore, job: str, **values: Any) -> None:
        if "batch_id" in values:
            raise asyncio.CancelledError  # the process stops between create and record
        real(self, job, **values)

    with monkeypatch.context() as patch:
        patch.setattr(BatchStore, "update", crash_before_recording)
        stop_during(settings, server, lambda: server.batches.batches)
    assert [(state, batch_id) for _, state, batch_id in jobs(tmp_path)] == [("intended", None)]
    (first,) = server.batches.batches.values()
    server.batches.delay = 0.0
    summaries, client = asyncio.run(run_many(settings, meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert client.batch is not None and client.batch.stats.resumed == first.counts["total"]
    assert set(server.batches.lines_by_custom_id.values()) == {1}
    assert jobs(tmp_path)[0][2] == first.id


def test_a_batch_recorded_but_never_created_is_sent_again(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = batch_settings(server.base_url, tmp_path)
    seen: list[str] = []

    async def stop_before_create(self: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["input_file_id"])
        raise asyncio.CancelledError

    with monkeypatch.context() as patch:
        patch.setattr(openai.resources.batches.AsyncBatches, "create", stop_before_create)
        stop_during(settings, server, lambda: seen)
    assert not server.batches.batches
    server.batches.delay = 0.0
    summaries, client = asyncio.run(run_many(settings, meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert client.batch is not None and client.batch.stats.resumed > 0
    assert set(server.batches.lines_by_custom_id.values()) == {1}
    assert jobs(tmp_path)[0][1] == "abandoned"


def test_a_create_whose_answer_was_lost_is_found_by_listing_not_sent_twice(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.batches.delay = 0.0
    real = openai.resources.batches.AsyncBatches.create

    async def answer_lost(self: Any, **kwargs: Any) -> Any:
        await real(self, **kwargs)  # the server creates it; the connection drops before the answer
        raise openai.APIConnectionError(request=httpx2.Request("POST", server.base_url + "/batches"))

    monkeypatch.setattr(openai.resources.batches.AsyncBatches, "create", answer_lost)
    summaries, client = asyncio.run(run_many(batch_settings(server.base_url, tmp_path), meetings(1)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert set(server.batches.lines_by_custom_id.values()) == {1}
    assert client.batch is not None and client.batch.stats.batches == len(server.batches.batches)
