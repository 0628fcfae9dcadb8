"""What a run comes to against its baseline: the verdict, the CLI's table and the CI's Markdown report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from summarise.evaluation.baseline import Change
from summarise.evaluation.metrics import format_metric
from summarise.evaluation.results import EvalRun


def _delta(change: Change) -> str:
    if change.baseline is None or change.value is None:
        return ""
    diff = change.value - change.baseline
    return "0" if abs(diff) < 1e-12 else f"{diff:+.4g}"


def table_rows(
    changes: Sequence[Change], reference: Mapping[str, Mapping[str, float]] | None
) -> list[list[str]]:
    header = ["meeting", "metric", "baseline", "now", "change", "better", "status"]
    if reference is not None:
        header.append("extractive")
    rows = [header]
    for c in changes:
        row = [
            c.meeting,
            c.metric,
            format_metric(c.baseline),
            format_metric(c.value),
            _delta(c),
            c.tolerance.direction,
            c.status,
        ]
        if reference is not None:
            row.append(format_metric(reference.get(c.meeting, {}).get(c.metric)))
        rows.append(row)
    return rows


def format_table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return (
        "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows) + "\n"
    )


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in body:
        cells = [f"**{c}**" if c in ("regression", "missing") else c for c in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


@dataclass
class EvalOutcome:
    run: EvalRun
    changes: list[Change]
    compared: bool
    baseline_written: Path | None = None
    notes: list[str] = field(default_factory=list)
    reference: dict[str, dict[str, float]] | None = None
    """The extractive engine's baseline scores, shown beside a model's as the floor to beat."""

    @property
    def regressions(self) -> list[Change]:
        return [c for c in self.changes if c.is_regression]

    @property
    def failed(self) -> bool:
        return bool(self.regressions) or any(m.error for m in self.run.meetings)

    def rows(self) -> list[list[str]]:
        return table_rows(self.changes, self.reference)

    def table(self) -> str:
        return format_table(self.rows())

    def failure_message(self) -> str:
        parts = [c.describe() for c in self.regressions]
        parts += [f"{m.name}: {m.error}" for m in self.run.meetings if m.error]
        return "regression: " + "; ".join(parts)

    def markdown(self) -> str:
        run = self.run
        verdict = "REGRESSION" if self.failed else "pass"
        lines = [f"## summarise eval: {verdict}", ""]
        lines.append(f"- engine: `{run.engine}`; meetings: {len(run.meetings)}")
        if run.engine == "llm":
            lines.append(f"- prompt set: `{run.prompt_set}`")
            if run.synthetic:
                lines.append("- responses are **synthetic** (recorded against the local test server)")
        if not self.compared:
            lines.append("- no baseline for this engine: scores only")
        lines += [f"- {n}" for n in self.notes]
        if self.failed:
            lines += ["", "### Regressions", ""]
            lines += [f"- {c.describe()}" for c in self.regressions]
            lines += [f"- {m.name}: {m.error}" for m in run.meetings if m.error]
        lines += ["", markdown_table(self.rows())]
        return "\n".join(lines)
