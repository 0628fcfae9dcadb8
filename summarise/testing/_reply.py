"""Turn one chat-completions request (and the fault it drew) into a reply.

Pure: no sockets, no sleeping. The HTTP layer in ``_server`` sends what this
builds. Content depends only on the request's task (not on the server's fault
seed, nor on re-asks, streaming or the output budget), so a
retried call after a fault gets the same answer as a clean one.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from summarise.testing._faults import OK
from summarise.testing._fill import SchemaFiller
from summarise.testing._prefix import PrefixCache
from summarise.testing._quirks import DEFAULT_QUIRKS, NO_STREAMED_TOOLS, Plan, plan_request, tool_message
from summarise.testing._source import find_source, message_text
from summarise.text.tokens import count_tokens, encoding_for

REFUSAL_TEXT = "I'm sorry, but I can't help with that request."
JSON_SCHEMA_UNSUPPORTED: dict[str, Any] = {
    "error": {
        "message": "response_format json_schema is not supported",
        "type": "invalid_request_error",
        "param": "response_format",
        "code": None,
    }
}
_EPOCH_2026 = 1_767_225_600
_PIECE = re.compile(r"\s*\S+\s*")


@dataclass(frozen=True)
class Settings:
    """What the reply depends on besides the request (a snapshot of server settings)."""

    json_schema_supported: bool = True
    retry_after: float = 1.0
    timeout_seconds: float = 30.0
    latency: float = 0.0
    tokens_per_second: float | None = None
    system_fingerprint: str = "fp_summarise_fake"
    words_per_chunk: int = 3
    quirks: str = DEFAULT_QUIRKS  # which real server's structured-output behaviour to copy


@dataclass
class Reply:
    status: int
    fault: str
    action: Literal["respond", "drop", "reset"] = "respond"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    events: list[bytes] = field(default_factory=list)  # SSE events when streaming
    event_tokens: list[int] = field(default_factory=list)  # completion tokens in each event
    delay: float = 0.0  # seconds to wait before the status line
    stream: bool = False
    prompt_tokens: int = 0
    completion_tokens: int = 0
    finish_reason: str | None = None
    response_format: str = "text"
    model: str | None = None


def error_reply(status: int, message: str, kind: str, fault: str, **extra: Any) -> Reply:
    error: dict[str, Any] = {"message": message, "type": kind, "param": None, "code": None, **extra}
    return json_reply(status, {"error": error}, fault)


def json_reply(status: int, payload: Any, fault: str = OK) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return Reply(status=status, fault=fault, headers={"Content-Type": "application/json"}, body=body)


def task_messages(messages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The messages that set the task: everything up to and including the first user message.

    A re-ask appends the bad answer and the validation error after these, so it
    gets the answer a clean first call would have got; that is what lets a run
    with faults end with the same output as a clean run.
    """
    for i, message in enumerate(messages):
        if message.get("role") == "user":
            return list(messages[: i + 1])
    return list(messages)


def _digest(body: dict[str, Any]) -> str:
    """Seed for the answer: the model and the task's user message.

    Not transport options (stream, output budget), re-asks, nor how the schema
    travels (``json_schema`` or in a JSON-mode system message): a client that
    falls back, retries or re-asks gets the answer a clean first call would get.
    """
    users = [m for m in task_messages(body["messages"]) if m.get("role") == "user"]
    content = {"model": body.get("model"), "user": users[0].get("content") if users else None}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def prompt_tokens(
    messages: Sequence[dict[str, Any]],
    model: str,
    request: dict[str, Any],
    sizes: Sequence[int] | None = None,
) -> int:
    """Tokens in the messages, with OpenAI's per-message overhead, plus any schema or tools sent.
    ``sizes``: each message's tokens, when already counted."""
    if sizes is None:
        sizes = [count_tokens(message_text(m), model) for m in messages]
    total = 3 + sum(4 + n for n in sizes)
    response_format = request.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        total += count_tokens(json.dumps(response_format.get("json_schema", {})), model)
    if request.get("tools"):
        total += count_tokens(json.dumps(request["tools"]), model)
    return total


def _encoded(messages: Sequence[dict[str, Any]], model: str) -> list[list[int]]:
    """Each message's tokens, encoded once for both the count and the prompt cache."""
    encoding = encoding_for(model)
    return [encoding.encode(message_text(m), disallowed_special=()) for m in messages]


def _cached(
    prefixes: PrefixCache | None,
    messages: Sequence[dict[str, Any]],
    model: str,
    encoded: Sequence[Sequence[int]],
) -> int:
    """Prompt tokens served from the server's prompt cache (the messages in order, each after its
    role, as tokens)."""
    if prefixes is None:
        return 0
    encoding = encoding_for(model)
    ids: list[int] = []
    for message, tokens in zip(messages, encoded, strict=True):
        ids += encoding.encode(f"<|{message.get('role')}|>", disallowed_special=())
        ids += tokens
    return prefixes.cached_tokens(ids)


def cut_to_tokens(text: str, limit: int, model: str) -> str:
    """The longest prefix of whole words that fits ``limit`` tokens."""
    out: list[str] = []
    used = 0
    for piece in _PIECE.findall(text):
        cost = count_tokens(piece, model)
        if used + cost > limit:
            break
        out.append(piece)
        used += cost
    return "".join(out).rstrip()


def _malformed(content: str) -> str:
    cut = content[: max(1, (len(content) * 2) // 3)].rstrip()
    try:
        json.loads(cut)
    except ValueError:
        return cut
    return cut + ' {"'  # a short payload can survive the cut: make sure it does not parse


def _break_schema(value: Any, schema: dict[str, Any], rng: random.Random) -> Any:
    """Parseable JSON that the schema rejects: a required field missing, else a wrong type."""
    if not isinstance(value, dict):
        return {"unexpected": True}
    required = [r for r in schema.get("required", []) if r in value]
    broken = dict(value)
    if required:
        del broken[rng.choice(required)]
    elif broken:
        key = next(iter(broken))
        broken[key] = 12345 if isinstance(broken[key], str) else "not the right type"
    else:
        return []  # an array where an object is wanted
    return broken


def _invalid(message: str) -> Reply:
    return error_reply(400, message, "invalid_request_error", OK)


def _error_fault(fault: str, settings: Settings) -> Reply | None:
    """The reply for a fault that replaces the answer (HTTP errors, dropped connections)."""
    if fault == "429":
        reply = error_reply(
            429,
            "Rate limit reached for requests (synthetic). Please try again later.",
            "requests",
            fault,
            code="rate_limit_exceeded",
        )
        seconds = settings.retry_after
        reply.headers["Retry-After"] = str(int(seconds)) if float(seconds).is_integer() else str(seconds)
        reply.headers["x-ratelimit-remaining-requests"] = "0"
        return reply
    if fault == "500":
        text = "The server had an error while processing your request (synthetic)."
        return error_reply(500, text, "server_error", fault)
    if fault == "503":
        text = "The engine is currently overloaded, please try again later (synthetic)."
        return error_reply(503, text, "server_error", fault)
    if fault == "502":  # proxies answer in HTML
        body = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"
        return Reply(status=502, fault=fault, headers={"Content-Type": "text/html"}, body=body)
    if fault == "drop":
        return Reply(status=0, fault=fault, action="drop")
    if fault == "reset":
        return Reply(status=0, fault=fault, action="reset")
    return None


def build_reply(raw: bytes, fault: str, settings: Settings, prefixes: PrefixCache | None = None) -> Reply:
    """The reply to one POST /v1/chat/completions (``prefixes``: the server's prompt cache)."""
    try:
        request = json.loads(raw or b"null")
    except ValueError:
        return _invalid("request body is not valid JSON")
    if not isinstance(request, dict):
        return _invalid("request body must be a JSON object")
    messages = request.get("messages")
    model = request.get("model")
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        return _invalid("'messages' must be a non-empty list of objects")
    if not isinstance(model, str) or not model:
        return _invalid("you must provide a model parameter")
    plan = plan_request(request, settings.quirks, task_messages(messages))
    if plan.error is not None:  # this server refuses the request (e.g. a response_format it lacks)
        reply = json_reply(*plan.error)
        reply.response_format = plan.kind
        return reply
    if plan.kind == "json_schema" and (fault == "400" or not settings.json_schema_supported):
        reply = json_reply(400, JSON_SCHEMA_UNSUPPORTED, "400" if fault == "400" else OK)
        reply.response_format = plan.kind
        return reply
    if fault == "400":
        fault = OK  # the fault is about json_schema; other requests are unaffected
    failed = _error_fault(fault, settings)
    if failed is not None:
        return failed
    if plan.tool is not None and request.get("stream"):
        return _invalid(NO_STREAMED_TOOLS)
    return _answer(request, messages, model, plan, fault, settings, prefixes)


def _answer(
    request: dict[str, Any],
    messages: list[dict[str, Any]],
    model: str,
    plan: Plan,
    fault: str,
    settings: Settings,
    prefixes: PrefixCache | None = None,
) -> Reply:
    """A 200: content for the schema, tool or text, then any content fault, then the envelope."""
    digest = _digest(request)
    rng = random.Random(int(digest[:16], 16))
    source = find_source(task_messages(messages))
    schema = plan.tool.parameters if plan.tool is not None else plan.schema
    filler = SchemaFiller(schema if schema is not None else {}, source, rng)
    if schema is None:
        content = " ".join(filler.sentences(rng.randint(3, 5)))
    else:
        value = filler.fill()
        if fault == "schema_invalid":
            value = _break_schema(value, filler.resolve(schema), rng)
        content = json.dumps(value, ensure_ascii=False)

    finish_reason = "stop"
    refusal: str | None = None
    if fault == "malformed":
        content = _malformed(content)
    elif fault == "truncate":
        content = cut_to_tokens(content, max(1, count_tokens(content, model) // 2), model)
        finish_reason = "length"
    elif fault == "refusal":
        refusal = REFUSAL_TEXT
    limit = request.get("max_completion_tokens") or request.get("max_tokens")
    if refusal is None and isinstance(limit, int) and limit > 0 and count_tokens(content, model) > limit:
        content = cut_to_tokens(content, limit, model)
        finish_reason = "length"

    message: dict[str, Any] = {
        "role": "assistant",
        "content": None if refusal else content,
        "refusal": refusal,
        "annotations": [],
    }
    if plan.tool is not None and refusal is None:  # the arguments travel in a tool call
        message, tool_finish = tool_message(settings.quirks, plan.tool.name, content, digest)
        finish_reason = tool_finish if finish_reason == "stop" else finish_reason
    completion_tokens = count_tokens(refusal if refusal is not None else content, model)
    encoded = _encoded(messages, model)
    reply = Reply(
        status=200,
        fault=fault,
        prompt_tokens=prompt_tokens(messages, model, request, [len(t) for t in encoded]),
        completion_tokens=completion_tokens,
        finish_reason=finish_reason,
        response_format=plan.kind,
        model=model,
        stream=bool(request.get("stream")),
        delay=settings.timeout_seconds if fault == "timeout" else 0.0,
    )
    reply.headers["x-request-id"] = f"req_{digest[:24]}"
    head: dict[str, Any] = {
        "id": f"chatcmpl-{digest[:29]}",
        "created": _EPOCH_2026 + int(digest[16:24], 16) % 31_536_000,
        "model": model,
        "system_fingerprint": settings.system_fingerprint,
        "service_tier": "default",
    }
    usage: dict[str, Any] = {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": reply.prompt_tokens + completion_tokens,
        "prompt_tokens_details": {
            "cached_tokens": _cached(prefixes, messages, model, encoded),
            "audio_tokens": 0,
        },
        "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
    }
    if reply.stream:
        options = request.get("stream_options")
        include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
        _stream_events(reply, head, content, refusal, usage if include_usage else None, settings)
        return reply
    payload = {
        **head,
        "object": "chat.completion",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}],
        "usage": usage,
    }
    reply.headers["Content-Type"] = "application/json"
    reply.body = json.dumps(payload, ensure_ascii=False).encode()
    return reply


def _sse(payload: Any) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"


def _stream_events(
    reply: Reply,
    head: dict[str, Any],
    content: str,
    refusal: str | None,
    usage: dict[str, Any] | None,
    settings: Settings,
) -> None:
    """SSE chunks as OpenAI sends them: role, pieces, finish, usage (if asked), [DONE]."""
    reply.headers["Content-Type"] = "text/event-stream; charset=utf-8"
    reply.headers["Cache-Control"] = "no-cache"
    model = str(head["model"])

    def event(delta: dict[str, Any], finish: str | None = None, tokens: int = 0) -> None:
        chunk: dict[str, Any] = {
            **head,
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if usage is not None:
            chunk["usage"] = None
        reply.events.append(_sse(chunk))
        reply.event_tokens.append(tokens)

    event({"role": "assistant", "content": "" if refusal is None else None, "refusal": None})
    text = refusal if refusal is not None else content
    key = "refusal" if refusal is not None else "content"
    pieces = _PIECE.findall(text)
    step = max(1, settings.words_per_chunk)
    for i in range(0, len(pieces), step):
        piece = "".join(pieces[i : i + step])
        event({key: piece}, tokens=count_tokens(piece, model))
    event({}, reply.finish_reason)
    if usage is not None:
        reply.events.append(_sse({**head, "object": "chat.completion.chunk", "choices": [], "usage": usage}))
        reply.event_tokens.append(0)
    reply.events.append(b"data: [DONE]\n\n")
    reply.event_tokens.append(0)
