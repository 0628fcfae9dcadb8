"""A batch's output folder: each meeting's files, the index, and what resuming needs.

``OUTDIR/<meeting id>.{json,md,html}`` for each finished meeting; ``OUTDIR/index.{json,md}``
listing every meeting of the run (status, items, fallbacks, findings, cost).
``OUTDIR/.batch/<meeting id>.json`` records, once a meeting's files are written, what it was
made from: a digest of its input files and of the settings that shape a summary. A meeting
whose record matches is finished: a re-run skips it (``force`` redoes it); a changed file or
setting makes it run again (its model calls still come from the call cache).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarise._version import __version__
from summarise.batch.inputs import MeetingSpec, input_digest
from summarise.batch.runner import MeetingResult
from summarise.engines import MODEL
from summarise.errors import OutputPathError
from summarise.models.summary import MeetingSummary
from summarise.render import OutputFormat, pdf_folder_for, render, write_output
from summarise.render.mdescape import md_text
from summarise.settings import Settings

STATE_DIR = ".batch"
FORMATS: dict[str, OutputFormat] = {"json": "json", "md": "markdown", "html": "html"}  # suffix: format
# Settings that change what a summary says; the rest (concurrency, timeouts, budget, cache) do not.
SHAPING = (
    "model",
    "temperature",
    "seed",
    "max_output_tokens",
    "context_tokens",
    "chunk_tokens",
    "max_reasks",
    "fallback",
)


def settings_digest(settings: Settings, engine: str) -> str:
    """A digest of the engine, the library version, the shaping settings and (for the model
    engine) the prompts' content hashes."""
    shaping: dict[str, Any] = {"engine": engine, "version": __version__}
    if engine == MODEL:
        # The prompt files belong to the model engine; read only for batches that use it.
        from summarise.engines.model.prompts import prompt_versions  # noqa: PLC0415

        shaping.update({name: getattr(settings, name) for name in SHAPING})
        shaping["prompts"] = prompt_versions(settings.prompts_dir)
    blob = json.dumps(shaping, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def meeting_row(result: MeetingResult) -> dict[str, Any]:
    """What the index says of one meeting."""
    row: dict[str, Any] = {
        "id": result.meeting_id,
        "files": [str(p) for p in result.spec.paths],
        "status": result.status,
        "seconds": round(result.seconds, 2),
        "calls": result.usage.calls,
        "cached_calls": result.usage.cached_calls,
        "input_tokens": result.usage.input_tokens,
        "output_tokens": result.usage.output_tokens,
        "cost_usd": round(result.usage.estimated_cost_usd, 6),
    }
    summary = result.summary
    if summary is None:
        row["error"] = f"{type(result.error).__name__}: {result.error}"
        return row
    findings = summary.verification.findings
    row.update(
        title=summary.meeting.title,
        body=summary.meeting.body,
        date=summary.meeting.date.isoformat() if summary.meeting.date else None,
        items=len(summary.items),
        fallbacks=list(summary.provenance.fallbacks),
        errors=sum(f.severity == "error" for f in findings),
        warnings=sum(f.severity != "error" for f in findings),
        misleading=len(summary.verification.misleading),
        outputs=[f"{result.meeting_id}.{suffix}" for suffix in FORMATS],
    )
    return row


class OutputFolder:
    """``OUTDIR``: writes each meeting's files and record, tells which meetings are finished."""

    def __init__(self, root: Path, settings: Settings, engine: str) -> None:
        if root.exists() and not root.is_dir():
            raise OutputPathError(f"{root}: not a folder; give a folder for the batch's output")
        self.root = root
        self.state = root / STATE_DIR
        try:
            self.state.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = exc.strerror or exc
            raise OutputPathError(f"{root}: cannot create the output folder ({why})") from None
        self.settings_digest = settings_digest(settings, engine)
        self._digests: dict[str, str] = {}

    def _record_path(self, meeting_id: str) -> Path:
        return self.state / f"{meeting_id}.json"

    def digest(self, spec: MeetingSpec) -> str:
        if spec.meeting_id not in self._digests:
            self._digests[spec.meeting_id] = input_digest(spec)
        return self._digests[spec.meeting_id]

    def finished(self, spec: MeetingSpec) -> dict[str, Any] | None:
        """The index row of a meeting finished earlier from the same files and settings, or None.

        A file that cannot be read is not judged here: the meeting runs and fails with its error.
        """
        try:
            record = json.loads(self._record_path(spec.meeting_id).read_text(encoding="utf-8"))
            digest = self.digest(spec)
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("status") == "failed":
            return None
        same = record.get("input") == digest and record.get("settings") == self.settings_digest
        outputs = all((self.root / name).is_file() for name in record.get("row", {}).get("outputs", []))
        row = record.get("row")
        return row if same and outputs and isinstance(row, dict) else None

    def write(self, result: MeetingResult) -> dict[str, Any]:
        """The meeting's files (when it has a summary), then its record; its index row."""
        row = meeting_row(result)
        if result.summary is not None:
            self.write_summary(result.meeting_id, result.summary, result.spec.paths)
        try:
            digest = self.digest(result.spec)
        except OSError:
            digest = None
        record = {
            "input": digest,
            "settings": self.settings_digest,
            "status": result.status,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "row": row,
        }
        write_output(json.dumps(record, indent=1, ensure_ascii=False), self._record_path(result.meeting_id))
        return row

    def write_summary(
        self, meeting_id: str, summary: MeetingSummary, papers: Sequence[Path] = ()
    ) -> None:
        """The meeting's three files; page links in the Markdown and HTML lead to ``papers``."""
        folder = pdf_folder_for(papers, self.root / f"{meeting_id}.md")
        for suffix, fmt in FORMATS.items():
            write_output(render(summary, fmt, pdf_folder=folder), self.root / f"{meeting_id}.{suffix}")

    def write_index(self, rows: Sequence[dict[str, Any]], totals: dict[str, Any]) -> None:
        """``index.json`` (every row and the totals) and ``index.md`` (a table to read)."""
        index = {"meetings": list(rows), "totals": totals}
        write_output(json.dumps(index, indent=2, ensure_ascii=False) + "\n", self.root / "index.json")
        write_output(index_markdown(rows, totals), self.root / "index.md")


def index_markdown(rows: Sequence[dict[str, Any]], totals: dict[str, Any]) -> str:
    lines = [
        "# Batch index",
        "",
        " · ".join(f"{key.replace('_', ' ')}: {value}" for key, value in totals.items()),
        "",
        "| meeting | status | items | fallbacks | findings (errors/warnings) | calls (cached) | cost (USD) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        link = f"[{_cell(row['id'])}]({row['id']}.md)" if row.get("outputs") else _cell(row["id"])
        status = row["status"] + (f": {_cell(row['error'])}" if row.get("error") else "")
        findings = f"{row.get('errors', 0)}/{row.get('warnings', 0)}" if "errors" in row else ""
        lines.append(
            f"| {link} | {status} | {row.get('items', '')} | {len(row.get('fallbacks', []))} | {findings} "
            f"| {row['calls']} ({row['cached_calls']}) | {row['cost_usd']:.4f} |"
        )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, no live markup (ids and errors name pack files)."""
    return md_text(str(text)[:300], line_start=False)
