"""One error tree for the whole library.

Callers catch :class:`SummariseError` for everything, or a family below it.
The CLI maps families to exit codes in one place (``summarise.cli.exits``); library
code never prints or exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from summarise.models.summary import Usage


class SummariseError(Exception):
    """Base class of every error this library raises on purpose."""


# --- input ------------------------------------------------------------------


class InputError(SummariseError):
    """A pack file cannot be read. The message names the file and what to do."""

    hint = "check the file"

    def __init__(self, path: str | Path, problem: str, hint: str | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.hint = hint or self.hint
        super().__init__(f"{self.path}: {problem}; {self.hint}")

    def __reduce__(self) -> tuple[Any, ...]:  # raised in an ingest worker process, re-raised here
        return (type(self), (self.path, self.problem, self.hint))


class InputNotFoundError(InputError):
    hint = "check the path"


class EmptyInputError(InputError):
    hint = "the file is empty or has no text; download it again"


class NotAPDFError(InputError):
    hint = "give a PDF, or a .txt/.md file"


class CorruptPDFError(InputError):
    hint = "the PDF is damaged or truncated; download it again"


class EncryptedPDFError(InputError):
    hint = "remove the password (e.g. qpdf --decrypt) and try again"


class NoTextLayerError(InputError):
    hint = "the PDF is scanned images with no text; run OCR first (e.g. ocrmypdf)"


class DifferentMeetingsError(InputError):
    """Files given together have front sheets of different meetings (other dates or bodies)."""

    hint = "summarise each meeting on its own, or pass as_one_meeting=True if they are one meeting"


# --- configuration ------------------------------------------------------------


class ConfigurationError(SummariseError):
    """Settings are missing or contradictory (no key, bad URL, unwritable output...)."""


class OutputPathError(ConfigurationError):
    """The output path cannot be written; raised before any work is done."""


# --- model ------------------------------------------------------------------------


class ModelError(SummariseError):
    """The model could not give a usable answer. Carries what was spent."""

    def __init__(
        self,
        message: str,
        *,
        usage: Usage | None = None,
        last_output: str | None = None,
        item: str | None = None,
    ) -> None:
        self.usage = usage
        self.last_output = last_output
        self.item = item
        super().__init__(message)


class InvalidOutputError(ModelError):
    """Output stayed invalid (bad JSON or schema) after every re-ask."""


class RefusalError(ModelError):
    """The model refused to answer."""


class TruncatedOutputError(ModelError):
    """Output was cut off (finish_reason == "length") and could not be split further."""


class BudgetExceededError(ModelError):
    """The next call would take the estimated cost past ``max_cost``."""


class ModelUnavailableError(ModelError):
    """Transient failures (429, 5xx, timeouts) outlasted the retry policy, or auth failed."""


class PromptError(ConfigurationError):
    """A prompt template is missing or has placeholders that were not filled."""


class CassetteMissError(SummariseError):
    """Replay mode met a request that no cassette holds; re-record with --record."""

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        self.details = details or {}
        super().__init__(message)


class UnsupportedFigureError(SummariseError):
    """``--strict``: verification left unsupported figures in the summary."""


# --- ingest's safety limits (summarise.ingest.limits) ------------------------------


class ResourceLimitError(InputError):
    """The file goes past one of ingest's safety limits: no council report pack comes near them."""

    hint = "this is not an ordinary report pack; check where the file came from"


class DecompressionBombError(ResourceLimitError):
    """A compressed stream inflates past the decompression limit (a "flate bomb")."""

    hint = "no report page needs that much; the file may be hostile, so get it from the source again"


class PageTooLargeError(ResourceLimitError):
    """One page's drawing instructions are larger than any report page needs."""

    hint = "split or re-save the PDF (e.g. qpdf) without that page"


class LineTooLongError(ResourceLimitError):
    """A page's text has a line longer than the line-length limit."""

    hint = "the text layer is not ordinary text; re-save or OCR the PDF"


class TooManyPagesError(ResourceLimitError):
    """The file has more pages than the page limit."""

    hint = "split the PDF into the meeting's own documents"


class IngestTimeoutError(ResourceLimitError):
    """Reading the file's text took longer than the time limit."""

    hint = "the PDF is unusually slow to read; re-save it (e.g. qpdf) or split it"
