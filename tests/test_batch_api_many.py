"""``summarise_many`` through the Batch API: every meeting in progress at once, one batch per stage."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from batch_runs import FAST
from test_batch import make_meeting

import summarise
from summarise.batch import Batch, MeetingSpec
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer


def batches(papers: list[Path], cache: Path, **extra: Any) -> list[int]:
    """Run ``papers`` through the Batch API of a fresh fake server: the lines of each batch created."""
    with FakeOpenAIServer() as server:
        results = list(
            summarise.summarise_many(
                papers,
                engine="llm",
                base_url=server.base_url,
                cache_dir=cache,
                batch_api=True,
                concurrency=2,
                **FAST,
                **extra,
            )
        )
        assert all(r.status == "ok" for r in results), [r.error for r in results]
        assert set(server.batches.lines_by_custom_id.values()) == {1}  # no request sent twice
        return [b.counts["total"] for b in server.batches.batches.values()]


def test_every_meeting_is_in_progress_at_once_so_each_stage_is_one_batch(tmp_path: Path) -> None:
    papers = [make_meeting(tmp_path / "papers" / f"m{n}.pdf", 40 + n) for n in range(5)]
    alone = batches(papers[:1], tmp_path / "one")  # one meeting alone: one batch per pipeline stage
    assert len(alone) >= 2
    together = batches(papers, tmp_path / "all")  # concurrency 2 does not hold them back
    assert together == [5 * lines for lines in alone]  # five meetings: still one batch per stage
    # An explicit meetings_at_once still wins: two at a time, so rounds per group of meetings.
    assert len(batches(papers, tmp_path / "pairs", meetings_at_once=2)) > len(alone)


def test_a_meeting_slow_to_read_holds_the_first_round_until_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = [make_meeting(tmp_path / "papers" / f"m{n}.pdf", 60 + n) for n in range(3)]
    alone = batches(papers[:1], tmp_path / "one")
    read = Batch._read

    async def slow_last(self: Batch, spec: MeetingSpec) -> Any:
        if spec.meeting_id == "m2":  # read long after the others' calls would have closed a round
            await asyncio.sleep(FAST["batch_idle"] * 5)
        return await read(self, spec)

    monkeypatch.setattr(Batch, "_read", slow_last)
    assert batches(papers, tmp_path / "all") == [3 * lines for lines in alone]


def test_the_default_is_all_meetings_only_through_the_batch_api() -> None:
    direct = Settings.build(concurrency=4)
    assert Batch(direct, "llm").at_once(30) == 4
    assert Batch(direct.with_overrides(batch_api=True), "llm").at_once(30) == 30
    assert Batch(direct.with_overrides(batch_api=True), "llm", meetings_at_once=3).at_once(30) == 3
    assert Batch(direct.with_overrides(batch_api=True), "extractive").at_once(30) == 4
