"""Many meetings in one process with a shared cache (run as a child process, so its peak memory is its own).

    python -m bench.scale --latency 0.5 --concurrency 32 PACK [PACK ...]   # prints one JSON object

Every pack is one meeting, summarised at once with the model engine against one fake server; packs
may repeat, and repeated meetings should be paid for once: calls paid against distinct requests.
Each distinct pack is ingested into the shared cache before the clock starts (ingest has its own row).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import summarise
from bench.common import cpu_s, peak_rss_mb, traffic
from bench.runs import settings_for
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer


async def _all(packs: list[Path], settings: Settings) -> int:
    results = await asyncio.gather(
        *(summarise.asummarise_pack(p, "llm", settings=settings) for p in packs), return_exceptions=True
    )
    return sum(1 for r in results if isinstance(r, BaseException))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("packs", nargs="+", type=Path)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="summarise-bench-") as tmp,
        FakeOpenAIServer(seed=2, latency=args.latency) as server,
    ):
        settings = settings_for(128_000, server.base_url, args.concurrency).with_overrides(
            cache_dir=Path(tmp), use_cache=True
        )
        for pack in dict.fromkeys(args.packs):  # ingest has its own row: read each pack into the cache first
            summarise.load_pack(pack, settings=settings)
        cpu = cpu_s()
        start = time.perf_counter()
        failed = asyncio.run(_all(args.packs, settings))
        wall = time.perf_counter() - start
        cpu = cpu_s() - cpu
        seen = traffic(server, args.latency)
    print(
        json.dumps(
            {
                "meetings": len(args.packs),
                "distinct_packs": len({p.resolve() for p in args.packs}),
                "failed": failed,
                "calls_paid": seen.calls,
                "distinct_requests": seen.distinct,
                "model_wall_s": seen.model_wall_s,
                "wall_s": wall,
                "cpu_s": cpu,
                "calls_per_s": seen.calls / seen.model_wall_s if seen.model_wall_s else 0.0,
                "peak_mb": peak_rss_mb(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
