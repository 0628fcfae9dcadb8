"""``summarise eval``: score fixture meetings offline and compare with a baseline."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from summarise.cli.exits import EXIT_OK, EXIT_REGRESSION, CommandFailed
from summarise.cli.options import add_model_options, model_settings
from summarise.evaluation import run_eval


def rerun_arguments(argv: Sequence[str] | None) -> list[str] | None:
    """The arguments after ``eval`` as the user gave them, for hints to repeat."""
    if not argv or "eval" not in argv:
        return None
    return list(argv[list(argv).index("eval") + 1 :])


def cmd_eval(args: argparse.Namespace) -> int:
    outcome = run_eval(
        args.fixtures,
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        record=args.record,
        report=args.report,
        engine=args.engine,
        out=args.out,
        rerun=rerun_arguments(getattr(args, "argv", None)),
        **model_settings(args),
    )
    sys.stdout.write(outcome.table())
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if step_summary:  # GitHub Actions shows this file on the run's page
        with open(step_summary, "a", encoding="utf-8") as summary_file:
            summary_file.write(outcome.markdown() + "\n")
    for note in outcome.notes:
        print(f"summarise eval: {note}", file=sys.stderr)
    if outcome.failed and not (args.update_baseline and not any(m.error for m in outcome.run.meetings)):
        raise CommandFailed(outcome.failure_message(), EXIT_REGRESSION)
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("eval", help="score fixture meetings offline and compare with a baseline")
    p.add_argument("fixtures", type=Path, metavar="FIXTURES", help="folder of <meeting>/meeting.toml")
    p.add_argument("--baseline", type=Path, help="baseline JSON (default: FIXTURES/baseline.json if present)")
    p.add_argument("--update-baseline", action="store_true", help="write this run's scores as the baseline")
    p.add_argument("--record", action="store_true", help="record cassettes against an endpoint (never in CI)")
    p.add_argument("--report", type=Path, metavar="FILE.md", help="write a Markdown report for CI to post")
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write each meeting's summary (DIR/<meeting>.md) and its diff against the baseline's (.diff)",
    )
    p.add_argument(
        "--engine",
        choices=("llm", "extractive"),
        default="llm",
        help="llm (default): replay the recorded model responses; extractive: the offline engine",
    )
    add_model_options(p, without=frozenset({"--batch-api", "--batch-idle", "--batch-poll-interval"}))
    p.set_defaults(func=cmd_eval)
