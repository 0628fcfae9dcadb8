"""Exit codes, and the one place that maps error families to them and prints the one-line message."""

from __future__ import annotations

import re
import sys

from summarise import errors
from summarise._redact import redact

EXIT_OK, EXIT_REGRESSION, EXIT_INPUT, EXIT_UNSUPPORTED, EXIT_MODEL, EXIT_FALLBACK = 0, 1, 2, 3, 4, 5
EXIT_BATCH_FAILED = 6  # batch: some meetings failed (the others are written)
EXIT_INTERRUPTED = 130
EXIT_CODES_HELP = """exit codes:
  0 done    1 evaluation regression    2 bad input or configuration
  3 misleading claims remain (verify, run --strict): figures, decisions or people the pages do not
    support, or another item's text under an item
  4 the model failed    5 done, but some items were written by the offline engine (fallbacks)
  6 batch: some meetings failed; the others are written    130 interrupted"""


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
ARGUMENT_FLAGS = {"pass as_one_meeting=True": "give --as-one-meeting"}  # library arguments, as flags


def as_flags(message: str) -> str:
    """A library message in the command line's words: "the base_url setting" -> "--base-url"."""
    for argument, flag in ARGUMENT_FLAGS.items():
        message = message.replace(argument, flag)
    return _SETTING.sub(lambda m: FLAG_FOR.get(m.group(1), m.group(0)), message)


def report_error(exc: errors.SummariseError | CommandFailed) -> int:
    """Print the one-line message (never a key) and return the exit code."""
    where = f"item {exc.item}: " if isinstance(exc, errors.ModelError) and exc.item else ""
    print(redact(f"summarise: error: {where}{as_flags(str(exc))}"), file=sys.stderr)
    return exit_code_for(exc)
