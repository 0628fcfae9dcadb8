"""Many meetings in one process with a shared cache (run as a child process, so its peak memory is its own).

    python -m bench.scale --latency 0.5 --concurrency 32 [--distinct] [--server-process] PACK [PACK ...]

Every pack is one meeting, summarised at once with the model engine against one fake server; packs
may repeat, and repeated meetings should be paid for once: calls paid against distinct requests.
Each distinct pack is ingested into the shared cache before the clock starts (ingest has its own row).

``--distinct`` gives each meeting its own ``seed`` setting, so no two meetings share a request: a
throughput test that the few distinct requests of a handful of repeated packs cannot bound.
``--server-process`` runs the fake server in a process of its own, so its CPU does not share this
process's interpreter lock (in-process, the server's work slows the client it measures).
``--timeline`` prints each answered request to stderr, in order of arrival: its stage, its tokens,
and when it arrived and was answered, in seconds from the first arrival (where the model phase goes).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

import summarise
from bench.common import cpu_s, peak_rss_mb, served
from bench.runs import settings_for
from summarise.settings import Settings


async def _all(packs: list[Path], settings: Settings, distinct: bool) -> int:
    each = [settings.with_overrides(seed=i) if distinct else settings for i in range(len(packs))]
    runs = [summarise.asummarise_pack(p, "llm", settings=s) for p, s in zip(packs, each, strict=True)]
    results = await asyncio.gather(*runs, return_exceptions=True)
    return sum(1 for r in results if isinstance(r, BaseException))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("packs", nargs="*", type=Path)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--distinct", action="store_true", help="no two meetings share a request")
    parser.add_argument("--server-process", action="store_true", help="the fake server in its own process")
    parser.add_argument("--timeline", action="store_true", help="each request's times, on stderr")
    args = parser.parse_args(argv)
    if not args.packs:
        parser.error("give at least one pack")
    with (
        tempfile.TemporaryDirectory(prefix="summarise-bench-") as tmp,
        served(args.latency, own_process=args.server_process) as (base_url, seen),
    ):
        settings = settings_for(128_000, base_url, args.concurrency).with_overrides(
            cache_dir=Path(tmp), use_cache=True
        )
        for pack in dict.fromkeys(args.packs):  # ingest has its own row: read each pack into the cache first
            summarise.load_pack(pack, settings=settings)
        cpu = cpu_s()
        start = time.perf_counter()
        failed = asyncio.run(_all(args.packs, settings, args.distinct))
        wall = time.perf_counter() - start
        cpu = cpu_s() - cpu
    got, server_cpu, chain = seen[0].traffic, seen[0].cpu_s, seen[0].chain
    if args.timeline:
        for request in sorted(seen[0].timeline, key=lambda r: r["arrived"]):
            print(json.dumps(request), file=sys.stderr)
    print(
        json.dumps(
            {
                "meetings": len(args.packs),
                "distinct_packs": len({p.resolve() for p in args.packs}),
                "distinct_meetings": args.distinct,
                "server_process": args.server_process,
                "failed": failed,
                "calls_paid": got.calls,
                "distinct_requests": got.distinct,
                "model_wall_s": got.model_wall_s,
                "wall_s": wall,
                "cpu_s": cpu,
                "server_cpu_s": server_cpu,  # all of the server process's, when it has its own
                "calls_per_s": got.calls / got.model_wall_s if got.model_wall_s else 0.0,
                # The longest chain of dependent calls of any meeting (bench.common.planned_chain):
                # with no CPU at all, the model phase lasts at least chain x latency, so calls/s
                # cannot pass calls / (chain x latency) however fast client and server are.
                "chain": chain,
                "bound_calls_per_s": got.calls / (chain * args.latency) if chain else None,
                "peak_mb": peak_rss_mb(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
