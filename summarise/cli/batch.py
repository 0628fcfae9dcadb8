"""``summarise batch``: many meetings in one run, written to a folder, resumable.

Meetings come from PDFs and folders (one meeting per PDF, or per sub-folder of PDFs) or a
manifest (``--manifest FILE.csv|.jsonl``). Each finished meeting is written at once
(``OUTDIR/<id>.{json,md,html}``) and recorded in ``OUTDIR/.batch/``, so a run that is stopped,
even by SIGKILL, resumes where it was: finished meetings are skipped and the model calls already
paid for come from the call cache. ``OUTDIR/index.{json,md}`` lists every meeting of the run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from summarise.batch import Batch, MeetingResult, MeetingSpec, OutputFolder, discover, read_manifest
from summarise.batch.inputs import unique_ids
from summarise.cli.exits import EXIT_BATCH_FAILED, EXIT_CODES_HELP, EXIT_FALLBACK, EXIT_OK, as_flags
from summarise.cli.options import add_model_options, cli_settings
from summarise.engines import choose_engine, engine_names
from summarise.errors import ConfigurationError
from summarise.models.summary import Usage
from summarise.settings import Settings

EXAMPLES = """examples:
  summarise batch papers/ -o out/ --engine extractive           one meeting per PDF or sub-folder
  summarise batch --manifest meetings.csv -o out/ --model gpt-4o-mini --max-cost 5
  summarise batch papers/ -o out/ --dask local                  ingest on a local Dask cluster
  summarise batch papers/ -o out/ --dask tcp://scheduler:8786   ... or on your cluster

"""


def collect(args: argparse.Namespace) -> list[MeetingSpec]:
    """The run's meetings: from the manifest, then the PDFs and folders given."""
    specs: list[MeetingSpec] = read_manifest(args.manifest) if args.manifest else []
    if args.targets:
        specs += discover(args.targets)
    if not specs:
        raise ConfigurationError("give PDFs or folders of meetings, or --manifest FILE.csv|.jsonl")
    return unique_ids(specs)


class Progress:
    """One line on stderr per finished meeting: meetings done of all, and the batch's calls."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.quiet = quiet
        self.done = 0
        self.started = time.monotonic()

    def show(self, result: MeetingResult, batch_usage: Usage) -> None:
        self.done += 1
        if self.quiet:
            return
        mine = result.usage
        what = f"{len(result.summary.items)} items" if result.summary else as_flags(str(result.error))
        print(
            f"summarise batch: [{self.done}/{self.total}] {result.meeting_id}: {result.status}, {what}; "
            f"{mine.calls} calls ({mine.cached_calls} cached) | batch: {batch_usage.calls} calls "
            f"({batch_usage.cached_calls} cached), ~${batch_usage.estimated_cost_usd:.4f}",
            file=sys.stderr,
        )


async def run_batch(
    specs: list[MeetingSpec], folder: OutputFolder, settings: Settings, engine: str, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """Summarise ``specs`` and write each as it finishes; the index rows written, by meeting id."""
    rows: dict[str, dict[str, Any]] = {}
    progress = Progress(len(specs), args.quiet)
    batch = Batch(settings, engine, meetings_at_once=args.meetings_at_once, dask=args.dask)
    async with batch:
        async for result in batch.run(specs):
            rows[result.meeting_id] = await asyncio.to_thread(folder.write, result)
            progress.show(result, batch.usage)
    return rows


def totals(rows: list[dict[str, Any]], resumed: int, seconds: float) -> dict[str, Any]:
    statuses = [row["status"] for row in rows]
    return {
        "meetings": len(rows),
        "ok": statuses.count("ok"),
        "fallback": statuses.count("fallback"),
        "failed": statuses.count("failed"),
        "resumed": resumed,
        "calls": sum(row["calls"] for row in rows),
        "cached_calls": sum(row["cached_calls"] for row in rows),
        "cost_usd": round(sum(row["cost_usd"] for row in rows), 6),
        "seconds": round(seconds, 1),
    }


def cmd_batch(args: argparse.Namespace) -> int:
    started = time.monotonic()
    settings = cli_settings(args)
    engine = choose_engine(args.engine, settings)
    specs = collect(args)
    folder = OutputFolder(args.output, settings, engine)
    earlier = {} if args.force else {s.meeting_id: folder.finished(s) for s in specs}
    rows = {k: v for k, v in earlier.items() if v is not None}
    todo = [s for s in specs if s.meeting_id not in rows]
    if not args.quiet:
        again = f"; {len(rows)} finished earlier, not redone (--force redoes them)" if rows else ""
        print(f"summarise batch: {len(specs)} meetings, the {engine} engine{again}", file=sys.stderr)
    try:
        if todo:
            rows.update(asyncio.run(run_batch(todo, folder, settings, engine, args)))
    finally:  # also when interrupted: the index lists what is finished so far
        ordered = [rows[s.meeting_id] for s in specs if s.meeting_id in rows]
        summary = totals(ordered, len(specs) - len(todo), time.monotonic() - started)
        folder.write_index(ordered, summary)
    if not args.quiet:
        print(
            f"summarise batch: {summary['ok']} ok, {summary['fallback']} with fallbacks, "
            f"{summary['failed']} failed, {summary['resumed']} resumed; {summary['calls']} model calls "
            f"({summary['cached_calls']} cached), ~${summary['cost_usd']:.4f}; index: {args.output}/index.md",
            file=sys.stderr,
        )
    if summary["failed"]:
        return EXIT_BATCH_FAILED
    return EXIT_FALLBACK if summary["fallback"] else EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "batch",
        help="summarise many meetings into a folder (resumable)",
        description="Summarise many meetings on one model client, cache, concurrency limit and budget. "
        "Each meeting is written to OUTDIR as it finishes; a re-run skips the finished ones.",
        epilog=EXAMPLES + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "targets", nargs="*", type=Path, metavar="PACK_OR_DIR",
        help="a PDF (one meeting) or a folder: one meeting per PDF, or per sub-folder of PDFs",
    )  # fmt: skip
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUTDIR", help="the outputs' folder")
    p.add_argument(
        "--manifest", type=Path, metavar="FILE.csv|.jsonl",
        help="meetings listed: 'files' (names joined by ;), optional 'id', 'body', 'date' (YYYY-MM-DD)",
    )  # fmt: skip
    p.add_argument("--force", action="store_true", help="redo meetings finished by an earlier run")
    p.add_argument("--engine", choices=engine_names(), default="auto", help="as for `summarise run`")
    p.add_argument(
        "--meetings-at-once", type=int,
        help="meetings in progress at once (default: the concurrency; with --batch-api, all of them)",
    )  # fmt: skip
    p.add_argument(
        "--dask", metavar="ADDRESS|local",
        help="read meetings (and run the offline engine) on a Dask cluster; 'local' starts one here",
    )  # fmt: skip
    p.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr")
    add_model_options(p)
    p.set_defaults(func=cmd_batch)
