"""Flags shared by several commands, and the settings read from them (once, at the entry point)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from summarise import errors
from summarise.settings import ModelPrice, Settings, StructuredMode

PACK_HELP = "a PDF (or several files of one meeting: agenda, reports, supplements)"
ESTIMATE_OPTIONS = frozenset(
    {"--model", "--base-url", "--prompts", "--prices", "--context-tokens", "--batch-api"}
)


def add_packs(parser: argparse.ArgumentParser) -> None:
    """``PACK...`` and ``--as-one-meeting``: every command that reads a meeting's files."""
    parser.add_argument("packs", nargs="+", type=Path, metavar="PACK", help=PACK_HELP)
    parser.add_argument(
        "--as-one-meeting",
        action="store_true",
        help="the files are one meeting even though their front sheets name other dates or bodies",
    )


def add_quiet(parser: argparse.ArgumentParser, help: str = "no progress bars on stderr") -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help=help)


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


def show_progress(args: argparse.Namespace) -> bool:
    """Bars only for a person watching: not with --quiet, not when stderr is a file or a pipe."""
    return not getattr(args, "quiet", False) and sys.stderr.isatty()


def add_model_options(
    parser: argparse.ArgumentParser,
    *,
    only: frozenset[str] | None = None,
    without: frozenset[str] = frozenset(),
) -> None:
    """The model engine's flags; ``only``: the subset that applies to a command (``estimate``);
    ``without``: flags that do not (``eval`` replays recorded answers: no ``--batch-api``)."""
    group = parser.add_argument_group("model engine (key from OPENAI_API_KEY)")

    def add(flag: str, **kwargs: Any) -> None:
        if (only is None or flag in only) and flag not in without:
            group.add_argument(flag, **kwargs)

    add("--model", help="model name (default: $SUMMARISE_MODEL or gpt-4o-mini)")
    add("--base-url", help="OpenAI-compatible endpoint (default: $OPENAI_BASE_URL)")
    add("--prompts", dest="prompts_dir", type=Path, help="folder of prompt templates to use")
    add("--concurrency", type=int, help="items summarised at once")
    add("--max-cost", type=float, help="stop before the estimated cost passes this (USD)")
    add(
        "--prices",
        action="append",
        metavar="MODEL=IN,OUT[,CACHED]",
        help="USD per 1M input,output[,cached input] tokens for a model (repeatable), or a JSON price file",
    )
    add("--structured", choices=get_args(StructuredMode), help="structured-output mode")
    add("--timeout", type=float, help="seconds per model call")
    add("--context-tokens", type=int, help="the model's context window in tokens (default 128000)")
    add("--temperature", type=float, help="sampling temperature (default 0)")
    add("--seed", type=int, help="sampling seed, where the server supports one")
    add("--max-reasks", type=int, help="re-asks on invalid output before giving up")
    batch_api = "model calls through the OpenAI Batch API: half the price, answers within 24 hours"
    add("--batch-api", action="store_const", const=True, help=batch_api)  # Settings.batch_api
    add(
        "--batch-idle",
        type=float,
        metavar="SECONDS",
        help="with --batch-api: a round of requests is sent once none has come for this long (default 2)",
    )
    add(
        "--batch-poll-interval",
        type=float,
        metavar="SECONDS",
        help="with --batch-api: the first wait between polls of a batch, growing with backoff (default 15)",
    )
    cache_options(group)


def cache_options(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument("--cache-dir", type=Path, help="where the caches live ($XDG_CACHE_HOME/summarise)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write any cache")
