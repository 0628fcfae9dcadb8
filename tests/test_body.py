"""The request body the client builds is the one the OpenAI SDK would send, in every structured mode
(recorded cassettes match on the body, and servers were tested against the SDK's)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import openai
import pytest

from summarise.engines.model.body import (
    body_bytes,
    counted_room,
    options_for,
    output_params,
    prompt_messages,
    request_body,
    room_by_bytes,
)
from summarise.engines.model.cache import canonical_json
from summarise.engines.model.client import ModelClient
from summarise.engines.model.modes import AUTO_ORDER, Mode, request_options, schema_in_prompt, strict_schema
from summarise.engines.model.steps import ChunkNotes
from summarise.settings import Settings
from summarise.text import tokens
from summarise.text.tokens import count_tokens

MESSAGES = [
    {"role": "system", "content": "Synthetic rules é."},
    {"role": "user", "content": "Synthetic source."},
]
ANSWER = json.dumps({"notes": [], "presenter": None})


def _recorder(seen: list[bytes]) -> httpx2.MockTransport:
    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(request.content)
        return _reply(request)

    return httpx2.MockTransport(handle)


def _reply(request: httpx2.Request) -> httpx2.Response:
    body = json.loads(request.content)
    message: dict[str, Any] = {"role": "assistant", "content": ANSWER}
    if "tools" in body:
        call = {"id": "c", "type": "function", "function": {"name": "answer", "arguments": ANSWER}}
        message = {"role": "assistant", "content": None, "tool_calls": [call]}
    choice = {"index": 0, "message": message, "finish_reason": "stop"}
    usage = {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    payload = {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [choice],
        "usage": usage,
    }
    return httpx2.Response(200, json=payload)


def _settings(mode: Mode) -> Settings:
    return Settings(
        base_url="http://model.invalid/v1",
        api_key="k",
        structured=mode,
        use_cache=False,
        temperature=0,
        seed=3,
    )


async def _client_body(mode: Mode) -> dict[str, Any]:
    seen: list[bytes] = []
    transport = _recorder(seen)
    client = ModelClient(_settings(mode), http_client=httpx2.AsyncClient(transport=transport))
    await client.structured(
        step="chunk_notes", messages=MESSAGES, response_model=ChunkNotes, prompt_version="v"
    )
    await client.aclose()
    return dict(json.loads(seen[0]))


async def _sdk_body(mode: Mode) -> dict[str, Any]:
    seen: list[bytes] = []
    transport = _recorder(seen)
    sdk = openai.AsyncOpenAI(
        api_key="k", base_url="http://model.invalid/v1", http_client=httpx2.AsyncClient(transport=transport)
    )
    settings = _settings(mode)
    messages: Any = prompt_messages(mode, MESSAGES, ChunkNotes, None)
    params = output_params(settings, 4096)
    if mode == "json_schema":
        await sdk.chat.completions.parse(
            model=settings.model, messages=messages, response_format=ChunkNotes, **params
        )
    else:
        options = request_options(mode, "ChunkNotes", strict_schema(ChunkNotes))
        await sdk.chat.completions.create(model=settings.model, messages=messages, **options, **params)
    await sdk.close()
    return dict(json.loads(seen[0]))


@pytest.mark.parametrize("mode", AUTO_ORDER)
def test_the_body_is_the_sdks_in_every_mode(mode: Mode) -> None:
    ours, theirs = asyncio.run(_client_body(mode)), asyncio.run(_sdk_body(mode))
    assert ours == theirs
    assert ("Synthetic rules" in ours["messages"][0]["content"]) and (
        schema_in_prompt(mode) == ("ChunkNotes" in ours["messages"][0]["content"])
    )


def test_options_are_built_once_and_the_caller_messages_are_not_changed() -> None:
    assert options_for("guided_json", ChunkNotes) is options_for("guided_json", ChunkNotes)
    before = json.dumps(MESSAGES)
    body = request_body(
        "m", "json_object", prompt_messages("json_object", MESSAGES, ChunkNotes, None), ChunkNotes, {}
    )
    assert json.dumps(MESSAGES) == before and body["messages"][0] is not MESSAGES[0]


@pytest.mark.parametrize("mode", AUTO_ORDER)
def test_the_bytes_sent_are_the_body(mode: Mode) -> None:
    sent = prompt_messages(mode, MESSAGES, ChunkNotes, None)
    params = output_params(_settings(mode), 512)
    wire = body_bytes("m", mode, canonical_json(sent), ChunkNotes, params)
    assert json.loads(wire) == request_body("m", mode, sent, ChunkNotes, params)
    assert json.loads(body_bytes("m", mode, canonical_json(sent), ChunkNotes, {})) == request_body(
        "m", mode, sent, ChunkNotes, {}
    )


def test_room_caps_the_answer_as_counting_the_spaced_dump_did() -> None:
    """The byte bound taken from the compact JSON caps every answer as the count it replaces did
    (the caller takes the smaller of the room and an answer cap of at most max_output_tokens)."""
    settings = Settings(base_url="http://model.invalid/v1", api_key="k", context_tokens=8_192)
    cap = settings.max_output_tokens
    for text in ("Synthetic source.", ", : " * 1_500, '"a": 1, ' * 900, "é" * 3_000, "word " * 9_000):
        messages = [*MESSAGES, {"role": "user", "content": text}]
        spaced = json.dumps(messages, ensure_ascii=False) + json.dumps(strict_schema(ChunkNotes))
        counted = settings.context_tokens - 16 - count_tokens(spaced, settings.model)
        by_bytes = room_by_bytes(settings, canonical_json(messages), ChunkNotes)
        assert counted_room(settings, messages, ChunkNotes) == counted
        bound = counted if by_bytes is None else by_bytes
        assert min(cap, bound) == min(cap, counted)


def test_a_counted_request_is_not_kept_in_the_token_cache() -> None:
    """A request's JSON is new each time: counting it must not keep it alive in the paragraph cache."""
    settings = Settings(base_url="http://model.invalid/v1", api_key="k", context_tokens=8_192)
    messages = [*MESSAGES, {"role": "user", "content": "word " * 9_000}]
    assert room_by_bytes(settings, canonical_json(messages), ChunkNotes) is None  # near the window: counted
    held = tokens._count.cache_info().currsize
    room = counted_room(settings, messages, ChunkNotes)
    assert tokens._count.cache_info().currsize == held
    spaced = json.dumps(messages, ensure_ascii=False) + json.dumps(strict_schema(ChunkNotes))
    assert room == settings.context_tokens - 16 - count_tokens(spaced, settings.model)
