"""``summarise batch``: outputs and index, exit codes, resuming, and a SIGKILL mid-run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from test_batch import make_meeting

from summarise.cli import app as cli
from summarise.cli.exits import EXIT_BATCH_FAILED
from summarise.engines.model.cache import CallCache
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def papers(tmp_path: Path) -> Path:
    """Two one-file meetings, one two-file meeting in a sub-folder, and a PDF that cannot be read."""
    folder = tmp_path / "papers"
    make_meeting(folder / "planning-1.pdf", 1)
    make_meeting(folder / "planning-2.pdf", 2)
    make_meeting(folder / "joint" / "a.pdf", 3)
    make_meeting(folder / "joint" / "b.pdf", 4)
    (folder / "damaged.pdf").write_bytes(b"%PDF-1.7\n1 0 obj garbage")
    return folder


def index(out: Path) -> dict[str, dict[str, object]]:
    data = json.loads((out / "index.json").read_text())
    return {row["id"]: row for row in data["meetings"]}


def test_batch_writes_each_meeting_and_an_index_and_resumes(
    papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["batch", str(papers), "-o", str(out), "--engine", "extractive", "--cache-dir", str(tmp_path)]
    code, _, err = run(argv, capsys)
    assert code == EXIT_BATCH_FAILED  # one meeting failed; the others are written
    rows = index(out)
    assert {k: v["status"] for k, v in rows.items()} == {
        "planning-1": "ok", "planning-2": "ok", "joint": "ok", "damaged": "failed",
    }  # fmt: skip
    assert "damaged.pdf" in str(rows["damaged"]["error"]) and "Traceback" not in err
    for name in ("planning-1", "planning-2", "joint"):
        assert rows[name]["items"] == 3 and rows[name]["fallbacks"] == []
        for suffix in ("json", "md", "html"):
            assert (out / f"{name}.{suffix}").is_file()
    assert json.loads((out / "joint.json").read_text())["meeting"]["sources"] == ["a.pdf", "b.pdf"]
    assert "[1/4]" in err and "[4/4]" in err
    assert "| [joint](joint.md) | ok | 3 |" in (out / "index.md").read_text()

    # A re-run redoes only what did not finish; a changed file is redone too.
    written = (out / "planning-1.json").stat().st_mtime_ns
    make_meeting(papers / "planning-2.pdf", 22)
    code, _, err = run(argv, capsys)
    assert code == EXIT_BATCH_FAILED and "2 finished earlier, not redone" in err
    assert "planning-2: ok" in err and "damaged: failed" in err and "planning-1:" not in err
    assert (out / "planning-1.json").stat().st_mtime_ns == written
    assert len(index(out)) == 4  # the index still lists every meeting
    (papers / "damaged.pdf").unlink()
    code, _, err = run([*argv, "--force"], capsys)
    assert code == 0 and "finished earlier" not in err and "planning-1: ok" in err
    assert set(index(out)) == {"planning-1", "planning-2", "joint"}


def test_batch_from_a_manifest_and_its_errors(
    papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = papers / "meetings.jsonl"
    manifest.write_text(
        json.dumps(
            {"files": ["joint/a.pdf", "joint/b.pdf"], "id": "cabinet 2025-01-30", "body": "Cabinet",
             "date": "2025-01-30"}
        ) + "\n"
    )  # fmt: skip
    out = tmp_path / "out"
    offline = ["--engine", "extractive"]
    code, _, err = run(["batch", "--manifest", str(manifest), "-o", str(out), *offline, "-q"], capsys)
    assert code == 0 and err == ""
    summary = json.loads((out / "cabinet-2025-01-30.json").read_text())
    assert summary["meeting"]["body"] == "Cabinet" and summary["meeting"]["date"] == "2025-01-30"
    code, _, err = run(["batch", "-o", str(out)], capsys)
    assert code == 2 and "give PDFs or folders" in err
    code, _, err = run(["batch", str(tmp_path / "nowhere"), "-o", str(out)], capsys)
    assert code == 2 and "nowhere" in err and "Traceback" not in err
    (tmp_path / "afile").write_text("x")
    code, _, err = run(["batch", str(papers), "-o", str(tmp_path / "afile"), *offline], capsys)
    assert code == 2 and "not a folder" in err


def test_a_batch_killed_mid_run_resumes_without_redoing_a_meeting_or_paying_twice(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    for n in range(8):
        make_meeting(papers / f"meeting-{n}.pdf", 100 + n)
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeOpenAIServer(latency=0.25, seed=5) as server:
        argv = [
            sys.executable, "-m", "summarise", "batch", str(papers), "-o", str(out), "--engine", "llm",
            "--base-url", server.base_url, "--cache-dir", str(cache), "--concurrency", "2",
            # A lease of the killed run would hold its requests for 2 x timeout + 60 s: the dead
            # process's leases must be taken over at once for the resume to finish in time.
            "--timeout", "600",
        ]  # fmt: skip
        first = subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        records = out / ".batch"
        deadline = time.monotonic() + 120
        while len(list(records.glob("*.json"))) < 2 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        finished = {p.stem: p.stat().st_mtime_ns for p in records.glob("*.json")}
        assert 2 <= len(finished) < 8, "the batch should be killed mid-run"
        with CallCache(cache) as calls:
            paid_before = Counter(row["key"] for row in calls.rows() if row["ok"])

        second = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
        served = server.stats.calls
        distinct = len({json.dumps(r.body, sort_keys=True) for r in server.requests})
    assert second.returncode == 0, second.stderr
    assert f"{len(finished)} finished earlier, not redone" in second.stderr
    for name in finished:  # not redone: their records were not written again
        assert (records / f"{name}.json").stat().st_mtime_ns == finished[name]
        assert f"] {name}:" not in second.stderr
    assert len(index(out)) == 8 and all(r["status"] == "ok" for r in index(out).values())
    with CallCache(cache) as calls:
        paid = Counter(row["key"] for row in calls.rows() if row["ok"])
    assert all(n == 1 for n in paid.values())  # no answer paid for twice
    assert set(paid_before) <= set(paid)
    # Only calls in flight at the kill (at most --concurrency) were asked again.
    assert served - distinct <= 2
    assert os.path.exists(out / "index.md")
