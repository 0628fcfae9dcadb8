"""What a reviewer reads beside the scores: each meeting's summary, and how it differs from the baseline's.

The baseline's summaries sit beside the baseline file, one Markdown file per engine and meeting
(``baseline.json`` -> ``baseline/<engine>/<meeting>.md``), written whenever the baseline is.
``summarise eval --out DIR`` writes this run's summaries (``DIR/<meeting>.md``) and a unified diff
against the baseline's (``DIR/<meeting>.diff``).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from summarise.errors import ConfigurationError
from summarise.evaluation.results import EvalRun

CONTEXT_LINES = 2


def baseline_summaries(baseline: Path, engine: str) -> Path:
    """The folder of the baseline's summaries for ``engine``: ``baseline.json`` -> ``baseline/<engine>``."""
    return baseline.with_suffix("") / engine


def save_baseline_summaries(run: EvalRun, baseline: Path) -> Path:
    folder = baseline_summaries(baseline, run.engine)
    folder.mkdir(parents=True, exist_ok=True)
    for meeting in run.meetings:
        if meeting.summary_markdown is not None:
            (folder / f"{meeting.name}.md").write_text(meeting.summary_markdown, encoding="utf-8")
    return folder


@dataclass(frozen=True)
class SummaryDiff:
    meeting: str
    summary: Path
    diff: Path | None
    added: int
    removed: int

    def describe(self) -> str:
        if self.diff is None:
            return f"{self.meeting}: summary in {self.summary}; no baseline summary to compare with"
        if not (self.added or self.removed):
            return f"{self.meeting}: summary unchanged from the baseline's ({self.summary})"
        changed = f"+{self.added} -{self.removed} lines"
        return f"{self.meeting}: {changed} against the baseline's summary ({self.diff})"


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=before_name,
        tofile=after_name,
        n=CONTEXT_LINES,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def write_outputs(run: EvalRun, out: Path, baseline: Path) -> list[SummaryDiff]:
    """Each meeting's summary into ``out``, and its diff against the baseline's summary where there is one."""
    if out.exists() and not out.is_dir():
        raise ConfigurationError(f"{out}: not a folder")
    out.mkdir(parents=True, exist_ok=True)
    stored = baseline_summaries(baseline, run.engine)
    written = []
    for meeting in run.meetings:
        if meeting.summary_markdown is None:
            continue
        summary = out / f"{meeting.name}.md"
        summary.write_text(meeting.summary_markdown, encoding="utf-8")
        before_path = stored / f"{meeting.name}.md"
        if not before_path.is_file():
            written.append(SummaryDiff(meeting.name, summary, None, 0, 0))
            continue
        before = before_path.read_text(encoding="utf-8")
        text = unified_diff(before, meeting.summary_markdown, f"baseline/{before_path.name}", summary.name)
        diff = out / f"{meeting.name}.diff"
        diff.write_text(text or "(no change)\n", encoding="utf-8")
        body = [line for line in text.splitlines() if line[:3] not in ("+++", "---")]
        added = sum(1 for line in body if line.startswith("+"))
        removed = sum(1 for line in body if line.startswith("-"))
        written.append(SummaryDiff(meeting.name, summary, diff, added, removed))
    return written
