"""Structured-output modes: how each asks a server for JSON, and which errors mean "not supported".

- ``json_schema``: strict JSON schema (OpenAI, recent vLLM and Ollama).
- ``json_object_schema``: JSON mode plus the server's own schema constraint: ``response_format``
  ``{"type": "json_object", "schema": ...}`` (llama.cpp, llama-cpp-python turn it into a grammar);
  the schema is in the prompt too.
- ``guided_json``: JSON mode plus vLLM's guided decoding (``guided_json`` in the request body), for
  vLLM releases that reject ``json_schema`` and a schema inside ``response_format``.
- ``json_object``: JSON mode with the schema in the prompt only (any server with JSON mode).
- ``tools``: one forced function call whose parameters are the schema (the last resort of ``auto``:
  a server without JSON mode may still force a call).

Ollama needs no mode of its own: its ``/v1`` endpoint turns ``json_schema`` into its ``format``
constraint (and ignores a ``format`` field sent there).

``auto`` tries them in :data:`AUTO_ORDER`; a server that answers a mode with an error blaming the
response format (llama-cpp-python says so with a 500, older vLLM with a 400) moves it to the next
one, once per server, and the client remembers the mode per base URL.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, Literal, cast

import openai
from pydantic import BaseModel

from summarise.engines.model.prompts import load_prompt

Mode = Literal["json_schema", "json_object_schema", "guided_json", "json_object", "tools"]
AUTO_ORDER: tuple[Mode, ...] = ("json_schema", "json_object_schema", "guided_json", "json_object", "tools")
TOOL_NAME = "answer"

_FORMAT_WORDS = (
    "response_format",
    "response format",
    "json_schema",
    "structured output",
    "'text' or 'json_object'",
    "guided_json",
    "tool_choice",
)


def says_format_unsupported(exc: openai.APIStatusError) -> bool:
    """An error (any 4xx or 5xx) that blames the response format, not the request as a whole."""
    text = f"{exc.message} {json.dumps(exc.body, default=str) if exc.body is not None else ''}".lower()
    return any(word in text for word in _FORMAT_WORDS)


def next_mode(mode: Mode) -> Mode | None:
    """The mode ``auto`` tries after ``mode`` fails as unsupported (None: nothing left)."""
    if mode not in AUTO_ORDER:
        return None
    at = AUTO_ORDER.index(mode)
    return AUTO_ORDER[at + 1] if at + 1 < len(AUTO_ORDER) else None


def schema_in_prompt(mode: Mode) -> bool:
    """Modes whose schema also travels in the system message."""
    return mode in ("json_object", "json_object_schema", "guided_json")


def request_options(mode: Mode, schema_name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments that ask for ``mode`` (``json_schema`` goes through the SDK's parse)."""
    if mode == "json_object":
        return {"response_format": {"type": "json_object"}}
    if mode == "json_object_schema":
        return {"response_format": {"type": "json_object", "schema": bounded(schema)}}
    if mode == "guided_json":
        return {"response_format": {"type": "json_object"}, "extra_body": {"guided_json": bounded(schema)}}
    if mode == "tools":
        function = {"name": TOOL_NAME, "description": schema_name, "parameters": schema}
        tool = {"type": "function", "function": function}
        return {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": TOOL_NAME}}}
    raise ValueError(f"{mode} is sent through the SDK's parse")


@functools.lru_cache(maxsize=64)
def _strict_schema_json(model: type[BaseModel]) -> str:
    tool = openai.pydantic_function_tool(model)
    return json.dumps(tool["function"].get("parameters", {}), sort_keys=True)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The strict JSON schema the SDK sends for ``model`` (all required, no extra properties)."""
    return cast(dict[str, Any], json.loads(_strict_schema_json(model)))


_FENCE = re.compile(r"^\s*```[A-Za-z]*\s*\n(.*?)\n?```\s*$", re.DOTALL)


def unfence(content: str) -> str:
    """JSON mode on local servers sometimes wraps the object in a Markdown fence: unwrap it."""
    match = _FENCE.match(content)
    return match.group(1) if match else content


MAX_STRING_CHARS = 800  # one paragraph or note, generously
MAX_ARRAY_ITEMS = 12


def bounded(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with a length limit on every string and array that has none.

    Where a server turns the schema into a grammar (llama.cpp), these limits bound what a small
    model can ramble inside one string, so an answer ends well within the output cap.
    """

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v) for k, v in node.items()}
        if out.get("type") == "string":
            out.setdefault("maxLength", MAX_STRING_CHARS)
        if out.get("type") == "array":
            out.setdefault("maxItems", MAX_ARRAY_ITEMS)
        return out

    result: dict[str, Any] = walk(schema)
    return result


def with_schema_note(
    messages: list[dict[str, Any]],
    response_model: type[BaseModel],
    schema: dict[str, Any],
    prompts_dir: Path | None,
) -> list[dict[str, Any]]:
    """JSON modes: the schema goes into the (first) system message."""
    note = (
        load_prompt("json_mode", str(prompts_dir) if prompts_dir else None)
        .render(schema_name=response_model.__name__, schema=json.dumps(schema, indent=1))
        .strip()
    )
    out = [dict(m) for m in messages]
    if out and out[0].get("role") == "system":
        out[0]["content"] = f"{out[0]['content']}\n\n{note}"
    else:
        out.insert(0, {"role": "system", "content": note})
    return out


def answer_text(mode: Mode, message: dict[str, Any]) -> str | None:
    """The JSON text of the answer: the content, or the forced tool call's arguments."""
    if mode == "tools":
        for call in message.get("tool_calls") or []:
            arguments = (call.get("function") or {}).get("arguments")
            if arguments is not None:
                return arguments if isinstance(arguments, str) else json.dumps(arguments)
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        return json.dumps(content)
    return content
