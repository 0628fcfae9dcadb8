"""Every HTTP status and a refused connection become typed errors with one actionable line."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _scripted_server import Reply, ScriptedServer, completion, error, scripted_server

from summarise.engines.model.client import ModelClient
from summarise.engines.model.pricing import PriceTable
from summarise.engines.model.steps import SynopsisDraft
from summarise.errors import ConfigurationError, ModelError, ModelUnavailableError
from summarise.settings import ModelPrice, Settings

MESSAGES = [{"role": "user", "content": "Synthetic: summarise nothing."}]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with scripted_server() as srv:
        yield srv


def settings_for(base_url: str, tmp_path: Path, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": base_url,
        "cache_dir": tmp_path,
        "retry_initial_wait": 0.001,
        "max_retries": 3,
        "timeout": 5.0,
    }
    return Settings(**{**values, **kw})


def ask(
    settings: Settings, messages: list[dict[str, str]] | None = None
) -> tuple[ModelClient, BaseException | None]:
    async def run() -> tuple[ModelClient, BaseException | None]:
        client = ModelClient(settings)
        try:
            await client.structured(
                step="synopsis",
                messages=messages or MESSAGES,
                response_model=SynopsisDraft,
                prompt_version="v",
            )
        except Exception as exc:
            return client, exc
        finally:
            await client.aclose()
        return client, None

    return asyncio.run(run())


@pytest.mark.parametrize("status", [409, 413, 422, 418])
def test_every_http_status_is_a_typed_error_naming_it(
    server: ScriptedServer, tmp_path: Path, status: int
) -> None:
    server.script = [error(status, "synthetic rejection")] * 10
    _, exc = ask(settings_for(server.base_url, tmp_path, max_retries=1))
    assert isinstance(exc, ModelError)
    assert f"HTTP {status}" in str(exc) and "\n" not in str(exc)
    if status == 413:
        assert "context_tokens setting" in str(exc) and "--" not in str(exc)


def test_a_non_retryable_status_is_not_retried(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [error(422, "synthetic rejection"), completion('{"synopsis": "late"}')]
    client, exc = ask(settings_for(server.base_url, tmp_path))
    assert isinstance(exc, ModelError) and client.retries == 0 and server.calls == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_refused_connection_fails_fast_and_names_the_url_without_credentials(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there once the socket is closed
    secret = "synthetic-secret-" + "x" * 12
    url = f"http://user:{secret}@127.0.0.1:{port}/v1?api-key={secret}"
    client, exc = ask(settings_for(url, tmp_path, max_retries=5, retry_initial_wait=5.0))
    assert isinstance(exc, ModelUnavailableError)
    assert f"http://127.0.0.1:{port}/v1" in str(exc) and secret not in str(exc)
    assert client.retries == 0  # no backoff spent on a server that is not there


def test_a_budget_with_no_known_price_refuses_to_start(tmp_path: Path) -> None:
    settings = settings_for("http://127.0.0.1:9/v1", tmp_path, model="synthetic-local", max_cost=0.01)
    with pytest.raises(ConfigurationError, match=r"prices setting \(synthetic-local=IN,OUT"):
        ModelClient(settings)
    priced = settings.with_overrides(prices={"synthetic-local": ModelPrice(input=1.0, output=2.0)})
    asyncio.run(ModelClient(priced).aclose())  # a price given: it starts


def test_cli_prices_flag_sets_a_price_and_lets_a_budget_start(tmp_path: Path) -> None:
    from summarise.cli import app as cli

    args = cli.build_parser().parse_args(
        ["estimate", "x.pdf", "--model", "synthetic-local", "--prices", "synthetic-local=1.5,2"]
    )
    settings = cli.cli_settings(args)
    assert settings.prices["synthetic-local"] == ModelPrice(input=1.5, output=2.0)
    bad = cli.build_parser().parse_args(["estimate", "x.pdf", "--prices", "synthetic-local=cheap"])
    with pytest.raises(ConfigurationError, match="MODEL=IN,OUT"):
        cli.cli_settings(bad)


GOOD = '{"synopsis": "A synthetic synopsis.", "pages": [1]}'


def test_a_500_blaming_the_format_moves_auto_on_without_retries(
    server: ScriptedServer, tmp_path: Path
) -> None:
    # llama-cpp-python answers a json_schema response_format with HTTP 500 (a validation message).
    llama_500 = error(500, "validation error: response_format.type: Input should be 'text' or 'json_object'")
    server.script = [llama_500, completion(GOOD)]
    client, exc = ask(settings_for(server.base_url, tmp_path))
    assert exc is None and client.retries == 0 and server.calls == 2
    assert client.mode == "json_object_schema"
    assert server.requests[1].body["response_format"]["schema"]["properties"]["synopsis"]


def test_auto_walks_every_mode_then_remembers_the_server(server: ScriptedServer, tmp_path: Path) -> None:
    server.script = [
        error(400, "synthetic: response_format json_schema is not supported"),
        error(400, "synthetic: response_format schema is not supported"),
        error(400, "synthetic: guided_json is not supported"),
        completion(GOOD),
    ]
    client, exc = ask(settings_for(server.base_url, tmp_path))
    assert exc is None and client.mode == "json_object" and server.calls == 4
    assert "guided_json" in server.requests[2].body  # vLLM's own constraint, tried before bare JSON mode
    assert server.requests[3].body["response_format"] == {"type": "json_object"}
    # A later run against the same server and model starts with what worked: no probing again.
    server.script = [completion('{"synopsis": "Another synthetic synopsis.", "pages": [2]}')]
    other = [{"role": "user", "content": "Synthetic: a different request."}]
    again, exc = ask(settings_for(server.base_url, tmp_path), other)
    assert exc is None and again.mode == "json_object" and server.calls == 5


def test_a_server_without_json_mode_ends_at_a_forced_tool_call(
    server: ScriptedServer, tmp_path: Path
) -> None:
    body = completion(None, finish_reason="tool_calls").body
    body["choices"][0]["message"]["tool_calls"] = [
        {"id": "call_1", "type": "function", "function": {"name": "answer", "arguments": GOOD}}
    ]
    unsupported = error(400, "synthetic: response_format is not supported by this server")
    server.script = [unsupported] * 4 + [Reply(body=body)]
    client, exc = ask(settings_for(server.base_url, tmp_path))
    assert exc is None and client.mode == "tools" and server.calls == 5
    assert server.requests[4].body["tool_choice"]["function"]["name"] == "answer"


def test_tools_mode_reads_the_forced_call_arguments(server: ScriptedServer, tmp_path: Path) -> None:
    body = completion(None, finish_reason="tool_calls").body
    body["choices"][0]["message"]["tool_calls"] = [
        {"id": "call_1", "type": "function", "function": {"name": "answer", "arguments": GOOD}}
    ]
    server.script = [Reply(body=body)]
    _, exc = ask(settings_for(server.base_url, tmp_path, structured="tools"))
    assert exc is None
    sent = server.requests[0].body
    assert sent["tool_choice"]["function"]["name"] == "answer" and "response_format" not in sent


def test_a_retry_after_past_max_retry_wait_gives_up_at_once_and_says_so(
    server: ScriptedServer, tmp_path: Path
) -> None:
    server.script = [error(429, "synthetic rate limit", {"retry-after": "3600"})] * 3
    client, exc = ask(settings_for(server.base_url, tmp_path, max_retry_wait=60.0))
    assert isinstance(exc, ModelUnavailableError) and "3600 s" in str(exc) and "max_retry_wait" in str(exc)
    assert server.calls == 1 and client.retries == 0


def test_prompt_cache_hits_are_read_and_priced_at_the_cached_rate(tmp_path: Path) -> None:
    from summarise.testing import FakeOpenAIServer

    shared = "Synthetic standing orders, the same in every request. " * 150  # well over 1,024 tokens
    first = [{"role": "system", "content": shared}, {"role": "user", "content": "Synthetic item one."}]
    second = [{"role": "system", "content": shared}, {"role": "user", "content": "Synthetic item two."}]
    with FakeOpenAIServer(seed=1) as srv:
        settings = settings_for(srv.base_url, tmp_path, use_cache=False)
        one, _ = ask(settings, first)
        two, _ = ask(settings, second)
    assert one.usage.cached_input_tokens == 0  # nothing seen before
    cached = two.usage.cached_input_tokens
    assert 1_024 <= cached < two.usage.input_tokens and cached % 128 == 0
    price = PriceTable().price_for("gpt-4o-mini")
    assert price is not None and price.cached_input is not None
    full = (two.usage.input_tokens * price.input + two.usage.output_tokens * price.output) / 1e6
    saved = cached * (price.input - price.cached_input) / 1e6
    assert two.usage.estimated_cost_usd == pytest.approx(full - saved, abs=1e-6)


def test_cli_prices_accept_a_cached_input_price(tmp_path: Path) -> None:
    from summarise.cli import app as cli

    args = cli.build_parser().parse_args(["estimate", "x.pdf", "--prices", "synthetic-local=1,2,0.25"])
    assert cli.cli_settings(args).prices["synthetic-local"] == ModelPrice(
        input=1, output=2, cached_input=0.25
    )
