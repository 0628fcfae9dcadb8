"""The fake server's Files and Batches APIs: ``/v1/files`` and ``/v1/batches``, as OpenAI's.

Files: upload (multipart, any purpose), retrieve, content download. Batches: create (from an
uploaded JSONL file of ``/v1/chat/completions`` lines), retrieve, list (newest first, ``after``
and ``limit``), cancel. Each line is answered as the chat endpoint would answer it; the batch
finishes ``delay`` seconds after it was created (worked out when it is next looked at).

What a batch does is its *plan*, taken from ``script`` when a batch is created (else
``default_plan``):

- ``ok``: every line answered (output file).
- ``fail:F``: a fraction F of lines answered with an HTTP 500 line (error file), the rest as ok.
- ``expire:F``: the batch ends ``expired`` with a fraction F of lines never done (error file
  lines with code ``batch_expired``).
- ``cancel``: the batch ends ``cancelled`` with nothing done.
- ``failed``: the batch fails validation (``failed``, no files).

Which lines fail is a hash of the line and the batch, so a retried line can succeed.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.parser import BytesParser
from typing import Any, Protocol
from urllib.parse import parse_qs

from summarise.testing._faults import OK
from summarise.testing._prefix import PrefixCache
from summarise.testing._reply import Reply, Settings, build_reply, error_reply, json_reply

PLANS = ("ok", "fail", "expire", "cancel", "failed")


def parse_plan(plan: str) -> tuple[str, float]:
    kind, _, fraction = plan.partition(":")
    if kind not in PLANS:
        raise ValueError(f"unknown batch plan {plan!r}; use one of {', '.join(PLANS)}")
    share = float(fraction) if fraction else (1.0 if kind in ("cancel", "failed") else 0.0)
    if not 0.0 <= share <= 1.0:
        raise ValueError(f"batch plan {plan!r}: the fraction must be between 0 and 1")
    return kind, share


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """``name: (filename, bytes)`` of a multipart/form-data body."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser().parsebytes(head + body)
    parts: dict[str, tuple[str | None, bytes]] = {}
    if not message.is_multipart():
        return parts
    for part in message.get_payload():
        if isinstance(part, str):
            continue
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(data, bytes):
            parts[name] = (part.get_filename(), data)
    return parts


class _Owner(Protocol):
    """What a batch needs of its server: how it answers a chat request, and its counters."""

    settings: Settings
    prefixes: PrefixCache

    def _record(self, raw: bytes, reply: Reply, arrived_at: float | None = None) -> int: ...


@dataclass
class _Batch:
    id: str
    input_file_id: str
    metadata: dict[str, Any]
    plan: str
    created_at: int
    created: float  # time.time() at create: the batch ends ``delay`` seconds later
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    counts: dict[str, int] = field(default_factory=lambda: {"total": 0, "completed": 0, "failed": 0})
    ended_at: int | None = None

    def to_dict(self) -> dict[str, Any]:
        ended = {f"{self.status}_at": self.ended_at} if self.ended_at else {}
        return {
            "id": self.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "errors": None,
            "input_file_id": self.input_file_id,
            "completion_window": "24h",
            "status": self.status,
            "output_file_id": self.output_file_id,
            "error_file_id": self.error_file_id,
            "created_at": self.created_at,
            "expires_at": self.created_at + 86_400,
            "request_counts": dict(self.counts),
            "metadata": self.metadata,
            **ended,
        }


class BatchAPI:
    """Files and batches held in memory by one :class:`FakeOpenAIServer`."""

    def __init__(self, owner: _Owner) -> None:
        self._owner = owner
        self._lock = threading.Lock()
        self.delay = 0.0  # seconds from create to the batch's end (read when a batch is looked at)
        self.default_plan = "ok"
        self._script: list[str] = []
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.batches: dict[str, _Batch] = {}
        self.lines_by_custom_id: Counter[str] = Counter()  # lines received over every batch

    @property
    def script(self) -> list[str]:
        return list(self._script)

    @script.setter
    def script(self, plans: Iterable[str]) -> None:
        plans = list(plans)
        for plan in plans:
            parse_plan(plan)
        self._script = plans

    # -- HTTP -----------------------------------------------------------------------------------

    def handles(self, path: str) -> bool:
        return path.startswith(("/v1/files", "/v1/batches"))

    def get(self, path: str, query: str) -> Reply:
        parts = path.strip("/").split("/")  # v1 files|batches [id] [content]
        with self._lock:
            if parts[1] == "files" and len(parts) == 4 and parts[3] == "content" and parts[2] in self.files:
                return Reply(
                    status=200,
                    fault=OK,
                    headers={"Content-Type": "application/octet-stream"},
                    body=self.files[parts[2]][1],
                )
            if parts[1] == "files" and len(parts) == 3 and parts[2] in self.files:
                return json_reply(200, self.files[parts[2]][0])
            if parts[1] == "batches" and len(parts) == 3 and parts[2] in self.batches:
                return json_reply(200, self._advance(self.batches[parts[2]]).to_dict())
            if parts[1] == "batches" and len(parts) == 2:
                return json_reply(200, self._list(parse_qs(query)))
        return error_reply(404, f"No such object: {path}", "invalid_request_error", OK)

    def post(self, path: str, body: bytes, content_type: str) -> Reply:
        parts = path.strip("/").split("/")
        with self._lock:
            if parts[1] == "files" and len(parts) == 2:
                return self._upload(_multipart(content_type, body))
            if parts[1] == "batches" and len(parts) == 2:
                return self._create(json.loads(body or b"{}"))
            if (
                parts[1] == "batches"
                and len(parts) == 4
                and parts[3] == "cancel"
                and parts[2] in self.batches
            ):
                batch = self.batches[parts[2]]
                if batch.status in ("validating", "in_progress"):
                    self._finish(batch, "cancel", 1.0)
                return json_reply(200, batch.to_dict())
        return error_reply(404, f"No such object: {path}", "invalid_request_error", OK)

    # -- the work -------------------------------------------------------------------------------

    def _new_file(self, name: str, purpose: str, data: bytes) -> str:
        file_id = f"file-{len(self.files) + 1:06d}"
        card = {
            "id": file_id,
            "object": "file",
            "bytes": len(data),
            "created_at": int(time.time()),
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }
        self.files[file_id] = (card, data)
        return file_id

    def _upload(self, form: dict[str, tuple[str | None, bytes]]) -> Reply:
        if "file" not in form:
            return error_reply(400, "missing 'file'", "invalid_request_error", OK)
        purpose = form.get("purpose", (None, b"batch"))[1].decode()
        name = form["file"][0] or "upload.jsonl"
        return json_reply(200, self.files[self._new_file(name, purpose, form["file"][1])][0])

    def _create(self, request: dict[str, Any]) -> Reply:
        file_id = request.get("input_file_id")
        if file_id not in self.files:
            return error_reply(400, f"No file with id {file_id!r}", "invalid_request_error", OK)
        if request.get("endpoint") != "/v1/chat/completions" or request.get("completion_window") != "24h":
            return error_reply(400, "unsupported endpoint or completion_window", "invalid_request_error", OK)
        plan = self._script.pop(0) if self._script else self.default_plan
        now = time.time()
        batch = _Batch(
            id=f"batch_{len(self.batches) + 1:06d}",
            input_file_id=str(file_id),
            metadata=dict(request.get("metadata") or {}),
            plan=plan,
            created_at=int(now),
            created=now,
        )
        for raw in self.files[str(file_id)][1].splitlines():
            if raw.strip():
                self.lines_by_custom_id[str(json.loads(raw).get("custom_id"))] += 1
                batch.counts["total"] += 1
        self.batches[batch.id] = batch
        return json_reply(200, batch.to_dict())

    def _list(self, query: dict[str, list[str]]) -> dict[str, Any]:
        newest = sorted(self.batches.values(), key=lambda b: b.id, reverse=True)
        after = query.get("after", [None])[0]
        if after is not None:
            ids = [b.id for b in newest]
            newest = newest[ids.index(after) + 1 :] if after in ids else []
        limit = int(query.get("limit", ["20"])[0])
        page = [self._advance(b).to_dict() for b in newest[:limit]]
        return {
            "object": "list",
            "data": page,
            "first_id": page[0]["id"] if page else None,
            "last_id": page[-1]["id"] if page else None,
            "has_more": len(newest) > limit,
        }

    def _advance(self, batch: _Batch) -> _Batch:
        if batch.status in ("validating", "in_progress"):
            if time.time() >= batch.created + self.delay:
                kind, share = parse_plan(batch.plan)
                self._finish(batch, kind, share)
            else:
                batch.status = "in_progress"
        return batch

    def _finish(self, batch: _Batch, kind: str, share: float) -> None:
        batch.ended_at = int(time.time())
        if kind == "failed":
            batch.status = "failed"
            return
        out: list[bytes] = []
        errors: list[bytes] = []
        for raw in self.files[batch.input_file_id][1].splitlines():
            if not raw.strip():
                continue
            line = json.loads(raw)
            cid = line.get("custom_id")
            chosen = (
                int(hashlib.sha256(f"{batch.id} {cid}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share
            )
            if kind == "cancel" or (kind == "expire" and chosen):
                code = "batch_cancelled" if kind == "cancel" else "batch_expired"
                error = {"code": code, "message": f"This request could not be executed ({code})."}
                errors.append(self._line(cid, None, error))
                batch.counts["failed"] += 1
                continue
            body = json.dumps(line.get("body") or {}).encode()
            reply = build_reply(body, OK, self._owner.settings, self._owner.prefixes)
            self._owner._record(body, reply)
            status, payload = reply.status, json.loads(reply.body or b"{}")
            if kind == "fail" and chosen:
                status, payload = (
                    500,
                    {"error": {"message": "The server had an error (synthetic).", "type": "server_error"}},
                )
            response = {"status_code": status, "request_id": f"req_{cid}", "body": payload}
            (out if status == 200 else errors).append(self._line(cid, response, None))
            batch.counts["completed" if status == 200 else "failed"] += 1
        batch.status = {"cancel": "cancelled", "expire": "expired"}.get(kind, "completed")
        if out:
            batch.output_file_id = self._new_file(f"{batch.id}_output.jsonl", "batch_output", b"".join(out))
        if errors:
            batch.error_file_id = self._new_file(f"{batch.id}_error.jsonl", "batch_output", b"".join(errors))

    def _line(self, cid: Any, response: dict[str, Any] | None, error: dict[str, Any] | None) -> bytes:
        line = {"id": f"batch_req_{cid}", "custom_id": cid, "response": response, "error": error}
        return (json.dumps(line, ensure_ascii=False) + "\n").encode()
