"""The two halves of surviving a real server, each testable without a network.

* :func:`retry_policy` — the one retry layer for transient failures (429, 5xx,
  timeouts, dropped connections): exponential backoff with full jitter, the
  server's ``Retry-After`` honoured, a bounded number of attempts.
* :func:`reask_messages` — instructor-style re-ask: the bad output and the
  validation error go back to the model so it can fix its answer.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import random
import time
from typing import Any
from urllib.parse import urlsplit

import openai
import pydantic
import tenacity

from summarise.engines.model.modes import says_format_unsupported
from summarise.engines.model.prompts import load_prompt
from summarise.settings import Settings

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504, 520, 522, 524, 529})


class NeverReached(Exception):
    """The first connection to the server was refused: nothing listens at the URL."""


def is_refused(exc: openai.APIConnectionError) -> bool:
    """A refused connection (not a timeout, not a dropped one)."""
    if isinstance(exc, openai.APITimeoutError):
        return False
    cause = exc.__cause__
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError) or type(cause).__name__ == "ConnectError":
            return True
        cause = cause.__cause__
    return False


def endpoint_label(settings: Settings) -> str:
    """The server's URL as it may be shown: no user, password, query or fragment."""
    url = urlsplit(settings.base_url or "https://api.openai.com/v1")
    host = url.hostname or ""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{host}{port}{url.path}"


def rejection_message(exc: openai.APIStatusError) -> str:
    """A non-retryable HTTP error as one line a user can act on (the body cut short, no headers)."""
    code = exc.status_code
    detail = " ".join(str(exc.message).split())[:200]
    if code == 413:
        return (
            f"the request was too large for the server (HTTP 413); lower the context_tokens setting: {detail}"
        )
    if code == 422:
        return f"the server could not process the request (HTTP 422): {detail}"
    return f"the server rejected the request (HTTP {code} {type(exc).__name__}): {detail}"


class TransientResponseError(Exception):
    """The server answered 200 with a body that is not a chat completion (cut off, HTML...): retry."""


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, openai.APIConnectionError | TransientResponseError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        if says_format_unsupported(exc):
            return False  # asking again will not change the server's mind about the format
        return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, ``retry-after`` seconds or date)."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / divisor
        except ValueError:
            if name != "retry-after":
                continue
            try:
                seconds = email.utils.parsedate_to_datetime(value).timestamp() - time.time()
            except (ValueError, TypeError):
                continue
        if math.isfinite(seconds):
            return max(0.0, seconds)
    return None


class RetryAfterWait(tenacity.wait.wait_base):
    """The server's Retry-After when it gives one, else exponential backoff with full jitter."""

    def __init__(self, initial: float, maximum: float, longest_asked: float = 600.0) -> None:
        self.initial = initial
        self.maximum = maximum
        self.longest_asked = longest_asked

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = retry_after_seconds(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self.longest_asked)  # honoured in full (a longer ask stops: see below)
        ceiling = min(self.maximum, self.initial * 2 ** (retry_state.attempt_number - 1))
        return random.uniform(0, ceiling)


class AskedTooLong(tenacity.stop.stop_base):
    """Stop when the server asks to wait longer than ``max_retry_wait``: give up, do not hammer it."""

    def __init__(self, longest: float) -> None:
        self.longest = longest

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        asked = retry_after_seconds(exc) if exc is not None else None
        return asked is not None and asked > self.longest


def _log_retry(retry_state: tenacity.RetryCallState) -> None:
    exc = retry_state.outcome.exception() if retry_state.outcome else None
    wait = retry_state.next_action.sleep if retry_state.next_action else 0.0
    log.warning(
        "transient model error (%s); retry %d in %.1f s",
        describe_error(exc),
        retry_state.attempt_number,
        wait,
    )


def describe_error(exc: BaseException | None) -> str:
    """A short description that never includes request headers (so never the key)."""
    if exc is None:
        return "none"
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code} {type(exc).__name__}"
    return type(exc).__name__


def retry_policy(settings: Settings) -> tenacity.AsyncRetrying:
    """The one retry layer: at most ``settings.max_retries`` retries of transient errors.

    The last error is re-raised unchanged when attempts run out; the caller maps it.
    """
    return tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception(is_transient),
        wait=RetryAfterWait(settings.retry_initial_wait, settings.retry_max_wait, settings.max_retry_wait),
        stop=tenacity.stop_after_attempt(settings.max_retries + 1) | AskedTooLong(settings.max_retry_wait),
        before_sleep=_log_retry,
        reraise=True,
    )


# -- re-ask ---------------------------------------------------------------------------------


def format_validation_error(error: Exception, limit: int = 20) -> str:
    """The problems in a form a model can act on: one line per error, with the path to the field."""
    if isinstance(error, pydantic.ValidationError):
        lines = []
        for err in error.errors(include_url=False)[:limit]:
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            if err["type"] == "json_invalid":
                lines.append(f"- the reply is not valid JSON: {err.get('ctx', {}).get('error', err['msg'])}")
            else:
                lines.append(f"- {loc}: {err['msg']}")
        more = error.error_count() - limit
        if more > 0:
            lines.append(f"- ... and {more} more")
        return "\n" + "\n".join(lines)
    if isinstance(error, json.JSONDecodeError):
        return f"the reply is not valid JSON ({error.msg} at line {error.lineno} column {error.colno})"
    return str(error)


def reask_messages(
    messages: list[dict[str, Any]],
    bad_output: str,
    error: Exception | str,
    prompts_dir: str | None = None,
) -> list[dict[str, Any]]:
    """``messages`` plus the bad answer and a user turn that quotes the error (a new list)."""
    text = error if isinstance(error, str) else format_validation_error(error)
    feedback = load_prompt("reask", prompts_dir).render(error=text).strip()
    return [
        *messages,
        {"role": "assistant", "content": bad_output},
        {"role": "user", "content": feedback},
    ]
