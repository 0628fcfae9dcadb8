"""Ingest speed and memory on a large report pack.

    python bench/ingest.py [PACK.pdf]

Default pack: ../shared/data/packs/kent-cabinet-2025-01-30-reports-pack.pdf
(460 pages). Prints cold ingest time, ``pdftotext`` time on the same file and
their ratio (target <= 2x, issue 12 item 5), the warm re-run from the on-disk cache (target
< 0.5 s) and peak memory including the extraction worker processes (target
< 500 MB), and the parts of ingest's text extraction in one process: PDFium's own text
(``get_text_range``, the floor) and ingest's layout on top of it (blank lines, column gaps;
summarise.ingest.pdfium). The cache goes to a temporary directory, never the user's.
``--all``: the text extraction alone (``read_pdf``, cache off) of every shared pack against
pdftotext, one table row each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

from summarise import load_pack
from summarise.ingest.pdf import read_pdf
from summarise.ingest.pdfium import page_text
from summarise.ingest.workers import WORKERS
from summarise.ingest.workers import shutdown as shutdown_workers

DEFAULT_PACK = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "packs"
    / "kent-cabinet-2025-01-30-reports-pack.pdf"
)
TARGET_RATIO = 2.0
TARGET_WARM_S = 0.5
TARGET_PEAK_MB = 500.0


def _peak_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest reaped child, in MB (Linux reports KB)."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / scale / 1024
    return own, kids


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _pdftotext(pack: Path, runs: int = 3) -> tuple[float, float] | None:
    """Median wall and CPU time of ``pdftotext`` on the pack (sharing the machine as ingest did)."""
    exe = shutil.which("pdftotext") or ("/usr/bin/pdftotext" if Path("/usr/bin/pdftotext").exists() else None)
    if exe is None:
        return None
    walls: list[float] = []
    cpus: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            cpu = _cpu_seconds()
            start = time.perf_counter()
            subprocess.run([exe, str(pack), str(Path(tmp) / "out.txt")], check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            cpus.append(_cpu_seconds() - cpu)
    return sorted(walls)[runs // 2], sorted(cpus)[runs // 2]


def _pdfium(pack: Path) -> tuple[float, float]:
    """CPU seconds in one process for PDFium's own text of every page, and for ingest's laid-out text."""
    doc = pdfium.PdfDocument(str(pack))
    start = time.process_time()
    for i in range(len(doc)):
        page = doc[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    plain = time.process_time() - start
    start = time.process_time()
    for i in range(len(doc)):
        page = doc[i]
        page_text(page)
        page.close()
    doc.close()
    return plain, time.process_time() - start


def _every_pack(folder: Path) -> int:
    """Per shared pack: ``read_pdf`` with the cache off (best of 3, pool started) against pdftotext."""
    packs = sorted(folder.glob("*.pdf"))
    if not packs:
        print(f"{folder}: no packs (../shared/data absent?)", file=sys.stderr)
        return 2
    read_pdf(packs[0], use_cache=False)  # the worker pool is made once per process, not per file
    print("| pack | pages | pdftotext -layout | ingest text / pdftotext |")
    print("|---|---|---|---|")
    for pack in packs:
        walls = []
        for _ in range(3):
            start = time.perf_counter()
            pages = read_pdf(pack, use_cache=False).pages
            walls.append(time.perf_counter() - start)
        reference = _pdftotext(pack)
        ratio = f"{min(walls) / reference[0]:.1f}x" if reference else "-"
        ref = f"{reference[0]:.2f} s" if reference else "not installed"
        print(f"| {pack.stem} | {len(pages)} | {ref} | {ratio} |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", nargs="?", type=Path, default=DEFAULT_PACK)
    parser.add_argument("--all", action="store_true", help="text of every shared pack, one row each")
    args = parser.parse_args(argv)
    if args.all:
        return _every_pack(DEFAULT_PACK.parent)
    pack: Path = args.pack
    if not pack.exists():
        print(f"{pack}: not found (../shared/data absent?); give a PDF path", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="summarise-bench-") as tmp:
        cache = Path(tmp)
        load_before = os.getloadavg()[0]
        cpu = _cpu_seconds()
        start = time.perf_counter()
        meeting = load_pack(pack, cache_dir=cache)
        cold = time.perf_counter() - start
        shutdown_workers()  # reaped, so their CPU time and memory are counted below
        cold_cpu = _cpu_seconds() - cpu
        own_mb, kids_mb = _peak_mb()  # before pdftotext runs, so its memory is not counted

        start = time.perf_counter()
        load_pack(pack, cache_dir=cache)
        warm = time.perf_counter() - start

        for entry in cache.glob("meeting-*.json"):  # as after a code change: text cache only
            entry.unlink()
        start = time.perf_counter()
        load_pack(pack, cache_dir=cache)
        warm_text = time.perf_counter() - start

    reference = _pdftotext(pack)
    with_papers = sum(1 for i in meeting.items if i.has_papers)
    print(f"pack:                   {pack.name}: {len(meeting.pages)} pages, {len(meeting.items)} items")
    tokens = sum(i.tokens for i in meeting.items)
    print(f"                        ({with_papers} with papers), {tokens:,} tokens")
    print(
        f"cold ingest:            {cold:6.2f} s   ({cold_cpu:.1f} CPU s over {os.cpu_count()} cores;", end=""
    )
    print(f" load average {load_before:.1f} before)")
    if reference is None:
        print("pdftotext:              not installed; ratio not measured (install poppler-utils)")
    else:
        ref_wall, ref_cpu = reference
        ratio = cold / ref_wall
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
        print(f"pdftotext:              {ref_wall:6.2f} s   ({ref_cpu:.1f} CPU s)")
        print(f"ratio cold/pdftotext:   {ratio:6.1f} x   (target <= {TARGET_RATIO:.0f}x: {verdict})")
        idle = cold_cpu / min(WORKERS, os.cpu_count() or 1) / ref_cpu
        note = f"estimate: ingest CPU s / {WORKERS} workers / pdftotext CPU s"
        print(f"  on an idle machine:   {idle:6.1f} x   ({note})")
    plain, laid_out = _pdfium(pack)
    print(f"PDFium text, one process: {plain:5.2f} CPU s plain, {laid_out:.2f} CPU s laid out by ingest")
    verdict = "ok" if warm < TARGET_WARM_S else "OVER TARGET"
    print(f"warm re-run (cache):    {warm:6.3f} s   (target < {TARGET_WARM_S} s: {verdict})")
    print(f"warm, text cache only:  {warm_text:6.3f} s   (after an ingest code change)")
    total = own_mb + kids_mb
    verdict = "ok" if total < TARGET_PEAK_MB else "OVER TARGET"
    print(
        f"peak memory:            {own_mb:6.0f} MB main + {kids_mb:.0f} MB largest worker = {total:.0f} MB"
        f"   (target < {TARGET_PEAK_MB:.0f} MB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
