"""Ingest speed and memory on a large report pack.

    python bench/ingest.py [PACK.pdf]

Default pack: ../shared/data/packs/kent-cabinet-2025-01-30-reports-pack.pdf
(460 pages). Prints cold ingest time, ``pdftotext`` time on the same file and
their ratio (target <= 10x), the warm re-run from the on-disk cache (target
< 0.5 s) and peak memory including the extraction worker processes (target
< 500 MB), and how much faster extract_text runs in one process with
summarise.ingest.fastpdf's content-stream parser than with pypdf's (every 5th page).
When pypdfium2 is installed (it is not a dependency: ``pip install pypdfium2``), also
the time PDFium takes to extract every page's text, as a ratio to pdftotext: the
candidate replacement measured for issue 12 item 5 (BENCHMARKS.md, "Ingest: PDFium").
The cache goes to a temporary directory, never the user's.
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

import pypdf

from summarise import load_pack
from summarise.ingest import fastpdf
from summarise.ingest.pdf import WORKERS

DEFAULT_PACK = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "packs"
    / "kent-cabinet-2025-01-30-reports-pack.pdf"
)
TARGET_RATIO = 10.0
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


def _extract_cpu(pack: Path, pages: range, *, fast: bool) -> float:
    """CPU seconds of extract_text on ``pages`` in this process, from a fresh reader."""
    reader = pypdf.PdfReader(pack, strict=False)
    if fast:
        fastpdf.install()
    else:
        fastpdf.uninstall()
    try:
        start = time.process_time()
        for i in pages:
            reader.pages[i].extract_text()
        return time.process_time() - start
    finally:
        fastpdf.uninstall()


def _parser_speedup(pack: Path, step: int = 5) -> tuple[float, float, int]:
    """Single-process extract_text CPU time on every ``step``-th page, pypdf's parser vs fastpdf's."""
    n = len(pypdf.PdfReader(pack, strict=False).pages)
    pages = range(0, n, step)
    plain = min(_extract_cpu(pack, pages, fast=False) for _ in range(2))
    fast = min(_extract_cpu(pack, pages, fast=True) for _ in range(2))
    return plain, fast, len(pages)


def _pdfium(pack: Path) -> float | None:
    """Wall seconds PDFium takes for every page's text (the best of 3), or None without pypdfium2."""
    try:
        import pypdfium2 as pdfium  # noqa: PLC0415 - optional, measured only when installed
    except ImportError:
        return None
    runs: list[float] = []
    for _ in range(3):
        start = time.perf_counter()
        doc = pdfium.PdfDocument(str(pack))
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            textpage.get_text_bounded()
            textpage.close()
            page.close()
        doc.close()
        runs.append(time.perf_counter() - start)
    return min(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pack", nargs="?", type=Path, default=DEFAULT_PACK)
    args = parser.parse_args(argv)
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
    pdfium_s = _pdfium(pack)
    if pdfium_s is None:
        print("pypdfium2:              not installed; not measured (pip install pypdfium2)")
    elif reference is not None:
        ratio = pdfium_s / reference[0]
        print(f"pypdfium2 text only:    {pdfium_s:6.2f} s   ({ratio:.1f} x pdftotext; not used by ingest)")
    verdict = "ok" if warm < TARGET_WARM_S else "OVER TARGET"
    print(f"warm re-run (cache):    {warm:6.3f} s   (target < {TARGET_WARM_S} s: {verdict})")
    print(f"warm, text cache only:  {warm_text:6.3f} s   (after an ingest code change)")
    if fastpdf.supported():
        plain, fast, sampled = _parser_speedup(pack)
        print(
            f"fast parser:            {plain / fast:6.2f} x   (extract_text of {sampled} pages in one"
            f" process: {plain:.1f} CPU s with pypdf's parser, {fast:.1f} with summarise.ingest.fastpdf)"
        )
    else:
        print(f"fast parser:            not used with pypdf {pypdf.__version__}")
    total = own_mb + kids_mb
    verdict = "ok" if total < TARGET_PEAK_MB else "OVER TARGET"
    print(
        f"peak memory:            {own_mb:6.0f} MB main + {kids_mb:.0f} MB largest worker = {total:.0f} MB"
        f"   (target < {TARGET_PEAK_MB:.0f} MB: {verdict})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
