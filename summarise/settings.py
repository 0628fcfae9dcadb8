"""Settings for the model engine, read from arguments and environment in one place.

>>> s = Settings.from_env(model="gpt-4o-mini", api_key="sk-test")
>>> "sk-test" in repr(s)
False

Environment variables (arguments win over them; ``None`` arguments are ignored,
so the CLI can pass its parsed options straight through):

- ``OPENAI_API_KEY``: api_key
- ``OPENAI_BASE_URL``: base_url
- ``SUMMARISE_MODEL``: model
- ``SUMMARISE_TIMEOUT``: timeout (seconds)
- ``SUMMARISE_CONCURRENCY``: concurrency
- ``SUMMARISE_TEMPERATURE``: temperature ("none" omits it)
- ``SUMMARISE_SEED``: seed
- ``SUMMARISE_STRUCTURED``: structured
- ``SUMMARISE_MAX_REASKS``: max_reasks
- ``SUMMARISE_MAX_RETRIES``: max_retries
- ``SUMMARISE_MAX_RETRY_WAIT``: max_retry_wait (seconds)
- ``SUMMARISE_MAX_COST``: max_cost (USD)
- ``SUMMARISE_PRICES``: price_file (JSON)
- ``SUMMARISE_CACHE_DIR``: cache_dir
- ``SUMMARISE_NO_CACHE``: use_cache = False when "1"/"true"/"yes"
- ``SUMMARISE_NO_FALLBACK``: fallback = False when "1"/"true"/"yes"
- ``SUMMARISE_PROMPTS``: prompts_dir
- ``SUMMARISE_MAX_OUTPUT_TOKENS``: max_output_tokens
- ``SUMMARISE_CONTEXT_TOKENS``: context_tokens
- ``SUMMARISE_CHUNK_TOKENS``: chunk_tokens
- ``SUMMARISE_OUTPUT_TOKENS_PARAM``: output_tokens_param
- ``SUMMARISE_BATCH_API``: batch_api ("1"/"true"/"yes")
- ``SUMMARISE_BATCH_IDLE``: batch_idle (seconds)
- ``SUMMARISE_BATCH_POLL_INTERVAL``: batch_poll_interval (seconds)
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypedDict
from urllib.parse import urlparse

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from summarise._redact import redact, register_secret, register_url_secrets
from summarise.errors import ConfigurationError


class ModelPrice(BaseModel):
    """USD per one million tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(
        default=None, ge=0, description="input the provider served from its prompt cache; None: as input"
    )


StructuredMode = Literal["auto", "json_schema", "json_object_schema", "guided_json", "json_object", "tools"]

# env var -> field name
ENV_VARS: dict[str, str] = {
    "OPENAI_API_KEY": "api_key",
    "OPENAI_BASE_URL": "base_url",
    "SUMMARISE_MODEL": "model",
    "SUMMARISE_TIMEOUT": "timeout",
    "SUMMARISE_CONCURRENCY": "concurrency",
    "SUMMARISE_TEMPERATURE": "temperature",
    "SUMMARISE_SEED": "seed",
    "SUMMARISE_STRUCTURED": "structured",
    "SUMMARISE_MAX_REASKS": "max_reasks",
    "SUMMARISE_MAX_RETRIES": "max_retries",
    "SUMMARISE_MAX_RETRY_WAIT": "max_retry_wait",
    "SUMMARISE_MAX_COST": "max_cost",
    "SUMMARISE_PRICES": "price_file",
    "SUMMARISE_CACHE_DIR": "cache_dir",
    "SUMMARISE_NO_CACHE": "use_cache",
    "SUMMARISE_NO_FALLBACK": "fallback",
    "SUMMARISE_PROMPTS": "prompts_dir",
    "SUMMARISE_MAX_OUTPUT_TOKENS": "max_output_tokens",
    "SUMMARISE_CONTEXT_TOKENS": "context_tokens",
    "SUMMARISE_CHUNK_TOKENS": "chunk_tokens",
    "SUMMARISE_OUTPUT_TOKENS_PARAM": "output_tokens_param",
    "SUMMARISE_BATCH_API": "batch_api",
    "SUMMARISE_BATCH_IDLE": "batch_idle",
    "SUMMARISE_BATCH_POLL_INTERVAL": "batch_poll_interval",
}

PROMPT_RESERVE = 2_000  # tokens kept for the prompt's own text around the source
MIN_SOURCE_TOKENS = 256

_TRUE = {"1", "true", "yes", "on"}


def default_cache_dir() -> Path:
    """``$SUMMARISE_CACHE_DIR``, else ``$XDG_CACHE_HOME/summarise``, else ``~/.cache/summarise``.

    The one default for every cache (calls, ingest), however settings are made.
    """
    own = os.environ.get("SUMMARISE_CACHE_DIR", "").strip()
    if own:
        return Path(own).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "summarise"


class SettingsOverrides(TypedDict, total=False):
    """Keyword overrides of :class:`Settings` that public functions accept (checked by mypy).

    One key per ``Settings`` field; a test keeps the two in step.
    """

    api_key: str | SecretStr | None
    base_url: str | None
    model: str
    timeout: float
    concurrency: int
    temperature: float | None
    seed: int | None
    structured: StructuredMode
    max_reasks: int
    max_retries: int
    retry_initial_wait: float
    retry_max_wait: float
    max_retry_wait: float
    max_cost: float | None
    prices: dict[str, ModelPrice]
    price_file: str | Path | None
    cache_dir: str | Path
    use_cache: bool
    prompts_dir: str | Path | None
    max_output_tokens: int
    max_output_tokens_ceiling: int
    output_tokens_param: Literal["auto", "max_tokens", "max_completion_tokens"]
    context_tokens: int
    chunk_tokens: int | None
    fallback: bool
    batch_api: bool
    batch_idle: float
    batch_poll_interval: float
    batch_poll_max: float
    batch_max_attempts: int


class Settings(BaseModel):
    """Everything the model engine needs. Frozen: derive changes with ``model_copy(update=...)``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = None
    base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint, e.g. .../v1")
    model: str = "gpt-4o-mini"
    timeout: float = Field(default=120.0, gt=0, description="seconds per HTTP request")
    concurrency: int = Field(default=4, ge=1)
    temperature: float | None = Field(default=0.0, ge=0, le=2, description="None: do not send it")
    seed: int | None = None
    structured: StructuredMode = "auto"
    max_reasks: int = Field(default=2, ge=0, description="re-asks after invalid output")
    max_retries: int = Field(default=5, ge=0, description="retries after transient errors")
    retry_initial_wait: float = Field(default=1.0, ge=0, description="first backoff, seconds")
    retry_max_wait: float = Field(default=60.0, ge=0, description="cap on one backoff wait, seconds")
    max_retry_wait: float = Field(
        default=600.0, ge=0, description="longest Retry-After honoured, seconds; a longer one gives up"
    )
    max_cost: float | None = Field(default=None, ge=0, description="USD; stop before passing it")
    prices: dict[str, ModelPrice] = Field(default_factory=dict, description="USD per 1M tokens")
    price_file: Path | None = None
    cache_dir: Path = Field(default_factory=default_cache_dir)
    use_cache: bool = True
    prompts_dir: Path | None = None
    max_output_tokens: int = Field(default=4096, ge=16)
    max_output_tokens_ceiling: int = Field(
        default=16384, ge=16, description="truncated output may be retried once with this many"
    )
    output_tokens_param: Literal["auto", "max_tokens", "max_completion_tokens"] = Field(
        default="auto", description="auto: max_completion_tokens on api.openai.com, max_tokens elsewhere"
    )
    context_tokens: int = Field(default=128_000, ge=1024, description="the model's context window")
    chunk_tokens: int | None = Field(
        default=None, ge=256, description="source tokens per call at most; None: what the window leaves"
    )
    fallback: bool = Field(
        default=True, description="an item the model fails on gets the offline engine's summary, marked"
    )
    # --batch-api (engines.model.batch): model calls in OpenAI Batch API rounds, at the batch price.
    batch_api: bool = Field(default=False, description="send model calls through the OpenAI Batch API")
    batch_idle: float = Field(default=2.0, gt=0, description="a round closes after this long with no request")
    batch_poll_interval: float = Field(default=15.0, gt=0, description="first wait between batch polls")
    batch_poll_max: float = Field(default=300.0, gt=0, description="longest wait between batch polls")
    batch_max_attempts: int = Field(
        default=3, ge=1, description="rounds a request may be left unanswered in (expired...) before it fails"
    )

    @field_validator("base_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parsed = urlparse(value)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            # The value is not shown: a key pasted into the wrong option must not be echoed.
            raise ValueError(
                "base_url must be an http(s) URL such as http://localhost:8080/v1 (value not shown)"
            )
        register_url_secrets(value)  # credentials in the URL: masked wherever they appear
        return value.rstrip("/")

    @field_validator("api_key")
    @classmethod
    def _register_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            register_secret(value.get_secret_value())
        return value

    @field_validator("model")
    @classmethod
    def _check_model(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("model must not be empty")
        return value.strip()

    @model_validator(mode="after")
    def _check_ceiling(self) -> Settings:
        if self.max_output_tokens_ceiling < self.max_output_tokens:
            raise ValueError("max_output_tokens_ceiling must be >= max_output_tokens")
        if self.context_tokens - self.max_output_tokens - PROMPT_RESERVE < MIN_SOURCE_TOKENS:
            least = PROMPT_RESERVE + MIN_SOURCE_TOKENS
            raise ValueError(f"context_tokens must exceed max_output_tokens by at least {least}")
        return self

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``environ`` (default ``os.environ``), then ``overrides`` that are not None."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for var, field in ENV_VARS.items():
            raw = env.get(var)
            if raw is None or raw.strip() == "":
                continue
            raw = raw.strip()
            if field in ("use_cache", "fallback"):  # SUMMARISE_NO_...: true switches it off
                values[field] = raw.lower() not in _TRUE
            elif field == "temperature" and raw.lower() == "none":
                values[field] = None
            else:
                values[field] = raw
        unknown = set(overrides) - set(cls.model_fields)
        if unknown:
            raise ConfigurationError(unknown_settings(unknown, cls.model_fields))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.build(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with ``overrides`` (not None) applied and validated; unknown names rejected."""
        unknown = set(overrides) - set(type(self).model_fields)
        if unknown:
            raise ConfigurationError(unknown_settings(unknown, type(self).model_fields))
        given = {k: v for k, v in overrides.items() if v is not None}
        if not given:
            return self
        return type(self).build(**{**dict(self), **given})

    @property
    def model_configured(self) -> bool:
        """True when a key or base URL is set: ``engine="auto"`` then uses the model engine."""
        has_key = self.api_key is not None and bool(self.api_key.get_secret_value().strip())
        return has_key or self.base_url is not None

    @property
    def ingest_cache_dir(self) -> Path:
        """Where ingest keeps extracted text: inside :attr:`cache_dir`."""
        return self.cache_dir / "ingest"

    @classmethod
    def build(cls, **values: Any) -> Settings:
        """Validate ``values``; problems become a ConfigurationError that never echoes inputs."""
        try:
            return cls(**values)
        except ValidationError as exc:
            problems = "; ".join(_problem(err) for err in exc.errors())
            raise ConfigurationError(f"invalid settings: {problems}") from None

    # -- views ------------------------------------------------------------------------

    @property
    def is_openai(self) -> bool:
        """True when calls go to api.openai.com (the default endpoint)."""
        return self.base_url is None or urlparse(self.base_url).hostname == "api.openai.com"

    def api_key_value(self) -> str:
        """The key to hand to the SDK. Local servers need none, so a placeholder is used there."""
        if self.api_key is not None and self.api_key.get_secret_value():
            return self.api_key.get_secret_value()
        if self.is_openai:
            raise ConfigurationError(
                "no API key: set OPENAI_API_KEY, or the base_url setting for a local OpenAI-compatible server"
            )
        return "not-needed"

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to log or record in provenance: no key, paths as strings."""
        data = self.model_dump(mode="json", exclude={"api_key"})
        data["api_key_set"] = self.api_key is not None
        data["base_url"] = redact(self.base_url) if self.base_url else None
        return data


def unknown_settings(names: Iterable[str], known: Iterable[str]) -> str:
    """``unknown setting 'modle' (did you mean 'model'?)``: a typo named with its likely fix."""
    fields = list(known)
    parts = []
    for name in sorted(names):
        close = difflib.get_close_matches(name, fields, n=1)
        parts.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    return f"unknown setting{'s' if len(parts) > 1 else ''} {', '.join(parts)}"


def _problem(err: Mapping[str, Any]) -> str:
    """One validation problem in plain words: the field, then pydantic's message without its
    "Value error, " prefix; an unknown field named as such."""
    where = ".".join(str(p) for p in err.get("loc", ()))
    if err.get("type") == "extra_forbidden":
        return unknown_settings([where], Settings.model_fields)
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message
