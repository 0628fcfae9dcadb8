"""Many meetings summarised at once in one process: what they share and what they do only once."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

import summarise
import summarise.api as api
from summarise.engines.model import connections, terms
from summarise.glossary import Definition
from summarise.ingest import kinds
from summarise.models.meeting import Meeting, Page
from summarise.models.summary import MeetingSummary, Verification
from summarise.testing import FakeOpenAIServer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


async def two_meetings(settings: summarise.Settings) -> list[MeetingSummary]:
    """The example pack summarised twice at once, as two meetings that share no request."""
    runs = [
        summarise.asummarise_pack(EXAMPLE, "llm", settings=settings.with_overrides(seed=i)) for i in range(2)
    ]
    return list(await asyncio.gather(*runs))


@pytest.fixture()
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        yield running


@pytest.fixture()
def built(monkeypatch: pytest.MonkeyPatch) -> list[openai.AsyncOpenAI]:
    """Every SDK client made during the test (each engine's copy included)."""
    made: list[openai.AsyncOpenAI] = []

    class Counting(openai.AsyncOpenAI):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(openai, "AsyncOpenAI", Counting)
    return made


@pytest.fixture()
def verified(monkeypatch: pytest.MonkeyPatch) -> list[MeetingSummary]:
    """The summaries the verifier really checked (the process's memory of earlier checks emptied)."""
    monkeypatch.setattr(api, "_VERIFIED", type(api._VERIFIED)())
    checked: list[MeetingSummary] = []
    real = api.verify_summary

    def counting(summary: MeetingSummary, meeting: Meeting) -> Verification:
        checked.append(summary)
        return real(summary, meeting)

    monkeypatch.setattr(api, "verify_summary", counting)
    return checked


def test_meetings_at_once_share_one_connection_pool_closed_by_the_last(
    server: FakeOpenAIServer, tmp_path: Path, built: list[openai.AsyncOpenAI]
) -> None:
    settings = summarise.Settings(base_url=server.base_url, cache_dir=tmp_path, use_cache=False)

    async def three() -> tuple[list[MeetingSummary], int]:
        runs = [
            summarise.asummarise_pack(EXAMPLE, "llm", settings=settings.with_overrides(seed=i))
            for i in range(3)
        ]
        done = await asyncio.gather(*runs)
        return done, connections.open_shared(settings)

    summaries, left_open = asyncio.run(three())
    assert all(s.items for s in summaries)
    pools = {id(client._client) for client in built}  # each engine's copy shares its builder's pool
    assert len(pools) == 1
    assert built[0].is_closed() and left_open == 0


def test_runs_whose_limits_overfill_one_pool_get_another(
    server: FakeOpenAIServer, tmp_path: Path, built: list[openai.AsyncOpenAI], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections, "MAX_CONNECTIONS", 40)  # room for one run of 32 at a time
    settings = summarise.Settings(
        base_url=server.base_url, cache_dir=tmp_path, use_cache=False, concurrency=32
    )

    assert all(s.items for s in asyncio.run(two_meetings(settings)))
    assert len({id(client._client) for client in built}) == 2
    assert all(client.is_closed() for client in built)


def test_a_later_run_builds_its_own_client(server: FakeOpenAIServer, tmp_path: Path) -> None:
    settings = summarise.Settings(base_url=server.base_url, cache_dir=tmp_path, use_cache=False)

    async def two_in_turn() -> list[int]:
        users = []
        for _ in range(2):
            await summarise.asummarise_pack(EXAMPLE, "llm", settings=settings)
            users.append(connections.open_shared(settings))
        return users

    assert asyncio.run(two_in_turn()) == [0, 0]


def test_equal_summaries_of_one_pack_are_verified_once(verified: list[MeetingSummary]) -> None:
    async def same_pack_twice() -> list[MeetingSummary]:
        runs = [summarise.asummarise_pack(EXAMPLE, "extractive") for _ in range(2)]
        return list(await asyncio.gather(*runs))

    first, second = asyncio.run(same_pack_twice())
    assert len(verified) == 1
    assert first.verification == second.verification and first.verification.checked > 0
    assert first.verification is not second.verification  # each summary its own copy


def test_a_changed_summary_or_meeting_is_verified_again(verified: list[MeetingSummary]) -> None:
    meeting = summarise.load_pack(EXAMPLE)
    summary = summarise.summarise_pack(EXAMPLE, engine="extractive")
    assert len(verified) == 1
    changed = summary.model_copy(update={"synopsis": summary.synopsis + " The council agreed 12,345 homes."})
    asyncio.run(api.verified(changed, meeting))
    moved = meeting.model_copy(update={"pages": meeting.pages[:-1]})
    asyncio.run(api.verified(summary, moved))
    asyncio.run(api.verified(summary, meeting))  # unchanged: remembered
    assert len(verified) == 3
    api.with_verification(summary, meeting)  # asked for by name: always checked (the bench times it)
    assert len(verified) == 4


def test_the_packs_definitions_are_searched_once_off_the_event_loop(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terms._read_terms.cache_clear()
    on_loop_thread: list[bool] = []
    real = terms.find_definitions

    def recording(pages: tuple[Page, ...]) -> dict[str, Definition]:
        on_loop_thread.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.3)  # a long search: the other meeting asks while it runs
        return real(pages)

    monkeypatch.setattr(terms, "find_definitions", recording)
    settings = summarise.Settings(base_url=server.base_url, cache_dir=tmp_path, use_cache=False)
    assert all(s.items for s in asyncio.run(two_meetings(settings)))
    # once for both meetings of one pack, in a worker thread while the items were with the model
    assert on_loop_thread == [False]


def test_a_packs_kind_is_found_once_for_every_meeting_loaded_from_it(tmp_path: Path) -> None:
    first, second = (summarise.load_pack(EXAMPLE, cache_dir=tmp_path) for _ in range(2))
    assert first is not second and first == second
    kinds._kind_of.cache_clear()
    assert kinds.meeting_kind(first) == kinds.meeting_kind(second)
    assert kinds._kind_of.cache_info().misses == 1  # the second meeting's pages are equal: a hit
    changed = first.model_copy(update={"pages": [*first.pages[:1], *first.pages[2:]]})
    kinds.meeting_kind(changed)
    assert kinds._kind_of.cache_info().misses == 2
