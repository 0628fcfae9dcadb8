"""--batch-api end to end: meetings through the fake server's Files and Batches APIs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from summarise.cli.app import build_parser
from summarise.cli.options import model_settings
from summarise.engines.model import batch
from summarise.engines.model.batch_lines import canonical
from summarise.engines.model.batch_store import BatchStore
from summarise.engines.model.cache import CallCache
from summarise.engines.model.client import ModelClient
from summarise.engines.model.pricing import BATCH_PRICE_MULTIPLIER, PriceTable
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer
from tests.batch_runs import EXAMPLE, FAST, batch_settings, meetings, run_many


@pytest.fixture()
def server() -> FakeOpenAIServer:
    with FakeOpenAIServer() as running:
        running.prefixes.clear()
        yield running


def test_meetings_run_in_rounds_with_one_line_per_distinct_request_at_half_price(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    many = meetings(3) + meetings(1)  # the fourth repeats the first: its requests are not paid twice
    settings = batch_settings(server.base_url, tmp_path / "batch")
    summaries, client = asyncio.run(run_many(settings, many))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert all(s.provenance.engine == "llm" for s in summaries)
    assert server.stats.by_status == {"200": sum(server.batches.lines_by_custom_id.values())}
    assert set(server.batches.lines_by_custom_id.values()) == {1}  # each distinct request: one line
    assert client.batch is not None
    stages = len(server.batches.batches)
    assert 2 <= stages <= 4  # rounds are the pipeline's stages, not one per call or per meeting
    assert client.batch.stats.batches == stages
    # The same meetings sent directly: the same calls and tokens, at twice the price.
    server.reset()
    direct = batch_settings(server.base_url, tmp_path / "direct", batch_api=False)
    _, plain = asyncio.run(run_many(direct, meetings(3)))
    assert plain.usage.calls == client.usage.calls
    assert plain.usage.input_tokens == client.usage.input_tokens
    used = client.usage
    full = PriceTable().estimate(
        settings.model, used.input_tokens, used.output_tokens, used.cached_input_tokens
    )
    # Each call's cost is rounded to a billionth of a dollar (pricing.priced_for): half of one a call.
    half_price = full.cost_usd * BATCH_PRICE_MULTIPLIER
    assert used.estimated_cost_usd == pytest.approx(half_price, abs=used.calls * 5e-10 + 1e-9)
    assert BATCH_PRICE_MULTIPLIER == 0.5


def test_answers_go_to_the_cache_so_a_second_run_makes_no_batch(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    settings = batch_settings(server.base_url, tmp_path)
    asyncio.run(run_many(settings, meetings(2)))
    made = len(server.batches.batches)
    summaries, client = asyncio.run(run_many(settings, meetings(2)))
    assert len(server.batches.batches) == made
    assert client.usage.calls == 0 and client.usage.cached_calls > 0
    assert all(not s.provenance.fallbacks for s in summaries)


def test_expired_and_partly_failed_batches_are_retried_in_the_next_round(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.batches.script = ["expire:0.5", "fail:0.5"]
    settings = batch_settings(server.base_url, tmp_path)
    summaries, client = asyncio.run(run_many(settings, meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    statuses = [b.status for b in server.batches.batches.values()]
    assert statuses[0] == "expired"
    assert client.batch is not None and client.batch.stats.retried > 0  # the expired lines
    assert client.retries > 0  # the 500 lines, through the client's one retry layer


def test_a_request_left_unanswered_every_time_falls_back(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.batches.default_plan = "cancel"
    settings = batch_settings(server.base_url, tmp_path, batch_max_attempts=2)
    summaries, client = asyncio.run(run_many(settings, meetings(1)))
    (summary,) = summaries
    assert summary.provenance.fallbacks
    assert all(i.engine == "extractive" for i in summary.items if i.fallback_reason)
    assert "unanswered 2 time(s)" in summary.provenance.fallbacks[0]
    assert client.usage.calls == 0  # nothing was answered, nothing was paid


def test_a_server_without_a_batch_api_is_a_configuration_error(tmp_path: Path) -> None:
    from summarise.errors import ConfigurationError

    with FakeOpenAIServer() as running:
        running.batches.handles = lambda path: False  # type: ignore[method-assign]
        settings = batch_settings(running.base_url, tmp_path)
        with pytest.raises(ConfigurationError, match="refused the batch"):
            asyncio.run(run_many(settings, meetings(1)))


def test_a_run_stopped_after_its_batch_was_created_uses_that_batch_when_started_again(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.batches.delay = 3600.0  # the first batch stays in progress while the run is stopped
    settings = batch_settings(server.base_url, tmp_path)

    async def stopped() -> None:
        client = ModelClient(settings)
        task = asyncio.ensure_future(run_many(settings, meetings(2), client))
        while not server.batches.batches:
            await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(stopped())
    (first,) = server.batches.batches.values()
    server.batches.delay = 0.0
    summaries, client = asyncio.run(run_many(settings, meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert set(server.batches.lines_by_custom_id.values()) == {1}  # nothing sent twice
    assert client.batch is not None and client.batch.stats.resumed == first.counts["total"]
    store = BatchStore(CallCache(tmp_path).path)
    assert all(state == "done" for _, state, _ in store.jobs())
    store.close()


def test_a_round_past_the_per_file_limit_is_split_into_several_batches(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "MAX_REQUESTS", 3)
    summaries, client = asyncio.run(run_many(batch_settings(server.base_url, tmp_path), meetings(2)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert client.batch is not None
    sizes = client.batch.stats.sizes
    assert max(sizes) == 3 and sum(sizes) > 6  # the first round alone needed more than two files
    assert set(server.batches.lines_by_custom_id.values()) == {1}


def test_a_batch_line_is_exactly_the_request_a_direct_call_sends(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    asyncio.run(run_many(batch_settings(server.base_url, tmp_path / "batch"), meetings(1)))
    uploaded = [data for card, data in server.batches.files.values() if card["purpose"] == "batch"]
    lines = [json.loads(raw) for data in uploaded for raw in data.splitlines()]
    assert {line["url"] for line in lines} == {"/v1/chat/completions"}
    server.reset()
    asyncio.run(run_many(batch_settings(server.base_url, tmp_path / "direct", batch_api=False), meetings(1)))
    assert sorted(canonical(line["body"]) for line in lines) == sorted(
        canonical(r.body) for r in server.requests
    )


def test_the_environment_turns_batch_mode_on() -> None:
    assert Settings.from_env({"SUMMARISE_BATCH_API": "1"}).batch_api
    assert not Settings.from_env({}).batch_api


def test_rounds_and_polls_are_set_from_the_environment_or_the_command_line() -> None:
    env = {"SUMMARISE_BATCH_IDLE": "0.5", "SUMMARISE_BATCH_POLL_INTERVAL": "60"}
    from_env = Settings.from_env(env)
    assert (from_env.batch_idle, from_env.batch_poll_interval) == (0.5, 60.0)
    parser = build_parser()
    args = parser.parse_args(["batch", "papers", "-o", "out", "--batch-api", "--batch-idle", "4"])
    flags = Settings.from_env(env, **model_settings(args))
    assert (flags.batch_api, flags.batch_idle, flags.batch_poll_interval) == (True, 4.0, 60.0)  # flag wins
    with pytest.raises(SystemExit):  # replayed answers have no rounds
        parser.parse_args(["eval", "fixtures", "--batch-idle", "4"])


def test_a_batch_that_fails_validation_is_sent_again_in_the_next_round(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    server.batches.script = ["failed"]
    summaries, client = asyncio.run(run_many(batch_settings(server.base_url, tmp_path), meetings(1)))
    assert all(not s.provenance.fallbacks for s in summaries)
    first = next(iter(server.batches.batches.values()))
    assert first.status == "failed"
    assert client.batch is not None and client.batch.stats.retried == first.counts["total"]
    assert set(server.batches.lines_by_custom_id.values()) == {1, 2}  # the failed batch's lines twice


def test_run_batch_api_on_the_command_line(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarise.cli import app as cli

    made = cli.cli_settings
    monkeypatch.setattr(cli, "cli_settings", lambda args: made(args).with_overrides(**FAST))
    out = tmp_path / "summary.json"
    argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", server.base_url, "--batch-api"]
    assert cli.main([*argv, "--cache-dir", str(tmp_path), "-o", str(out), "--quiet"]) == 0
    assert server.batches.batches and server.stats.calls == sum(server.batches.lines_by_custom_id.values())
    assert json.loads(out.read_text())["usage"]["calls"] == server.stats.calls


def test_batch_mode_without_a_cache_keeps_its_jobs_in_memory(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    settings = batch_settings(server.base_url, tmp_path, use_cache=False)
    summaries, _ = asyncio.run(run_many(settings, meetings(1)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert server.batches.batches and not (tmp_path / "calls.sqlite3").exists()


def test_a_batch_may_take_longer_than_the_request_timeout(server: FakeOpenAIServer, tmp_path: Path) -> None:
    server.batches.delay = 1.5  # each batch outlasts the one-second request timeout
    settings = batch_settings(server.base_url, tmp_path, timeout=1.0)
    summaries, client = asyncio.run(run_many(settings, meetings(1)))
    assert all(not s.provenance.fallbacks for s in summaries)
    assert client.retries == 0 and set(server.batches.lines_by_custom_id.values()) == {1}


def test_the_files_and_batches_endpoints_want_the_key(tmp_path: Path) -> None:
    with FakeOpenAIServer(api_key="right-key") as keyed:
        right = batch_settings(keyed.base_url, tmp_path / "right", api_key="right-key")
        summaries, _ = asyncio.run(run_many(right, meetings(1)))
        assert keyed.batches.batches and not summaries[0].provenance.fallbacks
        keyed.batches.batches.clear()
        wrong = batch_settings(keyed.base_url, tmp_path / "wrong", api_key="wrong-key")
        with pytest.raises(batch.BatchAPIError, match="HTTP 401") as refused:
            asyncio.run(run_many(wrong, meetings(1)))
        assert not keyed.batches.batches  # nothing uploaded, nothing created
        assert "wrong-key" not in str(refused.value)
