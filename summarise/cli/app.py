"""The ``summarise`` command: its parser (one list of commands) and ``main``.

Exit codes and error messages live in ``cli.exits``; shared flags in ``cli.options``; each larger command
in its own module with a ``register(sub)`` function listed in ``COMMANDS``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from summarise import errors
from summarise._redact import install_log_redaction
from summarise._version import __version__
from summarise.api import summarise_pack
from summarise.cli import batch, evalcmd
from summarise.cli.exits import (
    EXIT_CODES_HELP,
    EXIT_FALLBACK,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_MODEL,
    EXIT_OK,
    EXIT_REGRESSION,
    EXIT_UNSUPPORTED,
    CommandFailed,
    as_flags,
    exit_code_for,
    report_error,
)
from summarise.cli.options import (
    ESTIMATE_OPTIONS,
    add_model_options,
    add_packs,
    add_quiet,
    cache_options,
    cli_settings,
    model_settings,
    parse_prices,
    show_progress,
)
from summarise.engines import choose_engine, engine_names
from summarise.engines.model.estimate import estimate_run
from summarise.ingest import load_pack
from summarise.models.summary import MeetingSummary, json_schema
from summarise.progress import resolve_progress
from summarise.render import OutputFormat, check_output_path, pdf_folder_for, render, write_output
from summarise.verify import verify_summary

__all__ = [  # names tests and older callers import from here
    "EXIT_FALLBACK",
    "EXIT_INPUT",
    "EXIT_INTERRUPTED",
    "EXIT_MODEL",
    "EXIT_OK",
    "EXIT_REGRESSION",
    "EXIT_UNSUPPORTED",
    "CommandFailed",
    "as_flags",
    "build_parser",
    "cli_settings",
    "exit_code_for",
    "main",
    "model_settings",
    "output_format",
    "parse_prices",
]

log = logging.getLogger("summarise")

EPILOG = (
    """examples:
  summarise run examples/sample-pack.pdf -o summary.md            offline, no key needed
  summarise run pack.pdf --engine llm --model gpt-4o-mini -o s.html
  summarise estimate pack.pdf --model gpt-4o-mini                   tokens and cost first
  summarise verify summary.json pack.pdf                            check a summary's claims

"""
    + EXIT_CODES_HELP
)
FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)
SUFFIX_FORMATS: dict[str, OutputFormat] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


# --- helpers -----------------------------------------------------------------------------------------


def output_format(fmt: OutputFormat | None, output: Path | None) -> OutputFormat:
    """``--format``, else the output's suffix; a suffix that names no format is refused, not guessed."""
    if fmt:
        return fmt
    if output is None:
        return "markdown"
    found = SUFFIX_FORMATS.get(output.suffix.lower())
    if found is None:
        raise errors.ConfigurationError(
            f"-o {output.name}: cannot tell the format from {output.suffix or 'a name without a suffix'!r}; "
            "use .md, .html or .json, or give --format"
        )
    return found


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        text = text if text.endswith("\n") else text + "\n"
        # Never a UnicodeEncodeError on a narrow or odd stdout encoding: unencodable characters show as "?".
        encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
        sys.stdout.write(text.encode(encoding, "replace").decode(encoding))
    else:
        write_output(text, output)


def _item_rows(items: Sequence[dict[str, Any]], depth: int = 0) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for item in items:
        pages = f"{item['start_page']}-{item['end_page']}" if item["start_page"] else "no papers"
        rows.append(
            (
                "  " * depth + str(item["number"]),
                str(item["title"])[:70],
                pages,
                str(len(item["documents"])),
                str(item["tokens"]),
            )
        )
        rows.extend(_item_rows(item.get("sub_items", []), depth + 1))
    return rows


def format_ingest_table(report: dict[str, Any]) -> str:
    info = report["meeting"]
    head = " ".join(str(info[k]) for k in ("body", "date", "time") if info.get(k)) or "(meeting)"
    lines = [f"{head}: {report['pages']} pages, {len(report['items'])} items"]
    rows = [("item", "title", "pages", "docs", "tokens"), *_item_rows(report["items"])]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines += [f"warning: {w}" for w in report.get("warnings", [])]
    return "\n".join(lines) + "\n"


# --- commands ----------------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    meeting = load_pack(
        args.packs,
        settings=cli_settings(args),
        as_one_meeting=args.as_one_meeting,
        progress=resolve_progress(show_progress(args)),
    )
    report = meeting.ingest_report()
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_ingest_table(report))
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    output: Path | None = args.output
    if output is not None:
        check_output_path(output)
    fmt = output_format(args.format, output)
    settings = cli_settings(args)
    engine = choose_engine(args.engine, settings)
    if not args.quiet:
        defaulted = args.engine == "auto" and engine == "extractive"
        why = " (no API key or base URL configured)" if defaulted else ""
        print(f"summarise: using the {engine} engine{why}", file=sys.stderr)
    summary = summarise_pack(
        args.packs,
        engine,
        settings=settings,
        repair=args.repair,
        progress=show_progress(args),
        as_one_meeting=args.as_one_meeting,
    )
    folder = pdf_folder_for(args.packs, output)  # page links open the PDFs from where -o writes
    write_text(render(summary, fmt, pdf_folder=folder), output)
    if not args.quiet:
        usage = summary.usage
        print(
            f"summarise: {len(summary.items)} items, {len(summary.footnotes)} footnotes; "
            f"{usage.calls} model calls ({usage.cached_calls} cached), "
            f"{usage.input_tokens}+{usage.output_tokens} tokens, ~${usage.estimated_cost_usd:.4f}",
            file=sys.stderr,
        )
    misleading = summary.verification.misleading
    if args.strict and misleading:
        raise errors.UnsupportedFigureError(
            f"{len(misleading)} unsupported claim(s) remain: {_listed(misleading)}"
        )
    if summary.provenance.fallbacks:
        for line in summary.provenance.fallbacks:
            print(f"summarise: fallback: {as_flags(line)}", file=sys.stderr)
        count = len(summary.provenance.fallbacks)
        print(f"summarise: completed with {count} fallback(s) to the offline engine", file=sys.stderr)
        return EXIT_FALLBACK
    return EXIT_OK


def cmd_estimate(args: argparse.Namespace) -> int:
    settings = cli_settings(args)
    meeting = load_pack(
        args.packs,
        settings=settings,
        as_one_meeting=args.as_one_meeting,
        progress=resolve_progress(show_progress(args)),
    )
    estimate = estimate_run(meeting, settings)
    sys.stdout.write(estimate.describe() + "\n")
    return EXIT_OK


def read_summary(path: Path) -> Any:
    if not path.is_file():
        raise errors.InputNotFoundError(path, "no such file")
    try:
        return MeetingSummary.from_json(path.read_bytes())
    except ValidationError as exc:
        raise errors.InputError(
            path,
            f"not a summary in this schema ({exc.error_count()} problem(s))",
            "give a file written by `summarise run --format json`",
        ) from None


def format_findings(verification: Any) -> str:
    lines = [f"checked {verification.checked} claims; {len(verification.findings)} finding(s)"]
    for f in verification.findings:
        where = f"item {f.item}" if f.item else "synopsis"
        pages = ",".join(map(str, f.pages_searched[:8])) + ("..." if len(f.pages_searched) > 8 else "")
        lines.append(f"{f.severity:7} {f.kind:8} {where}: {f.text!r}: {f.message} (pages {pages})")
    return "\n".join(lines) + "\n"


def _listed(findings: Sequence[Any], most: int = 5) -> str:
    """ "item 5 status: 'Cabinet unanimously agreed ...'; ..." for an error message."""
    shown = [
        f"{'item ' + f.item if f.item else 'synopsis'} {f.kind}: {f.text[:80]!r}" for f in findings[:most]
    ]
    more = f"; and {len(findings) - most} more" if len(findings) > most else ""
    return "; ".join(shown) + more


def cmd_verify(args: argparse.Namespace) -> int:
    summary = read_summary(args.summary)
    meeting = load_pack(
        args.packs,
        settings=cli_settings(args),
        as_one_meeting=args.as_one_meeting,
        progress=resolve_progress(show_progress(args)),
    )
    verification = verify_summary(summary, meeting)
    sys.stdout.write(format_findings(verification))
    misleading = verification.misleading
    if misleading:
        raise CommandFailed(
            f"{len(misleading)} unsupported claim(s) remain: {_listed(misleading)}", EXIT_UNSUPPORTED
        )
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(json_schema(), indent=2) + "\n")
    return EXIT_OK


def cmd_prompts_export(args: argparse.Namespace) -> int:
    """Copy the shipped prompt files into a folder, to edit and use with --prompts (or SUMMARISE_PROMPTS)."""
    # The prompt files live with the model engine; only this command needs them here.
    from summarise.engines.model.prompts import packaged_prompts_dir  # noqa: PLC0415

    source = packaged_prompts_dir()
    target: Path = args.folder
    files = sorted(source.glob("*.md"))
    clashes = [f.name for f in files if (target / f.name).exists()]
    if clashes and not args.force:
        raise errors.ConfigurationError(
            f"{target}: {len(clashes)} prompt file(s) already there ({clashes[0]}, ...); "
            "give --force to overwrite"
        )
    if target.exists() and not target.is_dir():
        raise errors.ConfigurationError(f"{target}: not a folder")
    target.mkdir(parents=True, exist_ok=True)
    for file in files:
        (target / file.name).write_bytes(file.read_bytes())
    print(f"summarise: {len(files)} prompt files written to {target}; use them with --prompts {target}")
    return EXIT_OK


# --- parser ------------------------------------------------------------------------------------------


Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


def add_ingest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="find a pack's agenda items and their pages")
    add_packs(p)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cache_options(p)
    add_quiet(p)
    p.set_defaults(func=cmd_ingest)


def add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        help="summarise a pack",
        description="Summarise one meeting's papers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_packs(p)
    p.add_argument(
        "-o", "--output", type=Path, help="write here (.md, .html or .json: the format) instead of stdout"
    )
    p.add_argument(
        "--format", choices=FORMATS, help="output format (default: from -o's suffix, else markdown)"
    )
    p.add_argument(
        "--engine",
        choices=engine_names(),
        default="auto",
        help="llm: the model; extractive: offline, no key; auto (default): llm when a key or URL is set",
    )
    add_quiet(p, "no progress or summary lines on stderr")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when an unsupported figure, decision or person, or another item's text, remains",
    )
    p.add_argument(
        "--no-fallback",
        dest="fallback",
        action="store_const",
        const=False,
        help="fail (exit 4, naming the item) instead of writing the offline engine's summary for it",
    )
    p.add_argument(
        "--repair", action="store_true", help="model engine: re-ask once for items with unsupported figures"
    )
    add_model_options(p)
    p.set_defaults(func=cmd_run)


def add_verify(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("verify", help="check a summary's figures, names and acronyms against the pack")
    p.add_argument("summary", type=Path, metavar="SUMMARY.json")
    add_packs(p)
    cache_options(p)
    add_quiet(p)
    p.set_defaults(func=cmd_verify)


def add_estimate(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("estimate", help="tokens and cost of a model run, before any call")
    add_packs(p)
    add_model_options(p, only=ESTIMATE_OPTIONS)
    add_quiet(p)
    p.set_defaults(func=cmd_estimate)


def add_prompts(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("prompts", help="work with the prompt files")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="copy the shipped prompts into FOLDER to edit")
    export.add_argument("folder", type=Path, metavar="FOLDER")
    export.add_argument("--force", action="store_true", help="overwrite prompt files already in FOLDER")
    export.set_defaults(func=cmd_prompts_export)


def add_schema(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(func=cmd_schema)


# Every command, in the order `summarise --help` lists them: a module adds its ``register`` here.
COMMANDS: list[Register] = [
    add_ingest,
    add_run,
    add_verify,
    add_estimate,
    batch.register,
    evalcmd.register,
    add_prompts,
    add_schema,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarise",
        description="Summarise council meeting papers: agenda items, figures and footnotes, checked "
        "against the pages they cite.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"summarise {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="log more (-vv for debug)")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for hints that repeat the user's flags
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # no log line shows a key, whatever logged it
    try:
        code: int = args.func(args)
    except (errors.SummariseError, CommandFailed) as exc:
        return report_error(exc)
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    raise SystemExit(main())
