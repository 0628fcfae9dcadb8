"""The JSON body of one chat-completions request, built here rather than by the SDK.

The SDK's ``chat.completions.parse``/``create`` rebuild the schema from the Pydantic model and
walk the whole request through its typed transforms on every call: tens of milliseconds of CPU for
a request carrying a few thousand tokens of source. Here each step type's schema and structured-
output options are built once (per mode and response model) and the body is a plain dict, which
the client posts as it is (:meth:`openai.AsyncOpenAI.post`, so the SDK's typed errors stay).

The bodies are the ones the SDK sends (the same keys and values, so recorded cassettes replay).
They go as bytes (:func:`body_bytes`): the messages, the bulk of every request, are dumped once per
call, for the cache key and the body alike (:func:`~summarise.engines.model.cache.canonical_json`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import openai
from pydantic import BaseModel

from summarise.engines.model.cache import canonical_json
from summarise.engines.model.modes import (
    Mode,
    request_options,
    schema_in_prompt,
    strict_schema,
    with_schema_note,
)
from summarise.settings import Settings
from summarise.text.tokens import count_once


@functools.lru_cache(maxsize=64)
def schema_of(response_model: type[BaseModel]) -> dict[str, Any]:
    """The strict schema of ``response_model``, built once. Shared: treat it as read-only."""
    return strict_schema(response_model)


@functools.lru_cache(maxsize=64)
def schema_json(response_model: type[BaseModel]) -> str:
    """:func:`schema_of` as the cache key hashes it, dumped once per step type."""
    return canonical_json(schema_of(response_model))


@functools.lru_cache(maxsize=64)
def schema_text(response_model: type[BaseModel]) -> str:
    """:func:`schema_of` as the window's token count reads it (``json.dumps``), dumped once."""
    return json.dumps(schema_of(response_model))


@functools.lru_cache(maxsize=64)
def _options_json(mode: Mode, response_model: type[BaseModel]) -> str:
    schema = schema_of(response_model)
    if mode == "json_schema":  # what the SDK's parse sends for a Pydantic model, keys in field order
        in_order = openai.pydantic_function_tool(response_model)["function"].get("parameters", {})
        named = {"schema": in_order, "name": response_model.__name__, "strict": True}
        fmt = {"type": "json_schema", "json_schema": named}
        return json.dumps({"stream": False, "response_format": fmt})
    options = request_options(mode, response_model.__name__, schema)
    extra = options.pop("extra_body", {})  # the SDK merges extra_body into the body's top level
    return json.dumps({**options, **extra})


@functools.lru_cache(maxsize=64)
def options_for(mode: Mode, response_model: type[BaseModel]) -> dict[str, Any]:
    """The body's keys that ask for ``mode``, built once per mode and step type. Read-only."""
    out: dict[str, Any] = json.loads(_options_json(mode, response_model))
    return out


@functools.lru_cache(maxsize=32)
def _schema_note(
    base: str, response_model: type[BaseModel], prompts_dir: Path | None
) -> list[dict[str, Any]]:
    return with_schema_note(
        [{"role": "system", "content": base}], response_model, schema_of(response_model), prompts_dir
    )


def prompt_messages(
    mode: Mode, messages: list[dict[str, Any]], response_model: type[BaseModel], prompts_dir: Path | None
) -> list[dict[str, Any]]:
    """``messages`` as sent in ``mode``: JSON modes carry the schema in the first system message
    (that message is rendered once per system prompt and step type)."""
    if not schema_in_prompt(mode):
        return messages
    if messages and messages[0].get("role") == "system" and set(messages[0]) == {"role", "content"}:
        first = _schema_note(str(messages[0]["content"]), response_model, prompts_dir)[0]
        return [dict(first), *messages[1:]]
    return with_schema_note(messages, response_model, schema_of(response_model), prompts_dir)


def output_params(settings: Settings, max_tokens: int) -> dict[str, Any]:
    """Sampling settings and the answer's cap, under the name this server takes."""
    out: dict[str, Any] = {}
    if settings.temperature is not None:
        out["temperature"] = settings.temperature
    if settings.seed is not None:
        out["seed"] = settings.seed
    param = settings.output_tokens_param
    if param == "auto":
        param = "max_completion_tokens" if settings.is_openai else "max_tokens"
    out[param] = max_tokens
    return out


def request_body(
    model: str,
    mode: Mode,
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    params: dict[str, Any],
) -> dict[str, Any]:
    """The whole body of one request: ``messages`` already as sent (see :func:`prompt_messages`)."""
    return {"model": model, "messages": messages, **params, **options_for(mode, response_model)}


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def body_bytes(
    model: str, mode: Mode, messages_json: str, response_model: type[BaseModel], params: dict[str, Any]
) -> bytes:
    """:func:`request_body` as sent: ``messages_json`` (the messages as sent, in
    :func:`~summarise.engines.model.cache.canonical_json`) spliced in, not dumped again."""
    rest = _compact({**params, **options_for(mode, response_model)})
    head = f'{{"model":{_compact(model)},"messages":{messages_json}'
    return (head + ("}" if rest == "{}" else "," + rest[1:])).encode()


def room_by_bytes(settings: Settings, messages_json: str, response_model: type[BaseModel]) -> int | None:
    """Output tokens the window leaves after a request's input, when its bytes alone settle it
    (else None: :func:`counted_room`).

    A token is at least one byte: a request whose bytes leave the full output cap is not counted
    (its byte length is a lower bound on the room, which is all the caller uses). The bytes are
    those of the text :func:`counted_room` counts, bounded from ``messages_json`` (already dumped):
    the spaced dump adds one byte after some of the compact one's commas and colons."""
    schema = schema_text(response_model)
    size = len(messages_json.encode()) + messages_json.count(",") + messages_json.count(":") + len(schema)
    window = settings.context_tokens - 16
    return window - size if window - size >= settings.max_output_tokens else None


def counted_room(settings: Settings, messages: list[dict[str, Any]], response_model: type[BaseModel]) -> int:
    """Output tokens the window leaves after a request's input (counted generously)."""
    text = json.dumps(messages, ensure_ascii=False) + schema_text(response_model)  # new each request
    return settings.context_tokens - 16 - count_once(text, settings.model)
