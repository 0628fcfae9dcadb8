"""The SQLite call log and cache: keys, rows, and concurrent writers."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from summarise.engines.model.cache import (
    DB_NAME,
    CallCache,
    CallRecord,
    cache_key,
    canonical_json,
    request_json,
)
from summarise.errors import ConfigurationError

MESSAGES: list[dict[str, Any]] = [{"role": "user", "content": "synthetic"}]
SCHEMA: dict[str, Any] = {"type": "object", "properties": {"a": {"type": "string"}}}
PARAMS: dict[str, Any] = {"temperature": 0.0, "seed": None, "max_output_tokens": 100}


def record(key: str, ok: bool = True, **kw: Any) -> CallRecord:
    values: dict[str, Any] = {
        "key": key,
        "model": "synthetic-model",
        "step": "synopsis",
        "prompt_version": "abc123",
        "mode": "json_schema",
        "request": {"messages": MESSAGES},
        "response": {"choices": [{"message": {"content": '{"a": "x"}'}}]},
        "result_json": '{"a": "x"}' if ok else None,
        "input_tokens": 10,
        "output_tokens": 5,
        "cost_usd": 0.001,
    }
    values.update(kw)
    return CallRecord(**values)


def test_key_is_canonical_and_sensitive() -> None:
    base = cache_key("m", MESSAGES, SCHEMA, PARAMS)
    assert len(base) == 64
    assert cache_key("m", MESSAGES, SCHEMA, dict(reversed(PARAMS.items()))) == base  # key order
    assert cache_key("m2", MESSAGES, SCHEMA, PARAMS) != base
    assert cache_key("m", [{"role": "user", "content": "other"}], SCHEMA, PARAMS) != base
    assert cache_key("m", MESSAGES, {**SCHEMA, "required": ["a"]}, PARAMS) != base
    assert cache_key("m", MESSAGES, SCHEMA, {**PARAMS, "seed": 1}) != base


def test_only_validated_answers_are_served(tmp_path: Path) -> None:
    with CallCache(tmp_path) as cache:
        assert cache.get("k") is None
        cache.record(record("k", ok=False, error="invalid"))
        assert cache.get("k") is None
        cache.record(record("k", ok=True))
        assert cache.get("k") == '{"a": "x"}'
        rows = list(cache.rows())
        assert [r["ok"] for r in rows] == [0, 1]
        row = rows[1]
        assert row["model"] == "synthetic-model" and row["prompt_version"] == "abc123"
        assert json.loads(row["request_json"]) == {"messages": MESSAGES}
        assert json.loads(row["response_json"])["choices"][0]["message"]["content"] == '{"a": "x"}'
        assert row["created_at"].endswith("+00:00")
        assert cache.stats() == {
            "calls": 2,
            "ok": 1,
            "input_tokens": 20,
            "output_tokens": 10,
            "cost_usd": 0.002,
        }


def test_database_uses_wal_and_survives_reopening(tmp_path: Path) -> None:
    with CallCache(tmp_path) as cache:
        cache.record(record("k"))
    conn = sqlite3.connect(tmp_path / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    with CallCache(tmp_path) as again:
        assert again.get("k") == '{"a": "x"}'


def test_threads_share_one_cache(tmp_path: Path) -> None:
    cache = CallCache(tmp_path)

    def write(n: int) -> None:
        for i in range(25):
            cache.record(record(f"t{n}-{i}"))
            assert cache.get(f"t{n}-{i}") is not None

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.stats()["calls"] == 200
    cache.close()


def test_processes_share_one_cache(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from summarise.engines.model.cache import CallCache, CallRecord\n"
        "cache = CallCache(sys.argv[1])\n"
        "for i in range(40):\n"
        "    cache.record(CallRecord(key=f'{sys.argv[2]}-{i}', model='m', step=None, prompt_version=None,\n"
        "        mode=None, request={}, response=None, result_json='{}'))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), f"p{n}"]) for n in range(4)]
    assert all(p.wait(timeout=60) == 0 for p in procs)
    with CallCache(tmp_path) as cache:
        assert cache.stats()["calls"] == 160
        assert all(cache.get(f"p{n}-39") == "{}" for n in range(4))


def test_an_unusable_cache_dir_is_a_configuration_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(ConfigurationError, match="cache_dir setting"):
        CallCache(blocker / "cache")


def test_the_key_from_json_dumped_once_is_the_key_of_the_whole_request() -> None:
    """Keys of caches written before the client dumped the messages once still match."""
    whole = json.dumps(
        {"model": "m", "messages": MESSAGES, "schema": SCHEMA, "params": PARAMS},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    assert cache_key("m", MESSAGES, SCHEMA, PARAMS) == hashlib.sha256(whole.encode()).hexdigest()
    logged = request_json("m", "json_schema", canonical_json(MESSAGES), PARAMS)
    assert json.loads(logged) == {"model": "m", "mode": "json_schema", "messages": MESSAGES, "params": PARAMS}
