"""Which fault, if any, the next chat call suffers: by script first, then by rate.

A spec string is ``"429:0.1,500:0.1,timeout:0.05"`` (kind:rate, rates summing to
at most 1). A script is a list of kinds consumed in arrival order, e.g.
``["429", "ok", "malformed"]``; when it runs out the rates apply again. The RNG
is seeded, so a run with the same seed and the same call order is repeatable.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Mapping

OK = "ok"
FAULT_KINDS: tuple[str, ...] = (
    OK,
    "429",  # rate limited, with Retry-After
    "500",
    "502",
    "503",
    "timeout",  # answer only after ``timeout_seconds`` (longer than the client waits)
    "drop",  # close the connection without a response
    "reset",  # abort the connection (TCP RST) without a response
    "malformed",  # 200, content is not parseable JSON
    "schema_invalid",  # 200, parseable JSON that breaks the schema
    "truncate",  # 200, finish_reason "length", content cut off
    "refusal",  # 200, message.refusal set, content null
    "400",  # response_format json_schema is not supported
)
ALIASES: dict[str, str] = {
    "rate_limit": "429",
    "ratelimit": "429",
    "dropped": "drop",
    "disconnect": "drop",
    "connection_reset": "reset",
    "invalid": "schema_invalid",
    "schema": "schema_invalid",
    "length": "truncate",
    "truncation": "truncate",
    "truncated": "truncate",
    "refuse": "refusal",
    "unsupported": "400",
    "json_schema_400": "400",
    "bad_json": "malformed",
}


def canonical(kind: str) -> str:
    """The canonical name of a fault kind; ``ValueError`` for unknown ones."""
    key = kind.strip().lower().replace("-", "_")
    key = ALIASES.get(key, key)
    if key not in FAULT_KINDS:
        raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(FAULT_KINDS)}")
    return key


def parse_rates(spec: str | Mapping[str, float] | None) -> dict[str, float]:
    """``"429:0.1,500:0.1"`` or a mapping → {kind: rate}, validated."""
    if spec is None:
        return {}
    pairs: Iterable[tuple[str, float]]
    if isinstance(spec, str):
        rate: str
        parsed: list[tuple[str, float]] = []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            kind, sep, rate = part.rpartition(":")
            if not sep:
                raise ValueError(f"fault spec {part!r} is not kind:rate")
            try:
                parsed.append((kind, float(rate)))
            except ValueError:
                raise ValueError(f"fault rate {rate!r} in {part!r} is not a number") from None
        pairs = parsed
    else:
        pairs = spec.items()
    rates: dict[str, float] = {}
    for kind, value in pairs:
        key = canonical(kind)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"fault rate for {kind!r} must be between 0 and 1, got {value}")
        rates[key] = rates.get(key, 0.0) + value
    total = sum(rates.values())
    if total > 1.0 + 1e-9:
        raise ValueError(f"fault rates add up to {total:.3f}, more than 1")
    return rates


class FaultInjector:
    """Thread-safe source of fault decisions."""

    def __init__(
        self,
        rates: str | Mapping[str, float] | None = None,
        script: Iterable[str] | None = None,
        seed: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._seed = seed
        self.rates = parse_rates(rates)
        self._script = [canonical(k) for k in (script or [])]

    def configure(
        self,
        rates: str | Mapping[str, float] | None = None,
        script: Iterable[str] | None = None,
        seed: int | None = None,
    ) -> None:
        """Replace rates and script (and reseed, when ``seed`` is given)."""
        new_rates = parse_rates(rates)
        new_script = [canonical(k) for k in (script or [])]
        with self._lock:
            self.rates = new_rates
            self._script = new_script
            if seed is not None:
                self._seed = seed
                self._rng = random.Random(seed)

    @property
    def script_left(self) -> list[str]:
        with self._lock:
            return list(self._script)

    def next(self) -> str:
        with self._lock:
            if self._script:
                return self._script.pop(0)
            draw = self._rng.random()
            edge = 0.0
            for kind, rate in self.rates.items():
                edge += rate
                if draw < edge:
                    return kind
            return OK
