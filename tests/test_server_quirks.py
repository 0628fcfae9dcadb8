"""The fake server's ``quirks`` profiles, seen through the real ``openai`` SDK on loopback.

Each profile copies how one real server treats structured output and tool calls
(see ``summarise.testing``'s docstring for the sources). All source text here is
synthetic (written for these tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import openai
import pytest
from pydantic import BaseModel, ConfigDict

from summarise.testing import QUIRKS, FakeOpenAIServer
from summarise.testing.__main__ import build_parser

MODEL = "gpt-4o-mini"
SOURCE = """<<<SOURCE
[page 7]
The Committee is asked to approve a new parking scheme for the town centre, costing £240,000.
[page 8]
Officers recommend a six-week public consultation on the scheme, starting on 2 June 2026.
SOURCE>>>"""
PAGES = {7, 8}
REFUSES_JSON_SCHEMA = "Input should be 'text' or 'json_object'"


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    pages: list[int]
    status: Literal["approved", "deferred", "noted"]


class Other(BaseModel):
    """A schema placed in the system message, to tell it apart from the one in response_format."""

    model_config = ConfigDict(extra="forbid")

    headline: str
    urgent: bool


FINDING_SCHEMA = Finding.model_json_schema()
TOOL = {"type": "function", "function": {"name": "record_finding", "parameters": FINDING_SCHEMA}}
SECOND_TOOL = {
    "type": "function",
    "function": {"name": "record_other", "parameters": Other.model_json_schema()},
}
NAMED = {"type": "function", "function": {"name": "record_finding"}}


def messages(system: str = "Summarise the report as JSON.") -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Agenda item 4: Parking\n\n{SOURCE}"},
    ]


def with_other_schema() -> list[dict[str, Any]]:
    """JSON mode as a client does it: the schema it wants spelled out in the system message."""
    return messages(f"Answer with JSON matching this schema:\n{json.dumps(Other.model_json_schema())}")


@contextmanager
def serving(quirks: str | None = None) -> Iterator[tuple[FakeOpenAIServer, openai.OpenAI]]:
    srv = FakeOpenAIServer() if quirks is None else FakeOpenAIServer(quirks=quirks)
    with srv:
        yield srv, openai.OpenAI(base_url=srv.base_url, api_key="synthetic", max_retries=0, timeout=10.0)


def check_finding(content: str | None) -> Finding:
    finding = Finding.model_validate_json(content or "")
    assert finding.title in " ".join(SOURCE.split())  # lifted from the source, not invented
    assert finding.pages and set(finding.pages) <= PAGES
    return finding


# --- json_schema --------------------------------------------------------------------------------


@pytest.mark.parametrize("quirks", ["openai", "ollama"])
def test_json_schema_is_answered_where_the_server_supports_it(quirks: str) -> None:
    with serving(quirks) as (srv, client):
        result = client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
        assert result.choices[0].finish_reason == "stop"
        assert isinstance(result.choices[0].message.parsed, Finding)
        check_finding(result.choices[0].message.content)
        assert srv.stats.by_response_format == {"json_schema": 1}


def test_llama_cpp_python_answers_json_schema_with_a_500_validation_error() -> None:
    with serving("llama-cpp-python") as (srv, client):
        with pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
        assert caught.value.status_code == 500
        body = caught.value.body
        assert isinstance(body, dict)  # the SDK unwraps {"error": {...}}
        assert body["type"] == "internal_server_error"
        assert body["message"].startswith("1 validation error:")
        assert REFUSES_JSON_SCHEMA in body["message"]
        assert "'loc': ('body', 'response_format', 'type')" in body["message"]
        assert "'input': 'json_schema'" in body["message"]
        assert srv.stats.by_status == {"500": 1}


def test_vllm_answers_json_schema_with_a_400_that_blames_response_format() -> None:
    with serving("vllm") as (srv, client):
        with pytest.raises(openai.BadRequestError) as caught:
            client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
        assert caught.value.status_code == 400
        body = caught.value.body
        assert isinstance(body, dict)  # vLLM's error is not nested under "error"
        assert body["object"] == "error"
        assert body["type"] == "BadRequestError"
        assert body["code"] == 400
        assert "response_format" in body["message"]
        assert REFUSES_JSON_SCHEMA in body["message"]
        assert "extra_forbidden" in body["message"]  # ResponseFormat has no json_schema field
        assert REFUSES_JSON_SCHEMA in str(caught.value)
        assert srv.stats.by_status == {"400": 1}


# --- json_object --------------------------------------------------------------------------------


def test_llama_cpp_python_json_object_is_constrained_by_its_schema() -> None:
    """The answer follows response_format.schema (the grammar), not the schema in the messages."""
    rf: Any = {"type": "json_object", "schema": FINDING_SCHEMA}
    with serving("llama-cpp-python") as (srv, client):
        result = client.chat.completions.create(model=MODEL, messages=with_other_schema(), response_format=rf)
        check_finding(result.choices[0].message.content)
        assert srv.stats.by_response_format == {"json_object": 1}


def test_vllm_refuses_a_schema_inside_response_format() -> None:
    """Older vLLM's ResponseFormat forbids extra fields: the schema goes in guided_json instead."""
    rf: Any = {"type": "json_object", "schema": FINDING_SCHEMA}
    with serving("vllm") as (_, client), pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=with_other_schema(), response_format=rf)
    message = str(caught.value)
    assert "'loc': ('body', 'response_format', 'schema')" in message
    assert "Extra inputs are not permitted" in message
    assert "literal_error" not in message  # the type itself is fine


@pytest.mark.parametrize("quirks", ["openai", "ollama"])
def test_other_servers_answer_json_object_with_a_schema_from_the_messages(quirks: str) -> None:
    """Neither OpenAI nor Ollama's /v1 reads response_format.schema."""
    rf: Any = {"type": "json_object", "schema": FINDING_SCHEMA}
    with serving(quirks) as (_, client):
        result = client.chat.completions.create(model=MODEL, messages=with_other_schema(), response_format=rf)
        Other.model_validate_json(result.choices[0].message.content or "")


@pytest.mark.parametrize("quirks", QUIRKS)
def test_plain_json_object_uses_the_schema_in_the_messages(quirks: str) -> None:
    with serving(quirks) as (_, client):
        result = client.chat.completions.create(
            model=MODEL, messages=with_other_schema(), response_format={"type": "json_object"}
        )
        Other.model_validate_json(result.choices[0].message.content or "")


# --- vLLM guided_json ----------------------------------------------------------------------------


@pytest.mark.parametrize("as_text", [False, True])
def test_vllm_guided_json_from_extra_body_constrains_the_answer(as_text: bool) -> None:
    guided: Any = json.dumps(FINDING_SCHEMA) if as_text else FINDING_SCHEMA
    with serving("vllm") as (srv, client):
        result = client.chat.completions.create(
            model=MODEL, messages=with_other_schema(), extra_body={"guided_json": guided}
        )
        check_finding(result.choices[0].message.content)
        assert srv.requests[0].body["guided_json"] == guided  # sent by the SDK as a body field
        assert srv.stats.by_response_format == {"guided_json": 1}


def test_openai_ignores_guided_json() -> None:
    with serving("openai") as (_, client):
        result = client.chat.completions.create(
            model=MODEL, messages=messages(), extra_body={"guided_json": FINDING_SCHEMA}
        )
        content = result.choices[0].message.content or ""
        with pytest.raises(ValueError):
            json.loads(content)  # plain text, as before


# --- tool calls --------------------------------------------------------------------------------

# (finish_reason, content) each server sends with a forced call
TOOL_SHAPES: dict[str, tuple[str, str | None]] = {
    "openai": ("tool_calls", None),
    "llama-cpp-python": ("tool_calls", None),
    "vllm": ("stop", ""),  # vLLM sets "tool_calls" only for auto tool parsing
    "ollama": ("tool_calls", ""),
}


@pytest.mark.parametrize("quirks", QUIRKS)
def test_named_tool_choice_returns_arguments_that_validate(quirks: str) -> None:
    with serving(quirks) as (srv, client):
        result = client.chat.completions.create(
            model=MODEL, messages=messages(), tools=[SECOND_TOOL, TOOL], tool_choice=NAMED
        )
        choice = result.choices[0]
        assert (choice.finish_reason, choice.message.content) == TOOL_SHAPES[quirks]
        calls = choice.message.tool_calls
        assert calls is not None and len(calls) == 1
        call = calls[0]
        assert call.type == "function" and call.id
        name = "record_other" if quirks == "ollama" else "record_finding"  # Ollama never reads tool_choice
        assert call.function.name == name
        model = Other if quirks == "ollama" else Finding
        model.model_validate_json(call.function.arguments)
        if model is Finding:
            check_finding(call.function.arguments)
        assert result.usage is not None and result.usage.completion_tokens > 0
        assert srv.stats.by_response_format == {"tools": 1}
        if quirks == "llama-cpp-python":
            assert call.id.startswith("call__0_record_finding_cmpl-")
            assert choice.message.function_call is not None  # the deprecated twin
            assert choice.message.function_call.arguments == call.function.arguments


def test_ollama_calls_the_first_tool_whatever_tool_choice_says() -> None:
    with serving("ollama") as (_, client):
        other: Any = {"type": "function", "function": {"name": "record_other"}}
        for choice in ("none", "auto", "required", other):
            result = client.chat.completions.create(
                model=MODEL, messages=messages(), tools=[TOOL, SECOND_TOOL], tool_choice=choice
            )
            calls = result.choices[0].message.tool_calls
            assert calls is not None and calls[0].function.name == "record_finding"
            check_finding(calls[0].function.arguments)


def test_tool_choice_required_per_profile() -> None:
    with serving("openai") as (_, client):
        result = client.chat.completions.create(
            model=MODEL, messages=messages(), tools=[TOOL, SECOND_TOOL], tool_choice="required"
        )
        calls = result.choices[0].message.tool_calls
        assert calls is not None and calls[0].function.name == "record_finding"
        assert result.choices[0].finish_reason == "tool_calls"
    with serving("llama-cpp-python") as (_, client):  # only a named function forces a call
        result = client.chat.completions.create(
            model=MODEL, messages=messages(), tools=[TOOL], tool_choice="required"
        )
        assert result.choices[0].message.tool_calls is None
        assert result.choices[0].message.content
        assert result.choices[0].finish_reason == "stop"
    with serving("vllm") as (_, client), pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model=MODEL, messages=messages(), tools=[TOOL], tool_choice="required")
    assert 'tool_choice = "required" is not supported!' in str(caught.value)


@pytest.mark.parametrize(
    ("quirks", "error"),
    [
        ("openai", openai.BadRequestError),
        ("llama-cpp-python", openai.InternalServerError),
        ("vllm", openai.BadRequestError),
    ],
)
def test_naming_a_tool_that_was_not_sent_is_refused(quirks: str, error: type[openai.APIStatusError]) -> None:
    missing = {"type": "function", "function": {"name": "not_there"}}
    with serving(quirks) as (_, client), pytest.raises(error):
        client.chat.completions.create(model=MODEL, messages=messages(), tools=[TOOL], tool_choice=missing)


def test_tool_calls_are_not_streamed() -> None:
    with serving("openai") as (_, client), pytest.raises(openai.BadRequestError, match="stream tool calls"):
        client.chat.completions.create(
            model=MODEL, messages=messages(), tools=[TOOL], tool_choice=NAMED, stream=True
        )


# --- Ollama's request fields ---------------------------------------------------------------------


def test_ollama_ignores_a_format_field_on_the_openai_endpoint() -> None:
    with serving("ollama") as (srv, client):
        result = client.chat.completions.create(
            model=MODEL, messages=messages(), extra_body={"format": FINDING_SCHEMA}
        )
        with pytest.raises(ValueError):
            json.loads(result.choices[0].message.content or "")  # text: format is not read there
        assert srv.stats.by_response_format == {"text": 1}
        schema_only: Any = {"type": "json_schema"}  # no json_schema.schema: no format either
        result = client.chat.completions.create(model=MODEL, messages=messages(), response_format=schema_only)
        with pytest.raises(ValueError):
            json.loads(result.choices[0].message.content or "")


# --- the default, determinism, settings ----------------------------------------------------------


def test_openai_is_the_default_and_unchanged() -> None:
    def answers(quirks: str | None) -> list[Any]:
        with serving(quirks) as (srv, client):
            assert srv.quirks == "openai"
            parsed = client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
            obj = client.chat.completions.create(
                model=MODEL, messages=with_other_schema(), response_format={"type": "json_object"}
            )
            text = client.chat.completions.create(model=MODEL, messages=messages(), tools=[TOOL])
            assert text.choices[0].message.tool_calls is None  # tools without tool_choice: an answer
            return [
                parsed.choices[0].message.content,
                obj.choices[0].message.content,
                text.choices[0].message.content,
                srv.stats.to_dict(),
            ]

    assert answers(None) == answers("openai")
    with FakeOpenAIServer(json_schema_supported=False) as srv:  # the old switch still works
        assert srv.quirks == "openai"
        client = openai.OpenAI(base_url=srv.base_url, api_key="synthetic", max_retries=0)
        with pytest.raises(openai.BadRequestError):
            client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)


@pytest.mark.parametrize("quirks", QUIRKS)
def test_same_request_same_answer(quirks: str) -> None:
    with serving(quirks) as (_, client):
        first, again = (
            client.chat.completions.create(model=MODEL, messages=messages(), tools=[TOOL], tool_choice=NAMED)
            for _ in range(2)
        )
        assert first.choices[0].message.model_dump() == again.choices[0].message.model_dump()
        assert first.id == again.id


def test_quirks_are_checked_and_can_change_while_serving() -> None:
    with pytest.raises(ValueError, match="unknown quirks"):
        FakeOpenAIServer(quirks="tgi")
    with serving() as (srv, client):
        srv.quirks = "llama-cpp-python"
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
        with pytest.raises(ValueError):
            srv.quirks = "nope"
        srv.quirks = "openai"
        assert client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)


def test_command_line_quirks() -> None:
    assert build_parser().parse_args([]).quirks == "openai"
    assert build_parser().parse_args(["--quirks", "ollama"]).quirks == "ollama"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--quirks", "tgi"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarise.testing", "--port", "0", "--quirks", "vllm"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        client = openai.OpenAI(base_url=base_url, api_key="synthetic", max_retries=0)
        with pytest.raises(openai.BadRequestError, match="Input should be"):
            client.chat.completions.parse(model=MODEL, messages=messages(), response_format=Finding)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0


@pytest.mark.parametrize(
    ("quirks", "mode", "constraint"),
    [
        ("llama-cpp-python", "json_object_schema", "json_object"),
        ("vllm", "guided_json", "guided_json"),
        ("ollama", "json_schema", "json_schema"),
    ],
)
def test_auto_finds_each_servers_own_schema_constraint(
    tmp_path: Path, quirks: str, mode: str, constraint: str
) -> None:
    import asyncio

    import summarise
    from summarise.engines.model.client import ModelClient
    from summarise.settings import Settings

    pack = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
    with FakeOpenAIServer(quirks=quirks, seed=1) as srv:
        summary = summarise.summarise_pack(pack, "llm", base_url=srv.base_url, cache_dir=tmp_path)
        answered = [r for r in srv.requests if r.status == 200]
    assert not summary.provenance.fallbacks
    assert all(item.engine == "llm" for item in summary.items if item.has_papers)
    kinds = {
        "guided_json" if "guided_json" in r.body else r.body["response_format"]["type"] for r in answered
    }
    assert kinds == {constraint}  # every answered request carried the server's own constraint
    later = ModelClient(Settings(base_url=srv.base_url, cache_dir=tmp_path))
    assert later.mode == mode  # remembered for the next run against this server: no probing
    asyncio.run(later.aclose())
