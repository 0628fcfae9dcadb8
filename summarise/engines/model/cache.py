"""Every model call is a record: an SQLite log that doubles as the response cache.

One row per HTTP call (like ``llm logs``): model, step, prompt name and
version, request JSON (messages and parameters, never headers, so never the
key), response JSON, tokens, cost, timing. Rows whose answer validated carry
``ok = 1`` and the final answer in ``result_json``; a later request with the
same key is answered from them with no call at all.

The key covers the model name, the messages as given (before any JSON-mode
schema note), the schema and the sampling parameters; not the endpoint nor the
structured-output mode, since those change how the answer is asked for, not
what it is. ``--no-cache`` (``use_cache=False``) neither reads nor writes.

The database uses WAL and a busy timeout, so several processes can share it;
inside one process a lock serialises use of the single connection, and async
callers reach it through :func:`asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise.errors import ConfigurationError

log = logging.getLogger(__name__)

DB_NAME = "calls.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    ok INTEGER NOT NULL DEFAULT 0,
    model TEXT NOT NULL,
    step TEXT,
    prompt_version TEXT,
    mode TEXT,
    request_json TEXT NOT NULL,
    response_json TEXT,
    result_json TEXT,
    finish_reason TEXT,
    error TEXT,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_key_ok ON calls (key, ok);
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS server_modes (
    server TEXT PRIMARY KEY,
    mode TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""


def canonical_json(value: Any) -> str:
    """JSON as the key hashes it: keys sorted, no spaces, text as it is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def cache_key(
    model: str, messages: list[dict[str, Any]], schema: dict[str, Any], params: dict[str, Any]
) -> str:
    """sha256 over a canonical JSON of everything that shapes the answer."""
    return key_of(model, canonical_json(messages), canonical_json(schema), params)


def key_of(model: str, messages_json: str, schema_json: str, params: dict[str, Any]) -> str:
    """:func:`cache_key` from the messages' and schema's :func:`canonical_json`, which the client
    dumps once per call (and the schema once per step type) and reuses for the request body."""
    blob = (
        f'{{"messages":{messages_json},"model":{canonical_json(model)},'
        f'"params":{canonical_json(params)},"schema":{schema_json}}}'
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def request_json(model: str, mode: str, messages_json: str, params: dict[str, Any]) -> str:
    """The request as the log keeps it (model, messages as sent, parameters, mode), from the
    messages' :func:`canonical_json`: the same JSON as dumping the whole request, keys sorted."""
    return (
        f'{{"messages":{messages_json},"mode":{canonical_json(mode)},'
        f'"model":{canonical_json(model)},"params":{canonical_json(params)}}}'
    )


@dataclass(frozen=True)
class CallRecord:
    """One row to write. ``result_json`` set (and ``ok``) only for an answer that validated."""

    key: str
    model: str
    step: str | None
    prompt_version: str | None
    mode: str | None
    request: dict[str, Any] | str  # str: already JSON (the client dumps the messages once a call)
    response: dict[str, Any] | None
    result_json: str | None = None
    finish_reason: str | None = None
    error: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    duration_ms: int = 0


def lease_owner() -> str:
    """A lease owner's name: ``host/pid/random``, so a lease left by a process that died is seen as such."""
    return f"{socket.gethostname()}/{os.getpid()}/{uuid.uuid4().hex}"


def owner_is_dead(owner: str) -> bool:
    """True when ``owner`` (from :func:`lease_owner`) ran on this host under a PID that is gone.

    A process killed while holding leases (SIGKILL, OOM) never releases them; its requests are
    asked again at once by whoever wants them, instead of after the lease expires. An owner on
    another host, or one not named by :func:`lease_owner`, is never judged dead: its lease expires.
    """
    host, _, rest = owner.partition("/")
    pid_text = rest.partition("/")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except OSError:  # exists, but belongs to someone else (EPERM)
        return False
    return False


class CallCache:
    """SQLite call log + cache in ``cache_dir/calls.sqlite3``."""

    def __init__(self, cache_dir: str | Path) -> None:
        self.path = Path(cache_dir).expanduser() / DB_NAME
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path, timeout=30.0, check_same_thread=False, isolation_level=None
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA busy_timeout=30000")
            self._conn.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigurationError(
                f"cannot use the cache at {self.path} ({exc}); choose another cache_dir setting or turn "
                "off the use_cache setting"
            ) from None

    def get(self, key: str) -> str | None:
        """The validated answer (JSON text) cached for ``key``, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT result_json FROM calls WHERE key = ? AND ok = 1 ORDER BY id DESC LIMIT 1", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def record(self, rec: CallRecord) -> None:
        created = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        values = (
            rec.key,
            1 if rec.result_json is not None else 0,
            rec.model,
            rec.step,
            rec.prompt_version,
            rec.mode,
            rec.request
            if isinstance(rec.request, str)
            else json.dumps(rec.request, ensure_ascii=False, sort_keys=True),
            None if rec.response is None else json.dumps(rec.response, ensure_ascii=False),
            rec.result_json,
            rec.finish_reason,
            rec.error,
            rec.input_tokens,
            rec.output_tokens,
            rec.cost_usd,
            rec.duration_ms,
            created,
        )
        with self._lock:
            self._conn.execute(
                "INSERT INTO calls (key, ok, model, step, prompt_version, mode, request_json, response_json,"
                " result_json, finish_reason, error, input_tokens, output_tokens, cost_usd, duration_ms,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    def take_lease(self, key: str, owner: str, seconds: float) -> bool:
        """True when ``owner`` may make the call for ``key``: no one else holds a live lease on it."""
        now = time.time()
        with self._lock:
            self._conn.execute("DELETE FROM leases WHERE key = ? AND expires_at < ?", (key, now))
            held = self._conn.execute("SELECT owner FROM leases WHERE key = ?", (key,)).fetchone()
            if held is not None and held[0] != owner and owner_is_dead(str(held[0])):
                log.info("taking over a lease left by a process that is gone (%s)", held[0])
                self._conn.execute("DELETE FROM leases WHERE key = ? AND owner = ?", (key, held[0]))
            self._conn.execute(
                "INSERT OR IGNORE INTO leases (key, owner, expires_at) VALUES (?, ?, ?)",
                (key, owner, now + seconds),
            )
            row = self._conn.execute("SELECT owner FROM leases WHERE key = ?", (key,)).fetchone()
        return row is not None and row[0] == owner

    def release_lease(self, key: str, owner: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM leases WHERE key = ? AND owner = ?", (key, owner))

    def server_mode(self, server: str) -> str | None:
        """The structured-output mode found to work for ``server`` (base URL and model), if any."""
        with self._lock:
            row = self._conn.execute("SELECT mode FROM server_modes WHERE server = ?", (server,)).fetchone()
        return None if row is None else str(row[0])

    def remember_server_mode(self, server: str, mode: str) -> None:
        updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._lock:
            self._conn.execute(
                "INSERT INTO server_modes (server, mode, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(server) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
                (server, mode, updated),
            )

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every row, oldest first, as dicts (for inspection and tests)."""
        with self._lock:
            cur = self._conn.execute("SELECT * FROM calls ORDER BY id")
            names = [d[0] for d in cur.description]
            fetched = cur.fetchall()
        for row in fetched:
            yield dict(zip(names, row, strict=True))

    def stats(self) -> dict[str, Any]:
        with self._lock:
            calls, ok, tin, tout, cost = self._conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(ok), 0), COALESCE(SUM(input_tokens), 0),"
                " COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost_usd), 0) FROM calls"
            ).fetchone()
        return {"calls": calls, "ok": ok, "input_tokens": tin, "output_tokens": tout, "cost_usd": cost}

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CallCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
