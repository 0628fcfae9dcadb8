"""The baseline a run is compared with, and the comparison: one :class:`Change` per meeting and metric.

``FIXTURES/baseline.json`` holds the metrics per engine and meeting, and the
tolerance per metric; a metric moving the wrong way by more than its tolerance
is a regression.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from summarise.errors import ConfigurationError
from summarise.evaluation.metrics import DEFAULT_TOLERANCES, Tolerance, format_metric, ordered
from summarise.evaluation.results import EvalRun

BASELINE_NAME = "baseline.json"
OPTIONAL_METRICS = frozenset({"acronym_footnote_coverage"})


@dataclass
class Baseline:
    """Metrics per engine and meeting, and the tolerance per metric."""

    tolerances: dict[str, Tolerance]
    engines: dict[str, dict[str, Any]]

    def meetings(self, engine: str) -> dict[str, dict[str, float]] | None:
        section = self.engines.get(engine)
        return None if section is None else dict(section.get("meetings", {}))

    def tolerance(self, metric: str) -> Tolerance:
        return self.tolerances.get(metric) or DEFAULT_TOLERANCES.get(metric) or Tolerance("either")

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigurationError(f"{path}: cannot read the baseline ({exc.strerror})") from None
        except ValueError as exc:
            raise ConfigurationError(f"{path}: the baseline is not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("engines", {}), dict):
            raise ConfigurationError(f"{path}: not a summarise eval baseline")
        tolerances = {
            name: Tolerance.from_json(name, spec) for name, spec in dict(data.get("tolerances", {})).items()
        }
        return cls(tolerances=tolerances, engines=dict(data.get("engines", {})))

    @classmethod
    def empty(cls) -> Baseline:
        return cls(tolerances=dict(DEFAULT_TOLERANCES), engines={})

    def with_run(self, run: EvalRun) -> Baseline:
        failed = [m.name for m in run.meetings if m.error]
        if failed:
            raise ConfigurationError(f"not writing a baseline from a failed run: {', '.join(failed)} failed")
        section = {
            "prompt_set": run.prompt_set if run.engine == "llm" else None,
            "prompt_versions": run.prompt_versions if run.engine == "llm" else None,
            "synthetic": run.synthetic if run.engine == "llm" else None,
            "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "meetings": {m.name: m.scores for m in run.meetings},
        }
        return Baseline(tolerances=self.tolerances, engines={**self.engines, run.engine: section})

    def save(self, path: Path) -> None:
        data = {
            "about": "summarise eval baseline: metrics per engine and meeting; a metric moving the wrong "
            "way by more than its tolerance (max of abs and rel * baseline) is a regression",
            "tolerances": {name: self.tolerance(name).to_json() for name in ordered(self.tolerances)},
            "engines": {k: self.engines[k] for k in sorted(self.engines)},
        }
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


Status = Literal["same", "better", "within tolerance", "regression", "new", "missing"]


@dataclass(frozen=True)
class Change:
    meeting: str
    metric: str
    baseline: float | None
    value: float | None
    tolerance: Tolerance
    status: Status

    @property
    def is_regression(self) -> bool:
        return self.status in ("regression", "missing")

    def describe(self) -> str:
        tol = self.tolerance
        if self.status == "missing":
            return f"{self.meeting}: {self.metric} is missing (baseline {format_metric(self.baseline)})"
        return (
            f"{self.meeting}: {self.metric} {format_metric(self.baseline)} -> {format_metric(self.value)} "
            f"({tol.direction} is better, tolerance {format_metric(tol.allowed(self.baseline or 0.0))})"
        )


def _status(tol: Tolerance, base: float, value: float) -> Status:
    if tol.regressed(base, value):
        return "regression"
    if abs(value - base) <= 1e-9:
        return "same"
    if tol.direction == "either":
        return "within tolerance"  # moved, but by less than the tolerance: not a regression
    better = value > base if tol.direction == "higher" else value < base
    return "better" if better else "within tolerance"


def compare(run: EvalRun, baseline: Baseline) -> list[Change]:
    """One change per meeting and metric; ``missing`` and ``regression`` fail the run."""
    base_meetings = baseline.meetings(run.engine) or {}
    changes: list[Change] = []
    current = {m.name: m.scores for m in run.meetings}
    for name in sorted(set(base_meetings) | set(current)):
        before = base_meetings.get(name, {})
        now = current.get(name, {})
        for metric in ordered(list(set(before) | set(now))):
            tol = baseline.tolerance(metric)
            b, v = before.get(metric), now.get(metric)
            if b is None:
                status: Status = "new"
            elif v is None:
                status = "same" if metric in OPTIONAL_METRICS and name in current else "missing"
            else:
                status = _status(tol, float(b), float(v))
            changes.append(Change(name, metric, b, v, tol, status))
    return changes


def scores_only(run: EvalRun) -> list[Change]:
    """Every score as ``new``: what a run shows when its engine has no baseline yet."""
    return [
        Change(m.name, k, None, v, DEFAULT_TOLERANCES.get(k, Tolerance("either")), "new")
        for m in run.meetings
        for k, v in m.scores.items()
    ]
