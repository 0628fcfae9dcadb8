"""``python -m bench --quick`` (the benchmark suite's smoke run): every row present with sane values.

Not timed: the machine running it may be shared. LangChain is installed only for the bench
(bench/requirements.txt), so its rows may say "not installed"; the suite must not fail for that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # bench/ is a folder of the checkout, not of the package

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| row " in done.stdout  # the table was printed
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def rows(result: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
    found = [r for r in result["rows"] if r["name"].startswith(prefix)]
    assert found, f"no row starting {prefix!r}"
    return found


def test_summarise_rows_count_calls_tokens_time_and_coverage(quick: dict[str, Any]) -> None:
    assert quick["source_tokens"] > 1000
    for window in ("128k", "8k"):
        (row,) = rows(quick, f"summarise model, {window}")
        assert row["status"] == "ok"
        assert row["calls"] >= 5  # four items with papers, a synopsis, maybe a glossary
        assert 0.8 < row["input_per_source"] < 5
        assert row["output_tokens"] > 0
        assert row["critical_path_s"] >= 2 * quick["latency_s"]  # item -> synopsis (glossary beside it)
        assert row["wall_per_critical"] > 0.9  # no run beats its own chain of dependent calls
        assert row["coverage"] == "7/7"  # every agenda item of the sample pack in the output
        assert isinstance(row["met"], bool)


def test_peer_rows_are_measured_or_marked_not_installed(quick: dict[str, Any]) -> None:
    for kind in ("map_reduce", "refine"):
        for row in rows(quick, f"LangChain {kind}"):
            assert row["status"] in ("ok", "not installed"), row["status"]
            if row["status"] == "ok":
                assert row["calls"] >= 1
                assert row["input_per_source"] > 0.8  # every page read
    for row in rows(quick, '"stuff" baseline'):
        assert row["status"] == "ok"
        assert row["calls"] == 1
        assert 0 < row["input_per_source"] < 2


def test_local_rows(quick: dict[str, Any]) -> None:
    for name in ("cold ingest", "warm re-run"):
        (row,) = rows(quick, name)
        assert row["status"] == "ok" or row["status"].startswith("skipped: pdftotext absent")
        assert row["wall_s"] > 0
    (warm,) = rows(quick, "warm re-run")
    assert warm["calls"] == 0  # every call answered from the cache
    (overhead,) = rows(quick, "library overhead per model call")
    assert overhead["calls"] >= 4  # the extra calls of the finely cut run, whose CPU is divided by them
    assert 0 < overhead["value"] < 1000 and overhead["unit"] == "ms CPU"
    (verify,) = rows(quick, "verification CPU")
    assert 0 <= verify["value"] < 30


def test_scale_rows_pay_each_distinct_request(quick: dict[str, Any]) -> None:
    paid, speed, memory = rows(quick, "4 meetings")
    assert paid["extra"]["failed"] == 0
    assert paid["value"] >= 1.0  # paid calls can never be fewer than distinct requests
    assert paid["extra"]["distinct_requests"] >= 5
    assert speed["value"] > 0
    # no run passes the chain's bound: every meeting waits at least its chain of latencies
    assert paid["extra"]["chain"] >= 2  # the items, then the synopsis
    assert speed["value"] <= paid["extra"]["bound_calls_per_s"]
    assert 50 < memory["value"] < 4096


def test_peer_rows_say_not_installed_without_langchain(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import peers

    monkeypatch.setattr(peers, "available", lambda: False)
    row = peers.langchain_row(None, "refine", 8_192)  # type: ignore[arg-type]
    assert row.status == "not installed"
    assert row.calls is None


def test_the_scale_timeline_has_every_answered_request_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import scale  # here: bench/ is importable only once ROOT is on sys.path (above)

    sample = ROOT / "examples" / "sample-pack.pdf"
    assert scale.main(["--latency", "0.05", "--timeline", str(sample), str(sample)]) == 0
    out, err = capsys.readouterr()
    paid = json.loads(out.strip().splitlines()[-1])["calls_paid"]
    rows = [json.loads(line) for line in err.strip().splitlines()]
    assert len(rows) == paid > 0
    arrived = [r["arrived"] for r in rows]
    assert arrived == sorted(arrived) and arrived[0] == 0
    assert all(r["answered"] >= r["arrived"] + 0.05 for r in rows)  # none answered before its latency
    assert {r["stage"] for r in rows} >= {"ItemDraft", "SynopsisDraft"}
