"""``python bench/batch_api.py``: ~30 meetings through ``--batch-api`` on the fake server (issue 14).

Measures, against the same meetings sent directly through one client:

- batches created, and lines uploaded per distinct request (target 1.00: a request made by two
  meetings, or retried after a stop, is one line);
- cost of the batch run over the direct run (target 0.50: the Batch API's discount);
- a run whose first batch expires half done and whose second answers 20% of lines with a 500;
- a run killed (SIGKILL) after its first batch was created, then started again: how long the
  restart takes to finish, how many of the first batch's requests it sent again (target 0), and
  how many it took from the batch the killed process had paid for.

Meetings: copies of the sample pack, each under its own council name (so their requests differ),
a few exact repeats, and the smaller shared packs where ``../shared/data`` is present. The fake
server answers at once and batches end when polled, so wall times here are the library's own
overhead (idle interval, polling), not the Batch API's hours.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import summarise  # noqa: E402 - after the path is set
from summarise.models.meeting import Meeting  # noqa: E402
from summarise.testing import FakeOpenAIServer  # noqa: E402
from tests.batch_runs import batch_settings, meetings, run_many  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "packs"
SMALL_SHARED = (
    "cuyahoga-board-of-health-agenda.pdf",
    "illinois-finance-authority-agenda.pdf",
    "chicago-police-district-council-001-2023-06-06.pdf",
)
CHILD = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from bench.batch_api import corpus
from tests.batch_runs import batch_settings, run_many
settings = batch_settings(sys.argv[1], Path(sys.argv[2]), chunk_tokens={chunk})
asyncio.run(run_many(settings, corpus(int(sys.argv[3]))))
"""


def corpus(count: int) -> list[Meeting]:
    """``count`` meetings: the small shared packs (when present), sample copies, ~1 in 6 repeated."""
    found = [summarise.load_pack(SHARED / name) for name in SMALL_SHARED if (SHARED / name).exists()]
    repeats = max(1, count // 6)
    copies = meetings(max(0, count - len(found) - repeats))
    return [*found, *copies, *copies[:repeats]][:count]


def distinct(server: FakeOpenAIServer) -> int:
    return len(server.batches.lines_by_custom_id)


CHUNK_TOKENS = 600  # small enough that long items are cut: map, reduce, then synopsis (three stages)


def run(server: FakeOpenAIServer, cache: Path, many: list[Meeting], **overrides: Any) -> tuple[Any, float]:
    server.prefixes.clear()
    overrides.setdefault("chunk_tokens", CHUNK_TOKENS)
    started = time.perf_counter()
    summaries, client = asyncio.run(run_many(batch_settings(server.base_url, cache, **overrides), many))
    wall = time.perf_counter() - started
    fallbacks = sum(len(s.provenance.fallbacks) for s in summaries)
    return {"client": client, "summaries": summaries, "fallbacks": fallbacks}, wall


def measure(count: int) -> dict[str, Any]:
    many = corpus(count)
    out: dict[str, Any] = {"meetings": len(many)}
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer() as server:
        root = Path(tmp)
        direct, direct_wall = run(server, root / "direct", many, batch_api=False)
        d_usage = direct["client"].usage
        out["direct"] = {
            "calls": d_usage.calls,
            "cost_usd": d_usage.estimated_cost_usd,
            "wall_s": direct_wall,
        }
        server.reset()
        batched, wall = run(server, root / "batch", many)
        usage, stats = batched["client"].usage, batched["client"].batch.stats
        lines = sum(server.batches.lines_by_custom_id.values())
        out["batch"] = {
            "calls": usage.calls,
            "cost_usd": usage.estimated_cost_usd,
            "wall_s": wall,
            "batches": stats.batches,
            "lines_per_batch": stats.sizes,
            "lines": lines,
            "distinct_requests": distinct(server),
            "lines_per_distinct": lines / max(1, distinct(server)),
            "cost_ratio": usage.estimated_cost_usd / max(d_usage.estimated_cost_usd, 1e-12),
            "fallbacks": batched["fallbacks"],
            "requests_merged": usage.cached_calls,  # asked again by a repeated meeting: no line, no cost
        }
        server.reset()
        server.batches.lines_by_custom_id.clear()
        server.batches.script = ["expire:0.5", "fail:0.2"]  # the first batch expires half done, then 20% 500s
        faulty, wall = run(server, root / "faults", many)
        f_stats, f_usage = faulty["client"].batch.stats, faulty["client"].usage
        out["expire_and_fail"] = {
            "batches": f_stats.batches,
            "lines": sum(server.batches.lines_by_custom_id.values()),
            "distinct_requests": distinct(server),
            "retried_unanswered": f_stats.retried,
            "retried_500": faulty["client"].retries,
            "cost_ratio": f_usage.estimated_cost_usd / max(d_usage.estimated_cost_usd, 1e-12),
            "fallbacks": faulty["fallbacks"],
            "wall_s": wall,
        }
    out["resume"] = resume(many)
    return out


def resume(many: list[Meeting]) -> dict[str, Any]:
    """Kill a run after its first batch is created, start it again, and count what was sent twice."""
    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer() as server:
        server.batches.delay = 3600.0
        args = [server.base_url, tmp, str(len(many))]
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD.format(root=str(ROOT), chunk=CHUNK_TOKENS), *args],
            cwd=ROOT,
            stderr=subprocess.DEVNULL,
        )
        while not server.batches.batches and child.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)  # let it record the batch id too (a kill before that is found by metadata)
        child.send_signal(signal.SIGKILL)
        child.wait()
        first = next(iter(server.batches.batches.values()))
        first_lines = first.counts["total"]
        before = set(server.batches.lines_by_custom_id)
        server.batches.delay = 0.0
        restarted, wall = run(server, Path(tmp), many)
        sent = server.batches.lines_by_custom_id
        again = sum(n - 1 for n in sent.values() if n > 1)
        stats = restarted["client"].batch.stats
        return {
            "killed_after_batches": 1,
            "first_batch_lines": first_lines,
            "restart_wall_s": wall,
            "taken_over_jobs": restarted["client"].batch.taken_over,
            "resumed_requests": stats.resumed,
            "lines_sent_again": again,
            "new_batches_after_restart": stats.batches,
            "first_batch_requests_resent": len(before & set(server.batches.lines_by_custom_id))
            - len(before)
            + again,
            "fallbacks": restarted["fallbacks"],
        }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--meetings", type=int, default=30)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    result = measure(args.meetings)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
