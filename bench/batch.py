"""``summarise batch`` over 200 distinct meetings against the fake server, then a SIGKILL and a resume.

    python bench/batch.py [--meetings 200] [--latency 0.5] [--concurrency 32] [--json FILE]
    python bench/batch.py --batch-api [--batch-delay 5] [--kill-after-batches 2] ...

The meetings are copies of the shared packs in ../shared/data/packs, each page of each copy given a
sentence of its own (words drawn per copy and page, mid-page, so ingest and the model engine keep it
as content): every copy is a distinct meeting whose requests are all distinct. The 460-page Kent
reports pack is left out (one copy is ~460 pages of extraction; 25 of them would time pypdf, not
the batch). Without ../shared, the meetings are generated synthetic packs (tests/test_batch.py), and
the output says so. Everything is made in a temporary folder and removed afterwards.

Two runs, each in a child process with a fresh cache and output folder (its peak RSS is its own):

1. the whole batch: meetings per minute (wall, ingest included), calls served per distinct request
   (target 1.00), the child's peak memory (target <= 1.5 GB);
2. the same batch killed with SIGKILL once about half of its meetings are written, then run again:
   meetings redone (target 0), answers paid twice (target 0), calls over both runs per distinct request
   (the excess is the calls in flight at the kill: at most --concurrency).

With ``--batch-api`` the same command runs with ``--batch-api`` against the fake server's Files and
Batches APIs (each batch done ``--batch-delay`` seconds after it is created; the library's own polling
intervals, 15 s rising to 5 min, so the wall time is mostly polling). It also reports the batches
created and their lines, Batch API lines per distinct request (target 1.00), and the cost of a direct
run of the same meetings (a third child; the run's prices count cached input as input, so the ratio is
the discount's, target 0.50). The kill comes once ``--kill-after-batches`` batches exist (the next
stage's batch is in progress, the earlier stages' answers are in the cache): the restart must take
that batch over and send none of its requests again (lines over both runs per distinct request 1.00).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fpdf import FPDF  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402
from test_batch import make_meeting  # noqa: E402

from bench.common import MODEL, PACKS  # noqa: E402
from summarise.engines.model.cache import CallCache  # noqa: E402
from summarise.testing import FakeOpenAIServer  # noqa: E402

LEFT_OUT = {"kent-cabinet-2025-01-30-reports-pack.pdf"}
WORDS = [
    "amber", "basin", "cedar", "delta", "ember", "fjord", "glade", "harbour", "inlet", "juniper", "kestrel",
    "lagoon", "meadow", "north", "orchard", "pebble", "quarry", "river", "spruce", "thistle", "upland",
    "valley", "willow", "yarrow", "zephyr",
]  # fmt: skip
GB = 1024.0


def sentence(rng: random.Random) -> str:
    return "Bench note: " + " ".join(rng.choice(WORDS) for _ in range(6)) + "."


def stamped_copy(source: Path, target: Path, copy: int) -> None:
    """``source`` with a sentence of this copy's own in the middle of every page."""
    reader = PdfReader(source)
    rng = random.Random(copy)
    stamp = FPDF(unit="pt")
    stamp.set_font("Helvetica", size=7)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp.add_page(format=(width, height))
        stamp.set_xy(36, height / 2)
        stamp.cell(0, 8, sentence(rng))
    stamps = PdfReader(io.BytesIO(bytes(stamp.output())))
    writer = PdfWriter(clone_from=reader)  # outline and all: ingest reads the bookmarks
    for page, mark in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(mark)
    with target.open("wb") as fh:
        writer.write(fh)


def make_meetings(folder: Path, count: int) -> str:
    """``count`` distinct meetings in ``folder``, one PDF each; says where they came from."""
    packs = sorted(p for p in PACKS.glob("*.pdf") if p.name not in LEFT_OUT) if PACKS.is_dir() else []
    if not packs:
        for n in range(count):
            make_meeting(folder / f"generated-{n:03d}.pdf", 1000 + n)
        return f"generated synthetic packs (../shared/data absent: {PACKS})"
    with ProcessPoolExecutor(2) as pool:  # about a second a copy: two at once
        sources = [packs[n % len(packs)] for n in range(count)]
        targets = [folder / f"{n:03d}-{pack.stem}.pdf" for n, pack in enumerate(sources)]
        jobs = [pool.submit(stamped_copy, *job) for job in zip(sources, targets, range(count), strict=True)]
        for job in jobs:
            job.result()
    return f"copies of {len(packs)} shared packs (all but {', '.join(sorted(LEFT_OUT))}), text varied"


def batch_argv(papers: Path, out: Path, cache: Path, base_url: str, args: argparse.Namespace) -> list[str]:
    transport = ["--batch-api"] if args.batch_api else []
    return [
        sys.executable, "-m", "summarise", "batch", str(papers), "-o", str(out), "--engine", "llm",
        "--base-url", base_url, "--cache-dir", str(cache), "--concurrency", str(args.concurrency),
        "--model", MODEL, "--prices", f"{MODEL}=0.15,0.6", "--structured", "json_schema", "-q", *transport,
    ]  # fmt: skip


def counted(server: FakeOpenAIServer, batch_api: bool) -> tuple[int, int]:
    """Requests the server answered (chat calls, or Batch API lines) and how many were distinct."""
    if batch_api:
        lines = server.batches.lines_by_custom_id  # custom_id: the request's cache key
        return sum(lines.values()), len(lines)
    bodies = [json.dumps(r.body, sort_keys=True) for r in server.requests if r.status == 200]
    return len(bodies), len(set(bodies))


def child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # Linux: KB


def batch_figures(server: FakeOpenAIServer) -> dict[str, Any]:
    """The batches the fake server was sent: how many, and the lines of each."""
    made = list(server.batches.batches.values())
    return {"batches": len(made), "batch_lines": [b.counts["total"] for b in made]}


def whole_run(papers: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    with FakeOpenAIServer(latency=args.latency, seed=7) as server:
        server.batches.delay = args.batch_delay
        argv = batch_argv(papers, work / "out", work / "cache", server.base_url, args)
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - started
        served, unique = counted(server, args.batch_api)
        batches = batch_figures(server) if args.batch_api else {}
    index = json.loads((work / "out" / "index.json").read_text())["totals"]
    return {
        **batches,
        "cost_usd": index["cost_usd"],
        "exit": done.returncode,
        "meetings": index["meetings"],
        "ok": index["ok"],
        "fallback": index["fallback"],
        "failed": index["failed"],
        "wall_s": round(wall, 1),
        "meetings_per_minute": round(index["meetings"] / wall * 60, 1),
        "calls": served,
        "distinct_requests": unique,
        "calls_per_distinct": round(served / unique, 3) if unique else None,
        "peak_rss_mb": round(child_peak_mb(), 0),
        "stderr_tail": done.stderr[-400:],
    }


def stop_now(server: FakeOpenAIServer, records: Path, args: argparse.Namespace) -> bool:
    """Kill once half the meetings are written; through the Batch API (where meetings finish
    together at the end), once ``--kill-after-batches`` batches were created."""
    if args.batch_api:
        return len(server.batches.batches) >= args.kill_after_batches
    return len(list(records.glob("*.json"))) >= args.meetings // 2


def killed_and_resumed(papers: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    out, cache = work / "out", work / "cache"
    records = out / ".batch"
    with FakeOpenAIServer(latency=args.latency, seed=7) as server:
        server.batches.delay = args.batch_delay
        argv = batch_argv(papers, out, cache, server.base_url, args)
        first = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while first.poll() is None and not stop_now(server, records, args):
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait()
        finished = {p.stem: p.stat().st_mtime_ns for p in records.glob("*.json")}
        served_before = counted(server, args.batch_api)[0]
        batches_before = len(server.batches.batches)
        with CallCache(cache) as calls:
            paid_before = sum(1 for row in calls.rows() if row["ok"])
        started = time.perf_counter()
        resumed = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, check=False)
        resume_wall = time.perf_counter() - started
        served, unique = counted(server, args.batch_api)
        batches = batch_figures(server) if args.batch_api else {}
    redone = [n for n, stamp in finished.items() if (records / f"{n}.json").stat().st_mtime_ns != stamp]
    with CallCache(cache) as calls:
        paid = Counter(row["key"] for row in calls.rows() if row["ok"])
    index = json.loads((out / "index.json").read_text())["totals"]
    in_batches = {"batches_before_kill": batches_before, **batches} if args.batch_api else {}
    return {
        **in_batches,
        "resume_wall_s": round(resume_wall, 1),
        "killed_after_meetings": len(finished),
        "calls_before_kill": served_before,
        "answers_cached_before_kill": paid_before,
        "resume_exit": resumed.returncode,
        "resumed_meetings": index["resumed"],
        "meetings_redone": len(redone),
        "answers_paid_twice": sum(n - 1 for n in paid.values()),
        "calls_both_runs": served,
        "distinct_requests": unique,
        "calls_per_distinct": round(served / unique, 3) if unique else None,
        "lost_in_flight": served - unique,
        "meetings_ok_after_resume": index["ok"] + index["fallback"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model call")
    parser.add_argument("--concurrency", type=int, default=32, help="requests in flight over the batch")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--batch-api", action="store_true", help="model calls through the Batch API")
    parser.add_argument("--papers", type=Path, help="make the meetings here, or reuse the ones here")
    parser.add_argument("--batch-delay", type=float, default=5.0, help="--batch-api: seconds a batch takes")
    parser.add_argument(
        "--kill-after-batches", type=int, default=2, help="--batch-api: SIGKILL once this many batches exist"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="summarise-bench-batch-") as tmp:
        work = Path(tmp)
        papers = args.papers or work / "papers"
        papers.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        made = sorted(papers.glob("*.pdf"))
        source = make_meetings(papers, args.meetings) if len(made) != args.meetings else f"reused {papers}"
        made_s = time.perf_counter() - started
        for part in ("whole", "killed", "direct"):
            (work / part).mkdir()
        figures: dict[str, Any] = {
            "meetings": args.meetings,
            "source": source,
            "made_in_s": round(made_s, 1),
            "latency_s": args.latency,
            "concurrency": args.concurrency,
            "batch_api": args.batch_api,
            "whole": whole_run(papers, work / "whole", args),
            "kill_and_resume": killed_and_resumed(papers, work / "killed", args),
        }
        if args.batch_api:  # the same meetings sent directly: what the discount saved
            direct = whole_run(
                papers, work / "direct", argparse.Namespace(**{**vars(args), "batch_api": False})
            )
            direct.pop("peak_rss_mb")  # the largest of every child so far, not this one's
            figures["direct"] = direct
            figures["cost_vs_direct"] = round(
                figures["whole"]["cost_usd"] / max(direct["cost_usd"], 1e-12), 3
            )
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    whole, again = figures["whole"], figures["kill_and_resume"]
    met = (
        whole["calls_per_distinct"] == 1.0
        and whole["peak_rss_mb"] <= 1.5 * GB
        and again["meetings_redone"] == 0
        and again["answers_paid_twice"] == 0
        and (not args.batch_api or again["calls_per_distinct"] == 1.0)
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
