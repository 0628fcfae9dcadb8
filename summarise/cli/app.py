"""The ``summarise`` command. Maps error families to exit codes in one place (see ``EPILOG``)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from summarise import errors
from summarise._redact import install_log_redaction, redact
from summarise._version import __version__
from summarise.api import summarise_pack
from summarise.engines import choose_engine, engine_names
from summarise.engines.model.estimate import estimate_run
from summarise.evaluation import run_eval
from summarise.ingest import load_pack
from summarise.models.summary import MeetingSummary, json_schema
from summarise.render import check_output_path, render_html, render_json, render_markdown, write_output
from summarise.settings import ModelPrice, Settings, StructuredMode
from summarise.verify import verify_summary

log = logging.getLogger("summarise")

EXIT_OK, EXIT_REGRESSION, EXIT_INPUT, EXIT_UNSUPPORTED, EXIT_MODEL, EXIT_FALLBACK = 0, 1, 2, 3, 4, 5
EXIT_INTERRUPTED = 130
PACK_HELP = "a PDF (or several files of one meeting: agenda, reports, supplements)"
EPILOG = """examples:
  summarise run examples/sample-pack.pdf -o summary.md            offline, no key needed
  summarise run pack.pdf --engine llm --model gpt-4o-mini -o s.html
  summarise estimate pack.pdf --model gpt-4o-mini                   tokens and cost first
  summarise verify summary.json pack.pdf                            check a summary's claims

exit codes:
  0 done    1 evaluation regression    2 bad input or configuration
  3 misleading claims remain (verify, run --strict): figures, decisions or people the pages do not
    support, or another item's text under an item
  4 the model failed    5 done, but some items were written by the offline engine (fallbacks)
  130 interrupted"""
FORMATS = ("markdown", "html", "json")
SUFFIX_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
}


class CommandFailed(Exception):
    """A command's own non-error failure (regression, unsupported figures) with its exit code."""

    def __init__(self, message: str, code: int) -> None:
        self.code = code
        super().__init__(message)


def exit_code_for(exc: BaseException) -> int:
    if isinstance(exc, CommandFailed):
        return exc.code
    if isinstance(exc, errors.UnsupportedFigureError):
        return EXIT_UNSUPPORTED
    if isinstance(exc, errors.ModelError):
        return EXIT_MODEL
    if isinstance(exc, errors.SummariseError):
        return EXIT_INPUT
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return EXIT_INPUT


# --- helpers -----------------------------------------------------------------------------------------


def output_format(fmt: str | None, output: Path | None) -> str:
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
    meeting = load_pack(args.packs, settings=cli_settings(args))
    report = meeting.ingest_report()
    if args.json:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_ingest_table(report))
    return EXIT_OK


def model_settings(args: argparse.Namespace) -> dict[str, Any]:
    """CLI flags named like ``Settings`` fields; unset flags are left to the environment."""
    settings: dict[str, Any] = {name: getattr(args, name, None) for name in Settings.model_fields}
    settings = {k: v for k, v in settings.items() if v is not None}
    prices: list[str] = settings.pop("prices", [])
    settings.update(parse_prices(prices))
    if getattr(args, "no_cache", False):
        settings["use_cache"] = False
    return settings


def parse_prices(values: Sequence[str]) -> dict[str, Any]:
    """``--prices MODEL=IN,OUT[,CACHED]`` (USD per 1M tokens, repeatable) or ``--prices FILE.json``."""
    prices: dict[str, ModelPrice] = {}
    found: dict[str, Any] = {}
    for value in values:
        name, sep, pair = value.rpartition("=")
        if not sep:
            found["price_file"] = Path(value)
            continue
        try:
            numbers = [float(v) for v in pair.split(",")]
            if len(numbers) not in (2, 3):
                raise ValueError("two or three prices")
            cached = numbers[2] if len(numbers) == 3 else None
            prices[name.strip()] = ModelPrice(input=numbers[0], output=numbers[1], cached_input=cached)
        except ValueError:
            raise errors.ConfigurationError(
                f"--prices {value!r}: give MODEL=IN,OUT in USD per million tokens, e.g. gpt-4o-mini=0.15,0.6"
            ) from None
    if prices:
        found["prices"] = prices
    return found


def cli_settings(args: argparse.Namespace) -> Settings:
    """The run's settings: the environment, then the flags. Read once, here, and passed down."""
    return Settings.from_env(**model_settings(args))


# Library errors name settings ("the base_url setting"); on the command line they are flags.
FLAG_FOR = {
    "base_url": "--base-url",
    "prices": "--prices",
    "max_cost": "--max-cost",
    "context_tokens": "--context-tokens",
    "cache_dir": "--cache-dir",
    "use_cache": "--no-cache",
}
_SETTING = re.compile(r"\bthe (\w+) setting\b")


def as_flags(message: str) -> str:
    """A library message in the command line's words: "the base_url setting" -> "--base-url"."""
    return _SETTING.sub(lambda m: FLAG_FOR.get(m.group(1), m.group(0)), message)


def show_progress(args: argparse.Namespace) -> bool:
    """Bars only for a person watching: not with --quiet, not when stderr is a file or a pipe."""
    return not args.quiet and sys.stderr.isatty()


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
        args.packs, engine, settings=settings, repair=args.repair, progress=show_progress(args)
    )
    renderers = {"markdown": render_markdown, "html": render_html, "json": render_json}
    write_text(renderers[fmt](summary), output)
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
    meeting = load_pack(args.packs, settings=settings)
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
    meeting = load_pack(args.packs, settings=cli_settings(args))
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


def cmd_eval(args: argparse.Namespace) -> int:
    outcome = run_eval(
        args.fixtures,
        baseline=args.baseline,
        update_baseline=args.update_baseline,
        record=args.record,
        report=args.report,
        engine=args.engine,
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


ESTIMATE_OPTIONS = frozenset({"--model", "--base-url", "--prompts", "--prices", "--context-tokens"})


def add_model_options(parser: argparse.ArgumentParser, *, only: frozenset[str] | None = None) -> None:
    """The model engine's flags; ``only``: the subset that applies to a command (``estimate``)."""
    group = parser.add_argument_group("model engine (key from OPENAI_API_KEY)")

    def add(flag: str, **kwargs: Any) -> None:
        if only is None or flag in only:
            group.add_argument(flag, **kwargs)

    add("--model", help="model name (default: $SUMMARISE_MODEL or gpt-4o-mini)")
    add("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    add("--prompts", dest="prompts_dir", type=Path, help="folder of prompt templates to use")
    add("--concurrency", type=int, help="items summarised at once")
    add("--max-cost", type=float, help="stop before the estimated cost passes this (USD)")
    prices = "USD per 1M input,output[,cached input] tokens for a model (repeatable), or a JSON price file"
    add("--prices", action="append", metavar="MODEL=IN,OUT[,CACHED]", help=prices)
    add("--structured", choices=get_args(StructuredMode), help="structured-output mode")
    add("--timeout", type=float, help="seconds per model call")
    add("--context-tokens", type=int, help="the model's context window in tokens (default 128000)")
    add("--temperature", type=float, help="sampling temperature (default 0)")
    add("--seed", type=int, help="sampling seed, where the server supports one")
    add("--max-reasks", type=int, help="re-asks on invalid output before giving up")
    batch_api = "model calls through the OpenAI Batch API: half the price, answers within 24 hours"
    add("--batch-api", action="store_const", const=True, help=batch_api)  # Settings.batch_api
    cache_options(group)


def cache_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--cache-dir", type=Path, help="where the caches live ($XDG_CACHE_HOME/summarise)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write any cache")


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

    p = sub.add_parser("ingest", help="find a pack's agenda items and their pages")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK", help=PACK_HELP)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    cache_options(p)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "run",
        help="summarise a pack",
        description="Summarise one meeting's papers.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK", help=PACK_HELP)
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
    p.add_argument("-q", "--quiet", action="store_true", help="no progress or summary lines on stderr")
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

    p = sub.add_parser("verify", help="check a summary's figures, names and acronyms against the pack")
    p.add_argument("summary", type=Path, metavar="SUMMARY.json")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK", help=PACK_HELP)
    cache_options(p)
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("estimate", help="tokens and cost of a model run, before any call")
    p.add_argument("packs", nargs="+", type=Path, metavar="PACK", help=PACK_HELP)
    add_model_options(p, only=ESTIMATE_OPTIONS)
    p.set_defaults(func=cmd_estimate)

    p = sub.add_parser("eval", help="score fixture meetings offline and compare with a baseline")
    p.add_argument("fixtures", type=Path, metavar="FIXTURES", help="folder of <meeting>/meeting.toml")
    p.add_argument("--baseline", type=Path, help="baseline JSON (default: FIXTURES/baseline.json if present)")
    p.add_argument("--update-baseline", action="store_true", help="write this run's scores as the baseline")
    p.add_argument("--record", action="store_true", help="record cassettes against an endpoint (never in CI)")
    p.add_argument("--report", type=Path, metavar="FILE.md", help="write a Markdown report for CI to post")
    p.add_argument("--engine", choices=("llm", "extractive"), default="llm")
    add_model_options(p)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("prompts", help="work with the prompt files")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser("export", help="copy the shipped prompts into FOLDER to edit")
    export.add_argument("folder", type=Path, metavar="FOLDER")
    export.add_argument("--force", action="store_true", help="overwrite prompt files already in FOLDER")
    export.set_defaults(func=cmd_prompts_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the output")
    p.set_defaults(func=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    install_log_redaction()  # no log line shows a key, whatever logged it
    try:
        code: int = args.func(args)
    except (errors.SummariseError, CommandFailed) as exc:
        where = f"item {exc.item}: " if isinstance(exc, errors.ModelError) and exc.item else ""
        print(redact(f"summarise: error: {where}{as_flags(str(exc))}"), file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    return code


if __name__ == "__main__":
    raise SystemExit(main())
