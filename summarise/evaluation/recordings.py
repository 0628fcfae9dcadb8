"""vcrpy conventions for this project: replay by default, no secrets, synthetic label.

- Record once: outside CI a missing cassette is recorded on the first run and replayed after
  (vcrpy's ``"once"``); under ``CI=true`` it is always ``"none"`` (replay only), and a missing
  cassette or a request it lacks is a :class:`~summarise.errors.CassetteMissError` saying what to do,
  never vcrpy's own exception.
- Secret headers, query parameters and key-shaped strings never reach a cassette.
- Requests match on method, path and body: every chat call shares one URL, and
  the local server's port changes from run to run.
- A cassette whose requests all went to loopback (the fake server) is marked
  synthetic: a comment at the top and ``metadata: {synthetic: true}``.

vcrpy is an optional dependency (the ``eval`` extra), imported only when a VCR
is built.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from summarise.errors import CassetteMissError
from summarise.evaluation.cassettes import describe_missed_request

SECRET_HEADERS: tuple[str, ...] = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
)
SECRET_QUERY: tuple[str, ...] = ("api-key", "api_key", "key", "access_token")
MATCH_ON: tuple[str, ...] = ("method", "path", "body")
REDACTED = "REDACTED"
SYNTHETIC_NOTE = (
    "synthetic: recorded against summarise.testing.FakeOpenAIServer on loopback; "
    "the text is extractive filler, not model output"
)
_KEY_SHAPED = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{16,}")
_KEY_ENV = ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "SUMMARISE_API_KEY")
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def effective_record_mode(record_mode: str | None = None) -> str:
    """``record_mode`` (default ``"once"``: a missing cassette is recorded), forced to ``"none"`` under CI."""
    if in_ci():
        return "none"
    return record_mode or "once"


def _secrets() -> list[str]:
    return [v for v in (os.environ.get(name, "") for name in _KEY_ENV) if len(v) >= 8]


def redact_text(text: str) -> str:
    """Replace key-shaped strings and the values of key variables in the environment."""
    for secret in _secrets():
        text = text.replace(secret, REDACTED)
    return _KEY_SHAPED.sub(REDACTED, text)


def _redact_body(body: Any) -> Any:
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
        cleaned = redact_text(text)
        return body if cleaned == text else cleaned.encode("utf-8")
    if isinstance(body, str):
        return redact_text(body)
    return body


def scrub_request(request: Any) -> Any:
    """``before_record_request``: drop secret headers and redact keys in the body."""
    for name in list(request.headers):
        if name.lower() in SECRET_HEADERS:
            del request.headers[name]
    request.body = _redact_body(request.body)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """``before_record_response``: drop cookies and organisation headers, redact keys."""
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    body = response.get("body")
    if isinstance(body, dict) and "string" in body:
        body["string"] = _redact_body(body["string"])
    return response


def _all_loopback(data: dict[str, Any]) -> bool:
    uris = [str(i.get("request", {}).get("uri", "")) for i in data.get("interactions", [])]
    return bool(uris) and all(urlsplit(u).hostname in _LOOPBACK_HOSTS for u in uris)


class _LabellingYAML:
    """vcrpy's YAML serializer, plus the synthetic label for loopback recordings."""

    def __init__(self) -> None:
        from vcr.serializers import yamlserializer  # noqa: PLC0415 - optional dependency, eval extra

        self._yaml = yamlserializer

    def deserialize(self, cassette_string: str) -> Any:
        return self._yaml.deserialize(cassette_string)

    def serialize(self, cassette_dict: dict[str, Any]) -> str:
        if not _all_loopback(cassette_dict):
            return str(self._yaml.serialize(cassette_dict))
        metadata = {**cassette_dict.get("metadata", {}), "synthetic": True, "note": SYNTHETIC_NOTE}
        text = str(self._yaml.serialize({**cassette_dict, "metadata": metadata}))
        return f"# SYNTHETIC cassette ({SYNTHETIC_NOTE})\n{text}"


def vcr_config(record_mode: str | None = None) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR`` (or a pytest-recording ``vcr_config`` fixture)."""
    return {
        "record_mode": effective_record_mode(record_mode),
        "filter_headers": list(SECRET_HEADERS),
        "filter_query_parameters": list(SECRET_QUERY),
        "decode_compressed_response": True,
        "match_on": list(MATCH_ON),
        "before_record_request": scrub_request,
        "before_record_response": scrub_response,
        "serializer": "yaml",
    }


def cassette_vcr(
    cassette_dir: str | Path | None = None, *, record_mode: str | None = None, **overrides: Any
) -> Any:
    """A ``vcr.VCR`` with this project's conventions (see the module docstring).

    ``use_cassette`` records a missing cassette once outside CI and only replays under CI; a miss is a
    :class:`~summarise.errors.CassetteMissError`.

    >>> my_vcr = cassette_vcr("tests/cassettes/test_llm")  # doctest: +SKIP
    >>> with my_vcr.use_cassette("parse.yaml"):  # doctest: +SKIP
    ...     client.chat.completions.parse(...)
    """
    import vcr  # noqa: PLC0415 - optional dependency, eval extra

    class _VCR(vcr.VCR):  # type: ignore[misc]  # vcrpy is untyped
        def use_cassette(self, path: str | Path | None = None, **kwargs: Any) -> Any:
            return _typed_misses(super().use_cassette, self, path, kwargs)

    config = vcr_config(record_mode)
    config.update(overrides)
    if in_ci():
        config["record_mode"] = "none"
    if cassette_dir is not None:
        config["cassette_library_dir"] = str(cassette_dir)
    my_vcr = _VCR(**config)
    my_vcr.register_serializer("yaml", _LabellingYAML())
    return my_vcr


@contextlib.contextmanager
def _typed_misses(
    use: Callable[..., Any], my_vcr: Any, path: str | Path | None, kwargs: dict[str, Any]
) -> Iterator[Any]:
    """vcrpy's ``use_cassette``, with a missing cassette under CI and every miss a CassetteMissError."""
    folder = kwargs.get("cassette_library_dir") or getattr(my_vcr, "cassette_library_dir", None)
    where = Path(folder) / str(path) if folder and path is not None else Path(str(path))
    mode = kwargs.get("record_mode") or my_vcr.record_mode
    if str(mode) in ("none", "RecordMode.NONE") and not where.exists():
        ci = "CI only replays: " if in_ci() else ""
        raise CassetteMissError(
            f"cassette {where} is missing; {ci}record it by running once outside CI "
            "(with a key or a base URL) and commit it",
            details={"cassette": str(where)},
        )
    try:
        with use(path, **kwargs) as cassette:
            yield cassette
    except CassetteMissError:
        raise
    except Exception as exc:
        miss = vcr_miss(exc)
        if miss is None:
            raise
        raise CassetteMissError(
            f"{describe_missed_request(miss)} is not in cassette {where}: the request changed since "
            "it was recorded; delete the cassette and run once outside CI to record it again",
            details={"cassette": str(where)},
        ) from exc


def vcr_miss(exc: BaseException) -> BaseException | None:
    """vcrpy's "not in the cassette" error, wherever it sits in the chain."""
    try:
        from vcr.errors import CannotOverwriteExistingCassetteException  # noqa: PLC0415 - optional dependency, eval extra
    except ImportError:  # pragma: no cover
        return None
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CannotOverwriteExistingCassetteException):
            found: BaseException = seen
            return found
        seen = seen.__cause__ or seen.__context__
    return None


def is_synthetic(path: str | Path) -> bool:
    """True when the cassette at ``path`` was recorded against the local fake server."""
    from vcr.serializers import yamlserializer  # noqa: PLC0415 - optional dependency, eval extra

    data = yamlserializer.deserialize(Path(path).read_text(encoding="utf-8"))
    metadata = data.get("metadata") if isinstance(data, dict) else None
    return isinstance(metadata, dict) and metadata.get("synthetic") is True
