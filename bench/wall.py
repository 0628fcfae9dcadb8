"""Wall time against the critical path, request by request, for one window.

    python -m bench.wall [--window 128000] [--latency 1] [PACK]

Runs the model engine on the pack (default: the Kent cabinet pack in ../shared/data) at
concurrency 8 against the fake server in its own process, and prints each request: its stage
and agenda item, its input tokens, when it arrived at the server, when the server had built its
answer and when the answer went out (seconds from the first arrival). The gaps show where a run
waits: a stage sent late, a request queued, a server slower than its latency. BENCHMARKS.md
("Wall time against the critical path") shows a run before and after.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import summarise
from bench.common import KENT
from bench.runs import CONCURRENCY, Setup, rounds_bound, source_tokens, summarise_run


def timeline_table(timeline: list[dict[str, Any]]) -> str:
    lines = ["| stage | item | tokens in | arrived s | built s | answered s |", "|---|---|---|---|---|---|"]
    for r in sorted(timeline, key=lambda r: r["arrived"]):
        answered = "-" if r["answered"] is None else f"{r['answered']:.3f}"
        lines.append(
            f"| {r['stage']} | {r['item'] or '-'} | {r['tokens']:,} | {r['arrived']:.3f} | {r['built']:.3f}"
            f" | {answered} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", type=Path, default=KENT)
    parser.add_argument("--window", type=int, default=128_000)
    parser.add_argument("--latency", type=float, default=1.0)
    args = parser.parse_args(argv)
    meeting = summarise.load_pack(args.pack)
    setup = Setup(meeting, source_tokens(meeting), args.latency, None)
    _, server, total = summarise_run(setup, args.window, CONCURRENCY)
    seen, chain = server.traffic, server.chain
    rounds = max(chain, rounds_bound(server.timeline, CONCURRENCY))
    load = os.getloadavg()[0]
    print(timeline_table(server.timeline))
    print(
        f"\n{seen.calls} calls, chain {chain}, rounds of {CONCURRENCY} {rounds}; model wall"
        f" {seen.model_wall_s:.2f} s = {seen.model_wall_s / (chain * args.latency):.2f} x critical path,"
        f" {seen.model_wall_s / (rounds * args.latency):.2f} x rounds; run {total:.2f} s;"
        f" server CPU {server.cpu_s or 0:.2f} s; input/source {seen.input_tokens / setup.source_tokens:.4f};"
        f" load average {load:.2f} ({os.cpu_count()} CPUs)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
