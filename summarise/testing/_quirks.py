"""How real OpenAI-compatible servers treat structured output and tool calls.

Pure, like ``_reply``: a profile (``quirks``) turns one parsed request into a
:class:`Plan` (the schema the answer is filled from, a tool call to make, or the
error that server sends instead), and shapes a tool-call message the way that
server does. The package docstring lists what each profile does and where the
behaviour comes from.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from summarise.testing._fill import GENERIC_SCHEMA
from summarise.testing._source import find_schema_in_messages

QUIRKS = ("openai", "llama-cpp-python", "vllm", "ollama")
DEFAULT_QUIRKS = "openai"
NO_STREAMED_TOOLS = "the fake server does not stream tool calls (synthetic)"
_EMPTY_OBJECT: dict[str, Any] = {"type": "object", "properties": {}}
_LLAMA_FORMATS = "'text' or 'json_object'"


def check_quirks(name: str) -> str:
    """``name`` if it is a known profile, else ValueError."""
    if name not in QUIRKS:
        raise ValueError(f"unknown quirks {name!r}; choose one of: {', '.join(QUIRKS)}")
    return name


@dataclass(frozen=True)
class ToolSpec:
    """The function a reply calls, and the schema its arguments are filled from."""

    name: str
    parameters: dict[str, Any]


@dataclass(frozen=True)
class Plan:
    """What the server does with one request.

    ``kind`` names the request's structured-output path for the stats (``text``,
    ``json_object``, ``json_schema``, ``guided_json``, ``tools``); ``schema`` is
    None for a text answer; ``error`` is ``(status, JSON body)`` when the server
    refuses the request instead of answering.
    """

    kind: str
    schema: dict[str, Any] | None = None
    tool: ToolSpec | None = None
    error: tuple[int, dict[str, Any]] | None = None


# -- reading the request ----------------------------------------------------------------
def _response_format(request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    rf = request.get("response_format")
    if not isinstance(rf, dict):
        return "text", {}
    kind = rf.get("type", "text")
    return (kind if isinstance(kind, str) else "text"), rf


def _tools(request: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Function name -> parameters schema, in the order sent."""
    found: dict[str, dict[str, Any]] = {}
    tools = request.get("tools")
    for tool in tools if isinstance(tools, list) else []:
        function = tool.get("function") if isinstance(tool, dict) else None
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            params = function.get("parameters")
            found[function["name"]] = params if isinstance(params, dict) and params else _EMPTY_OBJECT
    return found


def _tool_choice(request: dict[str, Any]) -> tuple[str, str | None]:
    """(mode, function name): mode is absent/none/auto/required/named, or the odd value sent."""
    choice = request.get("tool_choice")
    if choice is None:
        return "absent", None
    if isinstance(choice, str):
        return choice, None
    function = choice.get("function") if isinstance(choice, dict) else None
    if isinstance(function, dict) and isinstance(function.get("name"), str):
        return "named", function["name"]
    return "invalid", None


def _json_object(task: Sequence[dict[str, Any]]) -> Plan:
    """JSON mode: the schema in a system/user message, else a generic object."""
    return Plan("json_object", find_schema_in_messages(task) or GENERIC_SCHEMA)


# -- error bodies as each server writes them ---------------------------------------------
def _openai_error(message: str, param: str | None) -> tuple[int, dict[str, Any]]:
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": None}
    return 400, {"error": error}


def _llama_500(message: str) -> tuple[int, dict[str, Any]]:
    """llama_cpp.server's RouteErrorHandler: any exception, request validation included, is a 500."""
    error = {"message": message, "type": "internal_server_error", "param": None, "code": None}
    return 500, {"error": error}


def _vllm_400(message: str) -> tuple[int, dict[str, Any]]:
    """vLLM's ErrorResponse: not nested under "error", with "object": "error"."""
    return 400, {"object": "error", "message": message, "type": "BadRequestError", "param": None, "code": 400}


def _literal_error(kind: str) -> dict[str, Any]:
    """Pydantic v2's error for a ``Literal["text", "json_object"]`` response_format type."""
    return {
        "type": "literal_error",
        "loc": ("body", "response_format", "type"),
        "msg": f"Input should be {_LLAMA_FORMATS}",
        "input": kind,
        "ctx": {"expected": _LLAMA_FORMATS},
    }


# -- the profiles ---------------------------------------------------------------------------
def _openai(request: dict[str, Any], task: Sequence[dict[str, Any]]) -> Plan:
    mode, name = _tool_choice(request)
    if mode in ("named", "required"):
        tools = _tools(request)
        if not tools:
            text = "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are given."
            return Plan("tools", error=_openai_error(text, "tool_choice"))
        if name is None:
            name = next(iter(tools))  # "required": the model picks; the fake picks the first
        if name not in tools:
            text = f"Invalid value for 'tool_choice': function '{name}' is not one of the 'tools'."
            return Plan("tools", error=_openai_error(text, "tool_choice"))
        return Plan("tools", tool=ToolSpec(name, tools[name]))
    kind, rf = _response_format(request)
    if kind == "json_schema":
        spec = rf.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return Plan(kind, schema if isinstance(schema, dict) else {})
    if kind == "json_object":
        return _json_object(task)
    return Plan("text")


def _llama_cpp_python(request: dict[str, Any], task: Sequence[dict[str, Any]]) -> Plan:
    kind, rf = _response_format(request)
    if kind not in ("text", "json_object"):  # the request model's Literal rejects it...
        errors = [_literal_error(kind)]  # ...and FastAPI's str() of the validation error is the message
        return Plan(kind, error=_llama_500(f"{len(errors)} validation error:\n  {errors[0]}"))
    mode, name = _tool_choice(request)
    tools = _tools(request) if isinstance(request.get("tools"), list) else None
    if mode == "named" and tools is not None:  # only a named function forces a call (a grammar)
        if name not in tools:
            return Plan("tools", error=_llama_500(f"Tool choice '{name}' not found in tools."))
        return Plan("tools", tool=ToolSpec(str(name), tools[str(name)]))
    if kind == "json_object":
        schema = rf.get("schema")  # Anyscale-style JSON mode: the schema becomes a grammar
        return Plan(kind, schema) if isinstance(schema, dict) else _json_object(task)
    return Plan("text")


def _vllm(request: dict[str, Any], task: Sequence[dict[str, Any]]) -> Plan:
    kind, rf = _response_format(request)
    extra = [key for key in rf if key != "type"]
    if kind not in ("text", "json_object") or extra:  # ResponseFormat: Literal type, extra="forbid"
        errors = [] if kind in ("text", "json_object") else [_literal_error(kind)]
        errors += [
            {"type": "extra_forbidden", "loc": ("body", "response_format", key),
             "msg": "Extra inputs are not permitted", "input": value}
            for key, value in rf.items() if key in extra
        ]  # fmt: skip
        return Plan(kind, error=_vllm_400(str(errors)))
    mode, name = _tool_choice(request)
    if mode == "required":
        return Plan("tools", error=_vllm_400('tool_choice = "required" is not supported!'))
    if mode == "named":
        tools = _tools(request)
        if name not in tools:
            text = "The tool specified in `tool_choice` does not match any of the specified `tools`"
            return Plan("tools", error=_vllm_400(f"Value error, {text}"))
        return Plan("tools", tool=ToolSpec(str(name), tools[str(name)]))
    guided = request.get("guided_json")
    if isinstance(guided, str):
        try:
            guided = json.loads(guided)
        except ValueError:
            guided = None
        if not isinstance(guided, dict):
            return Plan("guided_json", error=_vllm_400("guided_json is not a JSON schema (synthetic)"))
    if isinstance(guided, dict):
        return Plan("guided_json", guided)
    return _json_object(task) if kind == "json_object" else Plan("text")


def _ollama(request: dict[str, Any], task: Sequence[dict[str, Any]]) -> Plan:
    tools = _tools(request)
    if tools:  # tool_choice is not a field Ollama reads: the model decides; the fake calls the first
        name = next(iter(tools))
        return Plan("tools", tool=ToolSpec(name, tools[name]))
    kind, rf = _response_format(request)
    kind = kind.strip().lower()
    if kind == "json_object":  # becomes format "json"
        return _json_object(task)
    if kind == "json_schema":  # becomes format <json_schema.schema>; "strict" is not read
        spec = rf.get("json_schema")
        schema = spec.get("schema") if isinstance(spec, dict) else None
        return Plan(kind, schema if isinstance(schema, dict) else None)
    return Plan("text")  # any other type, and a top-level "format" field, are ignored


_PROFILES = {
    "openai": _openai,
    "llama-cpp-python": _llama_cpp_python,
    "vllm": _vllm,
    "ollama": _ollama,
}


def plan_request(request: dict[str, Any], quirks: str, task: Sequence[dict[str, Any]]) -> Plan:
    """What ``quirks``'s server does with ``request`` (``task``: the messages that set the task)."""
    return _PROFILES[check_quirks(quirks)](request, task)


def tool_message(quirks: str, name: str, arguments: str, digest: str) -> tuple[dict[str, Any], str]:
    """The assistant message carrying one call of ``name``, and the finish_reason that server sends."""
    key = hashlib.sha256(f"{digest}:{name}".encode()).hexdigest()
    function = {"name": name, "arguments": arguments}
    call: dict[str, Any]
    if quirks == "llama-cpp-python":  # content None, plus the deprecated function_call
        completion = f"cmpl-{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:32]}"
        call = {"id": f"call__0_{name}_{completion}", "type": "function", "function": function}
        message = {"role": "assistant", "content": None, "function_call": function, "tool_calls": [call]}
        return message, "tool_calls"
    if quirks == "vllm":  # named tool_choice: content "", and finish_reason stays "stop"
        call = {"id": f"chatcmpl-tool-{key[:32]}", "type": "function", "function": function}
        return {"role": "assistant", "content": "", "tool_calls": [call]}, "stop"
    if quirks == "ollama":  # content "", an index on each call
        call = {"id": f"call_{key[:8]}", "index": 0, "type": "function", "function": function}
        return {"role": "assistant", "content": "", "tool_calls": [call]}, "tool_calls"
    call = {"id": f"call_{key[:24]}", "type": "function", "function": function}
    message = {"role": "assistant", "content": None, "refusal": None, "annotations": [], "tool_calls": [call]}
    return message, "tool_calls"
