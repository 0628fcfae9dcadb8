"""The Batch API's JSONL: one request per line in, one answer (or error) per line out.

Pure functions, no I/O. A line's key is a hash of its request body, canonical JSON, so the same
request made twice (by two meetings, or by a process started again) is one line and is found again.
The API takes at most :data:`MAX_REQUESTS` lines and :data:`MAX_BYTES` per input file; a round
with more is split.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

CHAT_ENDPOINT: Final[Literal["/v1/chat/completions"]] = "/v1/chat/completions"
MAX_REQUESTS = 50_000  # lines per input file (the API's limit)
MAX_BYTES = 200 * 1024 * 1024  # bytes per input file (the API's limit)


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def line_key(body: dict[str, Any]) -> str:
    """sha256 of the request body (canonical JSON): the same request, the same key."""
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def custom_id(key: str) -> str:
    return f"req-{key[:40]}"


def request_line(key: str, body: dict[str, Any]) -> bytes:
    """One input line: ``{"custom_id", "method", "url", "body"}`` and a newline."""
    line = {"custom_id": custom_id(key), "method": "POST", "url": CHAT_ENDPOINT, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def split_lines(
    lines: Iterable[tuple[str, bytes]], max_requests: int = MAX_REQUESTS, max_bytes: int = MAX_BYTES
) -> Iterator[list[tuple[str, bytes]]]:
    """``(key, line)`` pairs in files of at most ``max_requests`` lines and ``max_bytes`` bytes.

    A single line larger than ``max_bytes`` goes alone in its own file (the API rejects it,
    and that rejection is reported for that request only).
    """
    group: list[tuple[str, bytes]] = []
    size = 0
    for key, line in lines:
        if group and (len(group) >= max_requests or size + len(line) > max_bytes):
            yield group
            group, size = [], 0
        group.append((key, line))
        size += len(line)
    if group:
        yield group


@dataclass(frozen=True)
class Outcome:
    """What the batch said about one request: an HTTP answer, or nothing (``status`` None)."""

    status: int | None
    body: dict[str, Any] | None
    code: str | None = None  # the line's error code when it has no answer (batch_expired ...)
    message: str = ""

    @property
    def answered(self) -> bool:
        return self.status is not None


def parse_results(text: str) -> dict[str, Outcome]:
    """Output or error file text -> ``custom_id: Outcome``. Malformed lines are skipped."""
    found: dict[str, Outcome] = {}
    for raw in text.splitlines():
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(line, dict) or not isinstance(line.get("custom_id"), str):
            continue
        response = line.get("response")
        error: dict[str, Any] = line["error"] if isinstance(line.get("error"), dict) else {}
        if isinstance(response, dict) and isinstance(response.get("status_code"), int):
            body = response.get("body")
            found[line["custom_id"]] = Outcome(
                response["status_code"], body if isinstance(body, dict) else {}
            )
        else:
            code = str(error.get("code") or "unanswered")
            found[line["custom_id"]] = Outcome(None, None, code, str(error.get("message") or ""))
    return found
