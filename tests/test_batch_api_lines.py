"""The Batch API's JSONL lines, splitting at the per-file limits, and the job store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from summarise.engines.model.batch_lines import (
    CHAT_ENDPOINT,
    custom_id,
    line_key,
    parse_results,
    request_line,
    split_lines,
)
from summarise.engines.model.batch_store import BatchStore


def test_a_request_line_carries_the_body_under_an_id_that_is_the_same_for_the_same_request() -> None:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "é"}], "max_tokens": 10}
    same = {"max_tokens": 10, "messages": [{"content": "é", "role": "user"}], "model": "gpt-4o-mini"}
    assert line_key(body) == line_key(same)
    assert line_key(body) != line_key({**body, "max_tokens": 11})
    line = json.loads(request_line(line_key(body), body))
    assert line == {
        "custom_id": custom_id(line_key(body)),
        "method": "POST",
        "url": CHAT_ENDPOINT,
        "body": body,
    }
    assert request_line(line_key(body), body).endswith(b"\n")


def test_a_round_is_split_at_the_request_and_byte_limits() -> None:
    lines = [(str(i), b"x" * 10) for i in range(7)]
    assert [len(g) for g in split_lines(lines, max_requests=3, max_bytes=1000)] == [3, 3, 1]
    assert [len(g) for g in split_lines(lines, max_requests=100, max_bytes=25)] == [2, 2, 2, 1]
    assert [len(g) for g in split_lines([("big", b"x" * 50), *lines[:1]], 100, 25)] == [1, 1]
    assert [k for g in split_lines(lines, 3, 1000) for k, _ in g] == [str(i) for i in range(7)]


def test_output_and_error_lines_are_read_by_custom_id() -> None:
    text = "\n".join(
        [
            json.dumps(
                {"custom_id": "a", "response": {"status_code": 200, "body": {"id": "x"}}, "error": None}
            ),
            json.dumps(
                {"custom_id": "b", "response": {"status_code": 500, "body": {"error": {}}}, "error": None}
            ),
            json.dumps(
                {"custom_id": "c", "response": None, "error": {"code": "batch_expired", "message": "m"}}
            ),
            "not json",
            "",
        ]
    )
    found = parse_results(text)
    assert found["a"].status == 200 and found["a"].body == {"id": "x"}
    assert found["b"].status == 500 and found["b"].answered
    assert not found["c"].answered and found["c"].code == "batch_expired"
    assert set(found) == {"a", "b", "c"}


def test_the_store_indexes_live_jobs_and_forgets_failed_lines(tmp_path: Path) -> None:
    store = BatchStore(tmp_path / "db.sqlite3")
    store.register("me")
    store.intend("job1", "me", "server", ["k1", "k2"])
    store.update("job1", state="submitted", batch_id="batch_1")
    assert {k: j.batch_id for k, j in store.index("me", "server").items()} == {
        "k1": "batch_1",
        "k2": "batch_1",
    }
    assert store.index("me", "another server") == {}
    store.settle("job1", answered=["k1"], failed=["k2"])
    assert set(store.index("me", "server")) == {"k1"}  # an answered line can be read again
    store.close()


def test_jobs_and_leases_of_a_dead_transport_are_taken_over_at_once(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(gone.stdout)
    store = BatchStore(path)
    store.intend("old-job", "dead", "server", ["k1"])
    store.intend("live-job", "alive", "server", ["k2"])
    with store._lock:  # a transport on this host whose process has exited, and one still running
        store._conn.execute("INSERT INTO batch_owners VALUES ('dead', ?, ?, 1e12)", (store.host, dead_pid))
        store._conn.execute(
            "INSERT INTO batch_owners VALUES ('alive', ?, ?, 1e12)", (store.host, os.getpid())
        )
        store._conn.execute("INSERT INTO leases VALUES ('k1', 'dead', 1e12), ('k2', 'alive', 1e12)")
    store.register("me")
    assert store.take_over("me", stale_after=60.0) == 1
    assert set(store.index("me", "server")) == {"k1"}
    with store._lock:
        leases = store._conn.execute("SELECT key, owner FROM leases").fetchall()
    assert leases == [("k2", "alive")]
    store.retire("me")  # closing: the jobs stay for the next run, the leases go
    store.register("next")
    assert store.take_over("next", stale_after=60.0) == 1
    store.close()
