"""Take credentials out of any text before it is shown, logged or raised.

Three kinds: the values this process was given as secrets (the API key, registered by
:class:`~summarise.settings.Settings`), credentials in URLs (``user:password@``, query values such as
``api-key=``, ``token=``, ``sig=``) and anything shaped like a key (``sk-...``, ``Bearer ...``).
Library messages are built without secrets in the first place; this is the net under them, applied
to every CLI error line and log record.

>>> redact("GET http://u:pw@host/v1?api-version=1&api-key=abc123 failed")
'GET http://***@host/v1?api-version=1&api-key=*** failed'
>>> redact("bad key sk-proj-abcdefghijklmnop1234")
'bad key sk-***'
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MASK = "***"
_MIN_SECRET = 12  # shorter values would mask ordinary words ("synthetic", "not-needed"); keys are longer
_secrets: set[str] = set()
_lock = threading.Lock()

_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@?#]+@")
_QUERY = re.compile(
    r"(?i)([?&;](?:[a-z0-9_-]*(?:key|token|secret|password|passwd|pwd|sig|signature|auth|credential)"
    r"[a-z0-9_-]*|code)=)[^&#\s'\"]+"
)
_KEY_SHAPED = re.compile(r"\b(sk|rk|pk)-[A-Za-z0-9_-]{12,}|\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}")


def register_secret(value: str | None) -> None:
    """Mask ``value`` (e.g. the API key) wherever it appears from now on."""
    if value and len(value.strip()) >= _MIN_SECRET:
        with _lock:
            _secrets.add(value.strip())


_SECRET_NAME = re.compile(r"(?i)key|token|secret|password|passwd|pwd|sig|auth|credential|^code$")


def register_url_secrets(url: str) -> None:
    """Mask the password and credential-like query values (``api-key=``, ``token=``...) of ``url``."""
    parts = urlsplit(url)
    register_secret(parts.password)
    for name, value in parse_qsl(parts.query):
        if _SECRET_NAME.search(name):
            register_secret(value)


def redact(text: str) -> str:
    """``text`` with every known secret, URL credential and key-shaped string masked."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    text = _USERINFO.sub(rf"\1{MASK}@", text)
    text = _QUERY.sub(rf"\1{MASK}", text)
    return _KEY_SHAPED.sub(lambda m: f"{m.group(1)}-{MASK}" if m.group(1) else f"{m.group(2)} {MASK}", text)


class RedactingFilter(logging.Filter):
    """A handler filter: each record's message is formatted, redacted, and its arguments dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, ()
        return True


# Loggers whose records may carry a request URL or a message built from one: this package's own,
# the HTTP stack under the openai SDK (httpx logs every request URL at INFO), and the SDK itself.
REDACTED_LOGGERS = ("summarise", "openai", "httpx", "httpx2", "httpcore")
_factory_lock = threading.Lock()


def _redacting(
    prefixes: tuple[str, ...], make: Callable[..., logging.LogRecord]
) -> Callable[..., logging.LogRecord]:
    scrub = RedactingFilter()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if record.name.startswith(prefixes):
            scrub.filter(record)
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    return factory


def install_record_redaction(prefixes: tuple[str, ...] = REDACTED_LOGGERS) -> None:
    """Redact every log record of ``prefixes``'s loggers as it is made, whatever handler gets it.

    A library cannot know its users' handlers, and a logger's own filters do not reach its child
    loggers, so the net is the record factory: the current factory is wrapped (not replaced), once,
    and records of other loggers pass through untouched. Done when :mod:`summarise` is imported.
    """
    with _factory_lock:
        current = logging.getLogRecordFactory()
        if not getattr(current, "redacts", False):
            logging.setLogRecordFactory(_redacting(prefixes, current))


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Put a :class:`RedactingFilter` on every handler of ``logger`` (default: the root logger)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
