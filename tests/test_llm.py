"""ModelClient.structured through the real openai SDK against a scripted local server.

Every server answer here is synthetic (scripted by the test).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _scripted_server import Reply, ScriptedServer, completion, error, scripted_server

from summarise.engines.model.cache import CallCache
from summarise.engines.model.client import ModelClient
from summarise.engines.model.modes import strict_schema
from summarise.engines.model.steps import ChunkNotes, GlossaryDraft, ItemDraft, SynopsisDraft
from summarise.errors import (
    BudgetExceededError,
    ConfigurationError,
    InvalidOutputError,
    ModelError,
    ModelUnavailableError,
    RefusalError,
    TruncatedOutputError,
)
from summarise.models.summary import Usage
from summarise.settings import Settings

KEY = "sk-synthetic-SECRET-0123456789abcdef"
GOOD = json.dumps({"synopsis": "Cabinet is asked to approve the synthetic budget.", "pages": [3, 4]})
MESSAGES = [
    {"role": "system", "content": "You summarise. Synthetic test prompt."},
    {"role": "user", "content": "<<<SOURCE\n[page 3]\nsynthetic text\nSOURCE>>>"},
]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as srv:
        yield srv


def make_settings(server: ScriptedServer, tmp_path: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "api_key": KEY,
        "base_url": server.base_url,
        "cache_dir": tmp_path / "cache",
        "retry_initial_wait": 0.001,
        "retry_max_wait": 2.0,
        "max_retries": 3,
        "max_reasks": 2,
        "timeout": 5.0,
        "seed": 7,
    }
    values.update(kw)
    return Settings(**values)


async def _ask(
    settings: Settings, messages: list[dict[str, Any]] | None = None, client: ModelClient | None = None
) -> tuple[SynopsisDraft, Usage, ModelClient]:
    own = client is None
    c = client or ModelClient(settings)
    try:
        value, usage = await c.structured(
            step="synopsis",
            messages=messages or MESSAGES,
            response_model=SynopsisDraft,
            prompt_version="synthetic-v1",
        )
    finally:
        if own:
            await c.aclose()
    return value, usage, c


def ask(settings: Settings, messages: list[dict[str, Any]] | None = None) -> tuple[SynopsisDraft, Usage]:
    value, usage, _ = asyncio.run(_ask(settings, messages))
    return value, usage


def test_step_models_give_strict_schemas() -> None:
    def walk(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            yield node
            for v in node.values():
                yield from walk(v)
        elif isinstance(node, list):
            for v in node:
                yield from walk(v)

    for model in (ChunkNotes, ItemDraft, SynopsisDraft, GlossaryDraft):
        schema = strict_schema(model)
        objects = [n for n in walk(schema) if n.get("type") == "object"]
        assert objects
        for obj in objects:
            assert obj["additionalProperties"] is False
            assert sorted(obj["required"]) == sorted(obj["properties"])
        assert not any("default" in n for n in walk(schema)), model.__name__
        # the pydantic model itself agrees: nothing optional, so a strict answer always validates
        assert all(f.is_required() for f in model.model_fields.values())


def test_json_schema_request_and_answer(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD, prompt_tokens=1000, completion_tokens=200)]
    value, usage = ask(make_settings(server, tmp_path, temperature=0.2))
    assert value.pages == [3, 4]
    assert usage.calls == 1 and usage.input_tokens == 1000 and usage.output_tokens == 200
    # gpt-4o-mini at 0.15 / 0.60 USD per 1M tokens
    assert usage.estimated_cost_usd == pytest.approx((1000 * 0.15 + 200 * 0.60) / 1e6)
    body = server.requests[0].body
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "SynopsisDraft"
    assert fmt["json_schema"]["schema"] == strict_schema(SynopsisDraft)
    assert body["messages"] == MESSAGES
    assert body["temperature"] == 0.2 and body["seed"] == 7
    assert body["max_tokens"] == 4096  # not api.openai.com: the widely supported name


def test_output_token_parameter_name_is_a_setting(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD)]
    ask(make_settings(server, tmp_path, output_tokens_param="max_completion_tokens", temperature=None))
    body = server.requests[0].body
    assert body["max_completion_tokens"] == 4096
    assert "max_tokens" not in body and "temperature" not in body


def test_reask_on_invalid_json_then_success(server: ScriptedServer, tmp_path: Path) -> None:
    bad = '{"synopsis": "synthetic", "pages": [3'  # cut-off JSON
    server.script = [completion(bad), completion(GOOD)]
    value, usage = ask(make_settings(server, tmp_path))
    assert value.synopsis.startswith("Cabinet is asked")
    assert server.calls == 2 and usage.calls == 2
    second = server.requests[1].body["messages"]
    assert second[: len(MESSAGES)] == MESSAGES
    assert second[-2] == {"role": "assistant", "content": bad}
    assert second[-1]["role"] == "user" and "not valid JSON" in second[-1]["content"]


def test_reask_names_the_schema_error(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(json.dumps({"synopsis": "x", "pages": ["three"]})), completion(GOOD)]
    ask(make_settings(server, tmp_path))
    feedback = server.requests[1].body["messages"][-1]["content"]
    assert "pages.0" in feedback


def test_invalid_output_error_after_max_reasks(server: ScriptedServer, tmp_path: Path) -> None:
    answers = [json.dumps({"synopsis": f"synthetic {i}"}) for i in range(5)]  # "pages" missing
    server.script = [completion(a, prompt_tokens=50, completion_tokens=10) for a in answers]
    with pytest.raises(InvalidOutputError) as info:
        ask(make_settings(server, tmp_path, max_reasks=2))
    assert server.calls == 3  # the first ask and two re-asks, no more
    err = info.value
    assert err.last_output == answers[2]
    assert err.usage is not None and err.usage.calls == 3
    assert err.usage.input_tokens == 150 and err.usage.output_tokens == 30


def test_429_retry_after_is_honoured(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [error(429, "synthetic rate limit", {"retry-after": "0.3"}), completion(GOOD)]
    ask(make_settings(server, tmp_path))
    assert server.calls == 2
    gap = server.requests[1].at - server.requests[0].at
    assert gap >= 0.3  # the backoff alone would be about a millisecond


def test_5xx_retried_then_success(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [
        error(500, "synthetic"),
        error(502, "synthetic"),
        error(503, "synthetic"),
        completion(GOOD),
    ]
    value, usage = ask(make_settings(server, tmp_path, max_retries=3))
    assert server.calls == 4 and usage.calls == 1  # failed attempts bill no tokens
    assert value.pages == [3, 4]


def test_5xx_retries_are_bounded(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: error(503, "synthetic overload")
    with pytest.raises(ModelUnavailableError) as info:
        ask(make_settings(server, tmp_path, max_retries=2))
    assert server.calls == 3  # one try and max_retries retries: the SDK adds none of its own
    assert "503" in str(info.value)


def test_timeout_and_dropped_connection_are_retried(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [Reply(delay=1.0, body={}), Reply(drop=True), completion(GOOD)]
    started = time.monotonic()
    value, _ = ask(make_settings(server, tmp_path, timeout=0.3))
    assert value.pages == [3, 4]
    assert server.calls == 3
    assert time.monotonic() - started < 5


def test_malformed_body_is_retried_as_transient(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [Reply(body='{"choices": [ synthetic garbage'), completion(GOOD)]
    ask(make_settings(server, tmp_path))
    assert server.calls == 2


def test_not_found_and_other_400_are_not_retried(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [error(404, "synthetic: model not found")]
    with pytest.raises(ConfigurationError):
        ask(make_settings(server, tmp_path))
    server.script = [error(400, "synthetic: maximum context length exceeded")]
    with pytest.raises(ModelError) as info:
        ask(make_settings(server, tmp_path))
    assert "context length" in str(info.value)
    assert server.calls == 2
    assert server.requests[1].body["response_format"]["type"] == "json_schema"  # no fallback


def test_truncation_never_resends_the_same_request(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: completion('{"synopsis": "cut', finish_reason="length")
    settings = make_settings(server, tmp_path, max_output_tokens=1000, max_output_tokens_ceiling=4000)
    with pytest.raises(TruncatedOutputError) as info:
        ask(settings)
    assert server.calls == 2
    first, second = (r.body for r in server.requests)
    assert first != second
    assert (first["max_tokens"], second["max_tokens"]) == (1000, 4000)
    assert info.value.usage is not None and info.value.usage.calls == 2
    assert info.value.last_output == '{"synopsis": "cut'


def test_truncation_at_the_ceiling_raises_at_once(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: completion('{"synopsis": "cut', finish_reason="length")
    with pytest.raises(TruncatedOutputError):
        ask(make_settings(server, tmp_path, max_output_tokens=2000, max_output_tokens_ceiling=2000))
    assert server.calls == 1


def test_truncation_then_success_with_a_larger_budget(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion('{"synopsis": "cut', finish_reason="length"), completion(GOOD)]
    value, usage = ask(make_settings(server, tmp_path, max_output_tokens=1000))
    assert value.pages == [3, 4] and usage.calls == 2
    assert server.requests[1].body["max_tokens"] == 16384


def test_refusal_is_a_typed_error(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(None, refusal="I can't help with that (synthetic).")]
    with pytest.raises(RefusalError) as info:
        ask(make_settings(server, tmp_path))
    assert "synthetic" in str(info.value) and server.calls == 1
    assert info.value.usage is not None and info.value.usage.calls == 1


def test_content_filter_is_a_refusal(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion("", finish_reason="content_filter")]
    with pytest.raises(RefusalError):
        ask(make_settings(server, tmp_path))


def test_json_schema_400_falls_back_to_json_mode_and_remembers(
    server: ScriptedServer, tmp_path: Path
) -> None:
    unsupported = error(400, "synthetic: response_format type 'json_schema' is not supported by this server")
    server.script = [unsupported, completion(GOOD), completion(GOOD)]
    settings = make_settings(server, tmp_path, use_cache=False)

    async def two_calls() -> ModelClient:
        client = ModelClient(settings)
        await _ask(settings, client=client)
        await _ask(settings, [{"role": "user", "content": "another synthetic request"}], client=client)
        await client.aclose()
        return client

    client = asyncio.run(two_calls())
    assert client.mode == "json_object_schema"  # JSON mode plus the server's own schema constraint
    formats = [r.body["response_format"]["type"] for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]  # fell back once, then remembered
    assert all("schema" in r.body["response_format"] for r in server.requests[1:])
    fallback = server.requests[1].body["messages"]
    assert fallback[0]["role"] == "system"
    assert fallback[0]["content"].startswith("You summarise.")  # schema appended to the existing system
    assert '"synopsis"' in fallback[0]["content"] and "JSON" in fallback[0]["content"]
    no_system = server.requests[2].body["messages"]
    assert no_system[0]["role"] == "system" and '"pages"' in no_system[0]["content"]


def test_json_schema_setting_does_not_fall_back(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [error(400, "synthetic: response_format json_schema unsupported")]
    with pytest.raises(ModelError):
        ask(make_settings(server, tmp_path, structured="json_schema"))
    assert server.calls == 1


def test_json_object_setting_with_reask(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion("Sure! Here is the JSON you asked for."), completion(GOOD)]
    value, _ = ask(make_settings(server, tmp_path, structured="json_object"))
    assert value.pages == [3, 4]
    assert all(r.body["response_format"] == {"type": "json_object"} for r in server.requests)


def test_second_call_is_answered_from_the_cache(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD)]
    settings = make_settings(server, tmp_path)
    first, usage1 = ask(settings)
    again, usage2 = ask(settings)  # a new client: as a re-run or resumed run would be
    assert server.calls == 1
    assert again == first
    assert (usage1.calls, usage1.cached_calls) == (1, 0)
    assert (usage2.calls, usage2.cached_calls, usage2.input_tokens) == (0, 1, 0)
    # a different request, or --no-cache, goes to the server
    server.default = lambda body: completion(GOOD)
    ask(settings, [{"role": "user", "content": "a different synthetic request"}])
    ask(settings.model_copy(update={"use_cache": False}))
    assert server.calls == 3


def test_failed_answers_are_logged_but_never_served_from_cache(
    server: ScriptedServer, tmp_path: Path
) -> None:
    server.script = [completion("not json"), completion(GOOD)]
    settings = make_settings(server, tmp_path)
    ask(settings)
    rows = list(CallCache(settings.cache_dir).rows())
    assert [r["ok"] for r in rows] == [0, 1]
    assert rows[0]["step"] == "synopsis" and rows[0]["prompt_version"] == "synthetic-v1"
    assert rows[1]["input_tokens"] == 100 and rows[1]["mode"] == "json_schema"
    assert json.loads(rows[1]["result_json"])["pages"] == [3, 4]


def test_key_never_stored_nor_shown(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD)]
    settings = make_settings(server, tmp_path)
    ask(settings)
    assert server.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was really sent
    for db in (tmp_path / "cache").iterdir():
        assert KEY.encode() not in db.read_bytes()
    assert KEY not in repr(settings) and KEY not in str(settings.public_dict())
    # a 401 whose body echoes the key (as real servers partly do) is a ConfigurationError without it
    server.script = [error(401, f"synthetic: Incorrect API key provided: {KEY}")]
    with pytest.raises(ConfigurationError) as info:
        ask(settings.model_copy(update={"use_cache": False}))
    assert KEY not in str(info.value) and "401" in str(info.value)
    assert server.calls == 2  # not retried


def test_budget_stops_before_the_call(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: completion(GOOD, prompt_tokens=1000, completion_tokens=1000)
    with pytest.raises(BudgetExceededError):
        ask(make_settings(server, tmp_path, max_cost=0.0001))  # a 4096-token answer could cost more
    assert server.calls == 0


def test_budget_counts_what_was_spent(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: completion(GOOD, prompt_tokens=10_000, completion_tokens=1000)
    # each call costs 0.0021 USD; the worst case for the next (a 4096-token answer) about 0.0025
    settings = make_settings(server, tmp_path, max_cost=0.004, use_cache=False)

    async def run() -> ModelClient:
        client = ModelClient(settings)
        await _ask(settings, client=client)
        with pytest.raises(BudgetExceededError) as info:
            await _ask(settings, [{"role": "user", "content": "synthetic 2"}], client=client)
        assert info.value.usage == Usage()
        await client.aclose()
        return client

    client = asyncio.run(run())
    assert server.calls == 1
    assert client.usage.estimated_cost_usd == pytest.approx(0.0021)


def test_unknown_model_costs_zero_and_is_flagged(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(GOOD)]
    settings = make_settings(server, tmp_path, model="synthetic-local-model")

    async def run() -> tuple[Usage, bool]:
        _, usage, client = await _ask(settings)
        return usage, client.price_known

    usage, known = asyncio.run(run())
    assert usage.estimated_cost_usd == 0.0 and usage.input_tokens == 100
    assert known is False


def test_concurrent_calls_share_one_client(server: ScriptedServer, tmp_path: Path) -> None:
    server.default = lambda body: completion(
        json.dumps({"paragraphs": [{"text": "synthetic", "pages": [1]}], "key_points": [], "presenter": None})
    )
    settings = make_settings(server, tmp_path)

    async def run() -> ModelClient:
        client = ModelClient(settings)
        await asyncio.gather(
            *(
                client.structured(
                    step="item_summary",
                    messages=[{"role": "user", "content": f"synthetic item {i}"}],
                    response_model=ItemDraft,
                    prompt_version="v",
                )
                for i in range(12)
            )
        )
        await client.aclose()
        return client

    client = asyncio.run(run())
    assert server.calls == 12 and client.usage.calls == 12
    assert CallCache(settings.cache_dir).stats()["ok"] == 12


# -- against the project's own fake server (summarise.testing): every answer is synthetic ------------

FAULTS_THAT_RECOVER = ["429", "500", "502", "503", "timeout", "drop", "reset", "malformed", "schema_invalid",
                       "truncate", "400"]  # fmt: skip


def _item_messages(i: int) -> list[dict[str, Any]]:
    from summarise.engines.model.prompts import load_prompt
    from summarise.engines.model.protocol import format_source

    source = format_source(
        [
            (
                3,
                "Cabinet is asked to approve a synthetic budget of £12.5 million for roads in 2025/26.",
            ),
            (4, "Report of Jane Synthetic, Cabinet Member for Highways. The MTFP gap is £3m."),
        ]
    )
    return load_prompt("item_summary").messages(
        meeting=f"Synthetic Cabinet {i}", kind_rules="- Kind of paper: report pack.", item_number="5",
        item_title="Roads", pages="3-4", documents="Report", max_words=200, max_points=5, source=source,
    )  # fmt: skip


def _run_against_fake(tmp_path: Path, fault: str, calls: int = 2) -> tuple[list[str], ModelClient, Any]:
    from summarise.testing import FakeOpenAIServer

    async def run(base_url: str) -> tuple[list[str], ModelClient]:
        settings = Settings(
            base_url=base_url, api_key="synthetic", cache_dir=tmp_path, retry_initial_wait=0.001,
            retry_max_wait=0.05, timeout=0.5, max_retries=3, max_reasks=2,
        )  # fmt: skip
        outcomes: list[str] = []
        async with ModelClient(settings) as client:
            for i in range(calls):
                try:
                    draft, _ = await client.structured(
                        step="item_summary", messages=_item_messages(i), response_model=ItemDraft,
                        prompt_version="v",
                    )  # fmt: skip
                    assert draft.paragraphs and all(p.pages for p in draft.paragraphs)
                    outcomes.append("ok")
                except ModelError as exc:
                    outcomes.append(type(exc).__name__)
        return outcomes, client

    with FakeOpenAIServer(script=[fault], seed=1, retry_after=0.01, timeout_seconds=2.0) as fake:
        outcomes, client = asyncio.run(run(fake.base_url))
        return outcomes, client, fake.stats


@pytest.mark.parametrize("fault", FAULTS_THAT_RECOVER)
def test_each_fault_of_the_fake_server_is_survived(tmp_path: Path, fault: str) -> None:
    outcomes, client, stats = _run_against_fake(tmp_path, fault)
    assert outcomes == ["ok", "ok"]
    assert stats.calls == 3  # exactly one extra request for the one fault
    assert client.retries + client.reasks + client.fallbacks == (0 if fault == "truncate" else 1)
    assert client.mode == ("json_object_schema" if fault == "400" else "json_schema")


def test_a_refusal_from_the_fake_server_is_typed(tmp_path: Path) -> None:
    outcomes, _, stats = _run_against_fake(tmp_path, "refusal")
    assert outcomes == ["RefusalError", "ok"] and stats.calls == 2


def test_a_fenced_json_answer_is_accepted(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [completion(f"```json\n{GOOD}\n```")]
    value, _ = ask(make_settings(server, tmp_path, structured="json_object"))
    assert value.pages == [3, 4] and server.calls == 1
