"""Ingest's worker processes: one capped pool per process, shared by every file and every call."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

import pytest
from pdfgen import write_pdf

from summarise.ingest import pdf, workers
from summarise.ingest.pdf import read_pdf


def _pid(path: str, start: int, stop: int, until: float) -> list[str]:
    return [str(os.getpid())] * (stop - start)


_PARENT = os.getpid()
_REAL = pdf._pages_text


def _crash(path: str, start: int, stop: int, until: float) -> list[str]:
    if os.getpid() != _PARENT:
        os._exit(1)  # as a crash inside PDFium would end it
    return _REAL(path, start, stop, until)


@pytest.fixture
def big(tmp_path: Path) -> list[Path]:
    pages = [[f"Page {k} of the report on item {k}."] for k in range(pdf.PARALLEL_MIN_PAGES + 20)]
    first = write_pdf(tmp_path / "a.pdf", pages)
    second = write_pdf(tmp_path / "b.pdf", [*pages, ["One more page."]])
    return [first, second]


def test_large_files_share_one_capped_pool(big: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    workers.shutdown()
    monkeypatch.setattr(pdf, "_pages_text", _pid)  # forked workers report who read each page
    seen: set[str] = set()
    for path in [*big, *big]:  # two files, each read twice: four extractions
        pages = read_pdf(path, use_cache=False).pages
        assert len(pages) == pdf.PARALLEL_MIN_PAGES + 20 + (path == big[1])
        seen.update(pages)
    assert str(os.getpid()) not in seen
    assert 1 <= len(seen) <= workers.WORKERS  # the same few processes for every file
    workers.shutdown()


def test_a_worker_that_dies_leaves_the_file_to_pypdf_and_the_next_file_a_new_pool(
    big: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    workers.shutdown()
    real = pdf._pages_text
    monkeypatch.setattr(pdf, "_pages_text", _crash)
    pages = read_pdf(big[0], use_cache=False).pages
    assert pages[3].strip() == "Page 3 of the report on item 3."
    monkeypatch.setattr(pdf, "_pages_text", real)
    assert read_pdf(big[1], use_cache=False).pages[-1].strip() == "One more page."
    workers.shutdown()


def test_an_idle_pool_ends_and_lets_go_of_the_hosts_pipes(
    big: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked workers hold copies of every descriptor the host had open: a pipe the host closes
    reaches EOF only once no worker holds it (a bench's fake-server child waited forever)."""
    workers.shutdown()
    monkeypatch.setattr(workers, "IDLE_SECONDS", 0.3)
    monkeypatch.setattr(pdf, "_pages_text", _pid)
    read_end, write_end = os.pipe()
    try:
        pids = {int(p) for p in read_pdf(big[0], use_cache=False).pages}
        assert os.getpid() not in pids  # read by forked workers, which inherited write_end
        os.close(write_end)
        write_end = -1
        ready, _, _ = select.select([read_end], [], [], 30)
        assert ready and os.read(read_end, 1) == b""  # EOF: no worker holds the pipe any more
        assert workers._pool is None
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_running(p) for p in pids):
            time.sleep(0.1)
        assert not any(_running(p) for p in pids)
        # and the next call makes a new pool
        assert read_pdf(big[1], use_cache=False).pages
    finally:
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)
        workers.shutdown()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")
