"""Batch jobs kept in the call cache's SQLite database, so a run started again finds its batches.

A job is recorded *before* its batch is created (state ``intended``, with the keys of its lines),
then given its file and batch ids as they come back; the batch carries the job id in its
metadata, so a job whose process died between create and record is found again by listing
batches. Every transport registers its lease owner with a heartbeat; a transport that stopped
(its row gone, its process dead on this host, or its heartbeat stale) is taken over at start:
its leases are dropped and its jobs become ours, so a restart waits for nothing.

Without a cache (``use_cache=False``) the store lives in memory: nothing survives the process.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batch_jobs (
    job TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    server TEXT NOT NULL,
    state TEXT NOT NULL,            -- intended | submitted | done | abandoned
    remote TEXT,                    -- the batch's last status seen (validating, in_progress, ...)
    batch_id TEXT,
    input_file_id TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batch_lines (
    job TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,            -- waiting | answered | failed
    PRIMARY KEY (job, key)
);
CREATE INDEX IF NOT EXISTS batch_lines_key ON batch_lines (key);
CREATE TABLE IF NOT EXISTS batch_owners (
    owner TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    heartbeat REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL);
"""


@dataclass(frozen=True)
class Job:
    job: str
    state: str
    batch_id: str | None
    input_file_id: str | None
    created_at: float


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BatchStore:
    """The ``batch_*`` tables beside the call cache (its own connection; WAL lets both share)."""

    def __init__(self, path: Path | None) -> None:
        self._lock = threading.Lock()
        target = ":memory:" if path is None else str(path)
        self._conn = sqlite3.connect(target, timeout=30.0, check_same_thread=False, isolation_level=None)
        if path is not None:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.executescript(_SCHEMA)
        self.host = socket.gethostname()
        self._closed = False

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return self._conn.execute(sql, args).fetchall()

    # -- owners and their leases --------------------------------------------------------------

    def register(self, owner: str) -> None:
        self._run(
            "INSERT OR REPLACE INTO batch_owners (owner, host, pid, heartbeat) VALUES (?, ?, ?, ?)",
            (owner, self.host, os.getpid(), time.time()),
        )

    def heartbeat(self, owner: str, lease_seconds: float) -> None:
        """Still here: our leases stay ours however long a batch takes."""
        now = time.time()
        with self._lock:
            if self._closed:  # a beat still on its thread when the transport closed
                return
            self._conn.execute("UPDATE batch_owners SET heartbeat = ? WHERE owner = ?", (now, owner))
            self._conn.execute(
                "UPDATE leases SET expires_at = ? WHERE owner = ?", (now + lease_seconds, owner)
            )

    def retire(self, owner: str) -> None:
        """A transport closing: its jobs stay (a later run takes them over), its leases go."""
        with self._lock:
            self._conn.execute("DELETE FROM batch_owners WHERE owner = ?", (owner,))
            self._conn.execute("DELETE FROM leases WHERE owner = ?", (owner,))

    def take_over(self, owner: str, stale_after: float) -> int:
        """Jobs and leases of transports that stopped become ``owner``'s; how many jobs moved."""
        now = time.time()
        with self._lock:
            owners = self._conn.execute("SELECT owner, host, pid, heartbeat FROM batch_owners").fetchall()
            dead = [
                str(o)
                for o, host, pid, beat in owners
                if o != owner
                and (
                    (host == self.host and isinstance(pid, int) and not _alive(pid))
                    or float(str(beat)) < now - stale_after
                )
            ]
            live = {str(o) for o, *_ in owners} - set(dead)
            jobs = self._conn.execute(
                "SELECT DISTINCT owner FROM batch_jobs WHERE state IN ('intended', 'submitted', 'done')"
            ).fetchall()
            orphans = {str(o) for (o,) in jobs} - live - {owner}
            moved = 0
            for gone in set(dead) | orphans:
                self._conn.execute("DELETE FROM leases WHERE owner = ?", (gone,))
                self._conn.execute("DELETE FROM batch_owners WHERE owner = ?", (gone,))
                cur = self._conn.execute("UPDATE batch_jobs SET owner = ? WHERE owner = ?", (owner, gone))
                moved += cur.rowcount
        return moved

    # -- jobs ---------------------------------------------------------------------------------

    def intend(self, job: str, owner: str, server: str, keys: list[str]) -> None:
        """Recorded before the batch is created: a crash after create still finds it."""
        now = time.time()
        with self._lock:
            self._conn.execute("BEGIN")
            self._conn.execute(
                "INSERT INTO batch_jobs (job, owner, server, state, created_at, updated_at)"
                " VALUES (?, ?, ?, 'intended', ?, ?)",
                (job, owner, server, now, now),
            )
            self._conn.executemany(
                "INSERT OR IGNORE INTO batch_lines (job, key, state) VALUES (?, ?, 'waiting')",
                [(job, k) for k in keys],
            )
            self._conn.execute("COMMIT")

    def update(self, job: str, **values: str | None) -> None:
        """Set ``state``, ``remote``, ``batch_id`` or ``input_file_id`` of a job."""
        allowed = {"state", "remote", "batch_id", "input_file_id"}
        names = [n for n in values if n in allowed]
        sets = ", ".join(f"{n} = ?" for n in names)
        self._run(
            f"UPDATE batch_jobs SET {sets}, updated_at = ? WHERE job = ?",
            (*[values[n] for n in names], time.time(), job),
        )

    def settle(self, job: str, answered: list[str], failed: list[str]) -> None:
        """The batch is over: answered lines can be read again from its output; failed ones cannot."""
        with self._lock:
            self._conn.execute("BEGIN")
            self._conn.executemany(
                "UPDATE batch_lines SET state = 'answered' WHERE job = ? AND key = ?",
                [(job, k) for k in answered],
            )
            self._conn.executemany(
                "UPDATE batch_lines SET state = 'failed' WHERE job = ? AND key = ?",
                [(job, k) for k in failed],
            )
            self._conn.execute(
                "UPDATE batch_jobs SET state = 'done', updated_at = ? WHERE job = ?", (time.time(), job)
            )
            self._conn.execute("COMMIT")

    def index(self, owner: str, server: str) -> dict[str, Job]:
        """``key: job`` for every line ``owner``'s live jobs on ``server`` hold (the newest job wins)."""
        rows = self._run(
            "SELECT l.key, j.job, j.state, j.batch_id, j.input_file_id, j.created_at FROM batch_lines l"
            " JOIN batch_jobs j ON j.job = l.job WHERE j.owner = ? AND j.server = ?"
            " AND j.state IN ('intended', 'submitted', 'done') AND l.state IN ('waiting', 'answered')"
            " ORDER BY j.created_at",
            (owner, server),
        )
        found: dict[str, Job] = {}
        for key, job, state, batch_id, file_id, created in rows:
            found[str(key)] = Job(
                str(job),
                str(state),
                None if batch_id is None else str(batch_id),
                None if file_id is None else str(file_id),
                float(str(created)),
            )
        return found

    def jobs(self) -> list[tuple[str, str, str | None]]:
        """``(job, state, batch_id)`` of every job, oldest first (for tests and benchmarks)."""
        rows = self._run("SELECT job, state, batch_id FROM batch_jobs ORDER BY created_at")
        return [(str(j), str(s), None if b is None else str(b)) for j, s, b in rows]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._conn.close()
