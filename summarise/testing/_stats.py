"""What the fake server counts: stats snapshots and the requests it recorded."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from summarise.testing._reply import Reply
from summarise.text.tokens import chat_tokens


@dataclass(frozen=True)
class ServerStats:
    """What the server has served since it started (or since ``reset()``)."""

    calls: int = 0  # chat-completion requests received, faulted or not
    streamed: int = 0
    prompt_tokens: int = 0  # in 200 responses only
    completion_tokens: int = 0
    by_status: dict[str, int] = field(default_factory=dict)  # "0" means no response (dropped)
    by_fault: dict[str, int] = field(default_factory=dict)
    by_finish_reason: dict[str, int] = field(default_factory=dict)
    by_response_format: dict[str, int] = field(default_factory=dict)
    other_requests: dict[str, int] = field(default_factory=dict)  # "GET /v1/models": n

    def to_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "streamed": self.streamed,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "by_status": dict(self.by_status),
            "by_fault": dict(self.by_fault),
            "by_finish_reason": dict(self.by_finish_reason),
            "by_response_format": dict(self.by_response_format),
            "other_requests": dict(self.other_requests),
        }


@dataclass(frozen=True)
class RecordedRequest:
    """One chat call as the server saw it (for tests that check what a client sent)."""

    index: int
    received_at: float  # time.monotonic()
    body: Any  # parsed JSON, or None when the body was not JSON
    fault: str
    status: int  # 0 when the connection was dropped or reset
    stream: bool
    arrived_at: float | None = None  # time.monotonic() when its headers were read
    answered_at: float | None = None  # when its answer was written (None: not answered)

    def window_tokens(self) -> int:
        """Tokens the request asks the model's window to hold: its messages plus its output cap."""
        body = self.body if isinstance(self.body, dict) else {}
        cap = body.get("max_tokens") or body.get("max_completion_tokens") or 0
        messages = body.get("messages")
        return chat_tokens(messages if isinstance(messages, list) else []) + int(cap)


class _Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.calls = 0
        self.streamed = 0
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.by_status: Counter[str] = Counter()
        self.by_fault: Counter[str] = Counter()
        self.by_finish: Counter[str] = Counter()
        self.by_format: Counter[str] = Counter()
        self.other: Counter[str] = Counter()
        self.requests: list[RecordedRequest] = []
        self.answered: dict[int, float] = {}

    def snapshot(self) -> ServerStats:
        return ServerStats(
            calls=self.calls,
            streamed=self.streamed,
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            by_status=dict(self.by_status),
            by_fault=dict(self.by_fault),
            by_finish_reason=dict(self.by_finish),
            by_response_format=dict(self.by_format),
            other_requests=dict(self.other),
        )

    def record(self, raw: bytes, reply: Reply, arrived_at: float | None = None) -> int:
        """Count one chat call and keep its (parsed) body; its index among the recorded requests."""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self.lock:
            self.calls += 1
            self.by_status[str(reply.status)] += 1
            self.by_fault[reply.fault] += 1
            if reply.status == 200:
                self.streamed += int(reply.stream)
                self.prompt_tokens += reply.prompt_tokens
                self.completion_tokens += reply.completion_tokens
                if reply.finish_reason:
                    self.by_finish[reply.finish_reason] += 1
                self.by_format[reply.response_format] += 1
            stream = isinstance(body, dict) and bool(body.get("stream"))
            index = len(self.requests)
            self.requests.append(
                RecordedRequest(index, time.monotonic(), body, reply.fault, reply.status, stream, arrived_at)
            )
            return index

    def answered_now(self, index: int) -> None:
        with self.lock:
            if index < len(self.requests):  # not reset meanwhile
                self.answered[index] = time.monotonic()

    def recorded(self) -> list[RecordedRequest]:
        """The requests, each with the time its answer went out (call with the lock held)."""
        return [
            replace(r, answered_at=self.answered[r.index]) if r.index in self.answered else r
            for r in self.requests
        ]
