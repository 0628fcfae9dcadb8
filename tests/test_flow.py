"""No call paid twice (single flight in a process, a lease across processes) and AIMD concurrency."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _scripted_server import Reply, ScriptedServer, completion, scripted_server

from summarise.engines.model.cache import CallCache
from summarise.engines.model.client import ModelClient
from summarise.engines.model.flow import AdaptiveLimit, process_cache
from summarise.engines.model.steps import SynopsisDraft
from summarise.settings import Settings

GOOD = '{"synopsis": "A synthetic synopsis.", "pages": [1]}'
MESSAGES = [{"role": "user", "content": "Synthetic: the same request twice."}]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as srv:
        yield srv


def settings_for(server: ScriptedServer, cache: Path, **kw: Any) -> Settings:
    return Settings(base_url=server.base_url, cache_dir=cache, retry_initial_wait=0.01, timeout=10.0, **kw)


async def ask(client: ModelClient) -> Any:
    return await client.structured(
        step="synopsis", messages=MESSAGES, response_model=SynopsisDraft, prompt_version="v"
    )


def test_identical_requests_in_flight_share_one_call(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: Reply(body=completion(GOOD).body, delay=0.3)

    async def run() -> list[Any]:
        client = ModelClient(settings_for(server, tmp_path, use_cache=False))
        try:
            return list(await asyncio.gather(ask(client), ask(client), ask(client)))
        finally:
            await client.aclose()

    answers = asyncio.run(run())
    assert server.calls == 1
    assert all(value.synopsis == "A synthetic synopsis." for value, _ in answers)
    assert sorted(usage.calls for _, usage in answers) == [0, 0, 1]  # paid once, shared twice


def test_a_second_process_waits_for_the_first_ones_answer(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: Reply(body=completion(GOOD).body, delay=0.5)

    async def one(delay: float) -> Any:
        # Another process as far as the cache can tell: its own event loop and its own connection.
        client = ModelClient(settings_for(server, tmp_path), cache=CallCache(tmp_path))
        await asyncio.sleep(delay)
        try:
            return await ask(client)
        finally:
            await client.aclose()

    async def run() -> list[Any]:
        return list(await asyncio.gather(one(0.0), asyncio.to_thread(asyncio.run, one(0.1))))

    (_, paid), (_, waited) = asyncio.run(run())
    assert server.calls == 1 and paid.calls == 1 and waited.cached_calls == 1


def test_clients_of_one_process_share_a_call_and_a_cache(server: ScriptedServer, tmp_path: Path) -> None:
    """Meetings summarised at once in one process each have a client: an identical request is paid once."""
    server.default = lambda body: Reply(body=completion(GOOD).body, delay=0.3)

    async def run() -> list[Any]:
        clients = [ModelClient(settings_for(server, tmp_path, use_cache=False)) for _ in range(3)]
        try:
            return list(await asyncio.gather(*(ask(c) for c in clients)))
        finally:
            for c in clients:
                await c.aclose()

    answers = asyncio.run(run())
    assert server.calls == 1
    assert sorted(usage.calls for _, usage in answers) == [0, 0, 1]
    assert process_cache(tmp_path) is process_cache(tmp_path)
    first = process_cache(tmp_path)
    first.path.unlink()  # the cache file removed (summarise cache clear): a fresh one is opened
    assert process_cache(tmp_path) is not first


def test_a_stale_lease_is_taken_over(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD)]
    settings = settings_for(server, tmp_path)
    client = ModelClient(settings)
    assert client._cache is not None
    # A process that died holding the lease: it expired a second ago.
    from summarise.engines.model.cache import cache_key
    from summarise.engines.model.modes import strict_schema

    key = cache_key(settings.model, MESSAGES, strict_schema(SynopsisDraft), client._key_params())
    assert client._cache.take_lease(key, "a-dead-process", -1.0)

    async def run() -> Any:
        try:
            return await asyncio.wait_for(ask(client), timeout=5)
        finally:
            await client.aclose()

    value, usage = asyncio.run(run())
    assert value.synopsis and usage.calls == 1


def test_aimd_halves_on_overload_and_recovers() -> None:
    limit = AdaptiveLimit(8)
    limit.overloaded("429")
    assert int(limit.limit) == 4 and limit.timeout_scale == 1.0
    limit.overloaded("timeout")
    assert int(limit.limit) == 2 and limit.timeout_scale == 2.0
    for _ in range(3):
        limit.overloaded("timeout")
    assert int(limit.limit) == 1 and limit.timeout_scale == 8.0  # never below one, never past 8x
    for _ in range(60):
        limit.succeeded()
    assert int(limit.limit) == 8  # additive increase back to the configured concurrency


def test_the_limit_bounds_requests_in_flight() -> None:
    limit = AdaptiveLimit(4)
    limit.overloaded("timeout")  # 2 at once
    most = 0

    async def one() -> None:
        nonlocal most
        async with limit.slot():
            most = max(most, limit.active)
            await asyncio.sleep(0.01)

    async def run() -> None:
        await asyncio.gather(*(one() for _ in range(10)))

    asyncio.run(run())
    assert most == 2


def test_later_stages_go_ahead_of_queued_first_stage_calls_and_a_cancelled_waiter_frees_nothing() -> None:
    limit = AdaptiveLimit(1)
    order: list[str] = []

    async def one(name: str, priority: int, hold: float = 0.0) -> None:
        async with limit.slot(priority):
            order.append(name)
            await asyncio.sleep(hold)

    async def run() -> None:
        first = asyncio.create_task(one("map-1", 2, hold=0.05))
        await asyncio.sleep(0)  # map-1 holds the only slot
        queued = [asyncio.create_task(one(f"map-{i}", 2)) for i in (2, 3)]
        gone = asyncio.create_task(one("cancelled", 0))
        await asyncio.sleep(0)
        reduce = asyncio.create_task(one("reduce", 1))
        await asyncio.sleep(0)
        gone.cancel()
        await asyncio.gather(first, reduce, *queued)
        assert gone.cancelled()

    asyncio.run(run())
    assert order == ["map-1", "reduce", "map-2", "map-3"]
    assert limit.active == 0


def test_timeouts_lower_the_clients_concurrency(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [Reply(body=completion(GOOD).body, delay=1.0)]
    server.default = lambda body: completion(GOOD)
    settings = settings_for(server, tmp_path, concurrency=4, use_cache=False).with_overrides(timeout=0.3)

    async def run() -> ModelClient:
        client = ModelClient(settings)
        try:
            await ask(client)
        finally:
            await client.aclose()
        return client

    client = asyncio.run(run())
    assert client.retries == 1 and client.limit.limit < 4 and client.limit.timeout_scale == 2.0


def test_a_one_slot_server_finishes_a_run_at_the_default_concurrency(tmp_path: Path) -> None:
    """A local server that answers one request at a time (llama-cpp-python), scaled down in time: at
    the default concurrency (4) queued requests wait past the client's timeout, and the server still
    works on the ones their client gave up on. The client sends fewer at once and waits longer, so
    the run completes, every item written by the model, with few requests sent twice (without the
    adaptive limit this run re-sent about 70% of its requests; with it, under 10%)."""
    import json

    import summarise
    from summarise.settings import Settings
    from summarise.testing import FakeOpenAIServer

    pack = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
    default = Settings()
    with FakeOpenAIServer(slots=1, latency=0.4, seed=1) as slow:
        settings = default.with_overrides(
            base_url=slow.base_url, cache_dir=tmp_path, timeout=1.0, chunk_tokens=256
        )  # small chunks: about 24 calls to queue
        summary = summarise.summarise_pack(pack, "llm", settings=settings)
        sent = len(slow.requests)
        distinct = len({json.dumps(r.body["messages"]) for r in slow.requests})
    assert default.concurrency == 4 and settings.concurrency == default.concurrency
    assert not summary.provenance.fallbacks
    assert all(item.engine == "llm" for item in summary.items if item.has_papers)
    assert sent > distinct, "no request timed out: the test no longer queues past the timeout"
    assert sent <= 1.5 * distinct, f"{sent} requests sent for {distinct} distinct ones"
