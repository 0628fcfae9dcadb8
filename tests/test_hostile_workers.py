"""Ingest's worker processes end with their parent, however the parent ends (SIGTERM, SIGKILL)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pdfgen import write_pdf

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")

# The parent: a load_pack whose workers take a long time (each sleeps inside its first chunk).
PARENT = """
import os, sys, time
from summarise.ingest import pdf
parent = os.getpid()
real = pdf._pages_text
def slow(*args):
    if os.getpid() != parent:
        print("worker", os.getpid(), flush=True)
        time.sleep(60)
    return real(*args)
pdf._pages_text = slow
from summarise import load_pack
print("ready", flush=True)
load_pack(sys.argv[1], use_cache=False)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("workers")
    return write_pdf(folder / "big.pdf", [[f"Page {k} of the report on item {k}."] for k in range(60)])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_their_parent(big_pdf: Path, sig: signal.Signals) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(big_pdf)], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + 120  # a loaded CI machine can be slow to fork and import
        while time.monotonic() < deadline and len(workers) < 2:
            ready, _, _ = select.select([parent.stdout], [], [], 1.0)
            line = parent.stdout.readline() if ready else ""
            if line.startswith("worker "):
                workers.append(int(line.split()[1]))
            assert parent.poll() is None, "the parent ended early"
        assert len(workers) >= 2, "the pool never started"
        assert set(workers) <= set(_children(parent.pid))
        os.kill(parent.pid, sig)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "orphaned ingest workers"
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers:  # only the processes this test started, should the check have failed
            if _alive(w):
                os.kill(w, signal.SIGKILL)
