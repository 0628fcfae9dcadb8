"""The benchmark suite: summarise against its peers on one fake server, and its own costs.

    python -m bench [--quick] [--json FILE]

Full run: the Kent cabinet pack in ../shared/data, 1 s per model call; ``--quick``: the sample pack
in examples/, 0.2 s per call, a handful of meetings (a smoke run for CI). Prints one table and writes
every row as JSON (default bench-results.json). What each figure means: BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import summarise
from bench import local, overhead, peers, runs
from bench.common import KENT, PACKS, SAMPLE, Row, fmt, ratio

WINDOWS = (128_000, 8_192)
TARGET_INPUT = {128_000: 1.00, 8_192: 1.10}
TARGET_CRITICAL = 1.15


def _check(row: Row, window: int) -> Row:
    """Mark the summarise row against issue 12's targets for its window."""
    if row.status != "ok" or row.coverage is None:
        return row
    done, total = row.coverage.split("/")
    checks = {
        f"input/source <= {TARGET_INPUT[window]:.2f}": (row.input_per_source or 99) <= TARGET_INPUT[window]
    }
    if window == 128_000:  # issue 12 sets it at the default window; at 8k, calls / 8 bound the wall too
        checks[f"wall/critical <= {TARGET_CRITICAL}"] = (row.wall_per_critical or 99) <= TARGET_CRITICAL
    checks["every item"] = done == total
    row.target = "; ".join(checks)
    row.met = all(checks.values())
    row.extra["targets"] = checks
    return row


def model_rows(setup: runs.Setup) -> list[Row]:
    rows: list[Row] = []
    for w in WINDOWS:
        name = f"summarise model, {w // 1000}k window"
        rows.append(_check(runs.guarded(name, lambda w=w: runs.summarise_row(setup, w)), w))  # type: ignore[misc]
    for w in WINDOWS:
        for kind in ("map_reduce", "refine"):
            name = f"LangChain {kind}, {w // 1000}k"
            rows.append(runs.guarded(name, lambda k=kind, w=w: peers.langchain_row(setup, k, w)))  # type: ignore[misc]
        name = f'"stuff" baseline, {w // 1000}k'
        rows.append(runs.guarded(name, lambda w=w: runs.stuff_row(setup, w)))  # type: ignore[misc]
    return rows


def scale_rows(packs: list[Path], latency: float, concurrency: int) -> list[Row]:
    """Run bench.scale in a child process, so its peak memory is not this process's."""
    command = [
        sys.executable,
        "-m",
        "bench.scale",
        "--latency",
        str(latency),
        "--concurrency",
        str(concurrency),
        "--server-process",  # in this process the fake server's threads would wait on the client's GIL
    ]
    done = subprocess.run([*command, *map(str, packs)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return [Row(name="scale", status=f"failed: {done.stderr.strip().splitlines()[-1:]}")]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    label = f"{got['meetings']} meetings ({got['distinct_packs']} packs), shared cache"
    paid = ratio(got["calls_paid"], got["distinct_requests"])
    return [
        Row(
            name=f"{label}: calls paid / distinct",
            value=paid,
            unit="x",
            calls=got["calls_paid"],
            target="1.00",
            met=paid is not None and paid <= 1.0,
            note=f"{got['calls_paid']} calls for {got['distinct_requests']} distinct requests,"
            f" {got['failed']} failed",
            extra=got,
        ),
        Row(
            name=f"{label}: calls/s at {latency:g} s",
            value=got["calls_per_s"],
            unit="calls/s",
            wall_s=got["model_wall_s"],
            target=">= 40",
            met=got["calls_per_s"] >= 40,
            note=f"concurrency {concurrency} per meeting; {got['cpu_s']:.1f} CPU s in {got['wall_s']:.1f} s"
            f" (server {got['server_cpu_s'] or 0:.1f}); chain {got['chain']} calls,"
            f" so at most {got['bound_calls_per_s'] or 0:.0f} calls/s with no CPU at all",
        ),
        Row(
            name=f"{label}: peak memory",
            value=got["peak_mb"],
            unit="MB",
            target="<= 1024",
            met=got["peak_mb"] <= 1024,
            note="ru_maxrss of the child process",
        ),
    ]


HEADER = (
    "row",
    "calls",
    "in/src",
    "out tok",
    "wall s",
    "wall/crit",
    "coverage",
    "value",
    "target",
    "met",
    "note",
)


def table(rows: list[Row]) -> str:
    lines = []
    for r in rows:
        if r.status != "ok":
            lines.append((r.name, *["-"] * 9, r.status))
            continue
        value = "-" if r.value is None else f"{r.value:.3g} {r.unit}".strip()
        met = "-" if r.met is None else ("met" if r.met else "MISSED")
        lines.append(
            (
                r.name,
                fmt(r.calls),
                fmt(r.input_per_source),
                fmt(r.output_tokens),
                fmt(r.wall_s, ".2f"),
                fmt(r.wall_per_critical, ".2f"),
                r.coverage or "-",
                value,
                r.target or "-",
                met,
                r.note,
            )
        )
    widths = [max(len(str(x)) for x in col) for col in zip(HEADER, *lines, strict=False)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    out += [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in lines
    ]
    return "\n".join(out)


def scale_packs(quick: bool, count: int) -> list[Path]:
    if quick:
        return [SAMPLE] * count
    shared = sorted(PACKS.glob("*.pdf"))
    return list(itertools.islice(itertools.cycle(shared), count))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the sample pack, short latency, few meetings")
    parser.add_argument("--json", type=Path, default=Path("bench-results.json"), metavar="FILE")
    parser.add_argument("--latency", type=float, help="seconds per model call (default 1, quick 0.2)")
    parser.add_argument("--tokens-per-second", type=float, default=None, help="fake server's output speed")
    parser.add_argument("--meetings", type=int, help="meetings in the scale run (default 30, quick 4)")
    args = parser.parse_args(argv)
    pack = SAMPLE if args.quick else KENT
    if not pack.exists():
        print(f"{pack}: not found (../shared/data absent?); try --quick", file=sys.stderr)
        return 2
    latency = args.latency or (0.2 if args.quick else 1.0)
    started = time.perf_counter()
    reference = local.pdftotext_s(pack)
    rows = local.ingest_rows(pack, reference)
    meeting = summarise.load_pack(pack)
    setup = runs.Setup(meeting, runs.source_tokens(meeting), latency, args.tokens_per_second)
    rows = model_rows(setup) + rows
    overhead_figure, summary = overhead.overhead_row(meeting, 256 if args.quick else 4_000)
    rows += [overhead_figure, local.verification_row(summary, meeting)]
    rows += scale_rows(scale_packs(args.quick, args.meetings or (4 if args.quick else 30)), 0.5, 32)
    size = f"{len(meeting.pages)} pages, {len(meeting.items)} items, {setup.source_tokens:,} source tokens"
    print(f"{pack.name}: {size}")
    print(f"fake server: {latency:g} s per call; concurrency 8 unless said; {os.cpu_count()} CPUs, shared")
    print(table(rows))
    result = {
        "pack": pack.name,
        "quick": args.quick,
        "latency_s": latency,
        "tokens_per_second": args.tokens_per_second,
        "source_tokens": setup.source_tokens,
        "pdftotext_s": reference,
        "seconds": time.perf_counter() - started,
        "rows": [r.to_dict() for r in rows],
    }
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.json} ({result['seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
