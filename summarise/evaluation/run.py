"""``summarise eval``: score summaries of fixture meetings offline and compare with a baseline.

A fixtures folder::

    FIXTURES/
      <meeting>/meeting.toml        packs = ["../../examples/sample-pack.pdf"]; reference = "reference.md"
      <meeting>/reference.md        optional; "## 4 ..." headings give per-item references
      cassettes/<meeting>/<prompt-set>.yaml   recorded model responses (vcrpy)
      cassettes/<meeting>/<prompt-set>.json   prompt versions and settings they were recorded with
      baseline.json                 metrics per engine and meeting, and the tolerances

``<prompt-set>`` is a hash of every prompt's version. Replay never reaches the
network: vcrpy runs with ``record_mode="none"``, the call cache is off, and a
prompt change is caught before any call by comparing the prompt versions with
the ones recorded; the error names the prompt, its old and new hash, and says
to re-record with ``--record``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from summarise._version import __version__
from summarise.errors import CassetteMissError, ConfigurationError, ModelError
from summarise.evaluation.metrics import (
    DEFAULT_TOLERANCES,
    WHOLE,
    Tolerance,
    failed_scores,
    ordered,
    score_summary,
)
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary

log = logging.getLogger(__name__)

EvalEngine = Literal["llm", "extractive"]
MANIFEST = "meeting.toml"
CASSETTES = "cassettes"
BASELINE_NAME = "baseline.json"
REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # discard port: nothing answers, and vcrpy answers first
REPLAY_KEY = "replay-no-key"
RECORDED_SETTINGS = (
    "model",
    "temperature",
    "seed",
    "structured",
    "max_reasks",
    "max_output_tokens",
    "max_output_tokens_ceiling",
    "context_tokens",
    "chunk_tokens",
)
OPTIONAL_METRICS = frozenset({"acronym_footnote_coverage"})
_HEADING = re.compile(r"^#{1,4}[ \t]*(?:item[ \t]+)?([0-9]+[a-z]?|[ivxlc]+)\b[.:)]?[ \t]*(.*)$", re.I | re.M)


def record_hint(fixtures: Path) -> str:
    return (
        f"re-record the fixtures with `summarise eval {fixtures} --record` "
        "(needs OPENAI_API_KEY or --base-url; never in CI)"
    )


# --- fixtures ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFixture:
    """One meeting to evaluate: its pack files and optional references (item number or ``*``)."""

    name: str
    packs: tuple[Path, ...]
    references: Mapping[str, str] = field(default_factory=dict)


def parse_reference(text: str) -> dict[str, str]:
    """Split a Markdown reference by ``## <item number>`` headings; no headings: one whole reference."""
    heads = list(_HEADING.finditer(text))
    if not heads:
        return {WHOLE: text.strip()} if text.strip() else {}
    out: dict[str, str] = {}
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)].strip()
        if body:
            out[head.group(1)] = body
    return out


def load_fixture(folder: Path) -> MeetingFixture:
    manifest = folder / MANIFEST
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{manifest}: cannot read the manifest ({exc})") from None
    packs = data.get("packs")
    if isinstance(packs, str):
        packs = [packs]
    if not packs or not all(isinstance(p, str) for p in packs):
        raise ConfigurationError(f'{manifest}: give packs = ["path/to/pack.pdf", ...]')
    paths = tuple((folder / p).resolve() for p in packs)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigurationError(f"{manifest}: pack file(s) not found: {', '.join(missing)}")
    references: dict[str, str] = {}
    ref = data.get("reference")
    if ref is not None:
        ref_path = folder / str(ref)
        if not ref_path.is_file():
            raise ConfigurationError(f"{manifest}: reference {ref_path} not found")
        references = parse_reference(ref_path.read_text(encoding="utf-8"))
    return MeetingFixture(name=str(data.get("name") or folder.name), packs=paths, references=references)


def load_fixtures(fixtures: Path) -> list[MeetingFixture]:
    """Every ``<meeting>/meeting.toml`` under ``fixtures``, by name."""
    if not fixtures.is_dir():
        raise ConfigurationError(f"{fixtures}: not a folder of evaluation fixtures")
    found = [load_fixture(m.parent) for m in sorted(fixtures.glob(f"*/{MANIFEST}"))]
    if not found:
        raise ConfigurationError(f"{fixtures}: no <meeting>/{MANIFEST} found")
    return found


# --- recordings -----------------------------------------------------------------------------------


def prompt_set_hash(versions: Mapping[str, str]) -> str:
    """One hash for the whole set of prompt versions: the name of its cassettes."""
    text = json.dumps(dict(sorted(versions.items())), separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Recording:
    """What a cassette was recorded with. Replay reuses ``settings`` so request bodies match."""

    cassette: Path
    prompt_versions: dict[str, str]
    settings: dict[str, Any]
    recorded_at: str
    synthetic: bool

    @property
    def prompt_set(self) -> str:
        return prompt_set_hash(self.prompt_versions)

    def to_json(self) -> str:
        data = {
            "prompt_set": self.prompt_set,
            "prompt_versions": self.prompt_versions,
            "settings": self.settings,
            "recorded_at": self.recorded_at,
            "synthetic": self.synthetic,
            "library_version": __version__,
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def load(cls, record: Path) -> Recording:
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            return cls(
                cassette=record.with_suffix(".yaml"),
                prompt_versions=dict(data["prompt_versions"]),
                settings=dict(data["settings"]),
                recorded_at=str(data["recorded_at"]),
                synthetic=bool(data.get("synthetic", False)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{record}: not a recording record ({exc})") from None


def cassette_folder(fixtures: Path, meeting: str) -> Path:
    return fixtures / CASSETTES / meeting


def describe_prompt_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """``prompt 'x' changed: old -> new`` lines (and added/removed prompts)."""
    lines = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if before is None:
            lines.append(f"prompt {name!r} added ({after})")
        elif after is None:
            lines.append(f"prompt {name!r} removed (was {before})")
        else:
            lines.append(f"prompt {name!r} changed: {before} -> {after}")
    return lines


def find_recording(fixtures: Path, meeting: str, versions: Mapping[str, str]) -> Recording:
    """The recording made with these prompt versions, or CassetteMissError saying what changed.

    A recording made before a prompt was *added* still serves: none of its requests used it.
    """
    folder = cassette_folder(fixtures, meeting)
    current = prompt_set_hash(versions)
    record = folder / f"{current}.json"
    if record.is_file() and record.with_suffix(".yaml").is_file():
        return Recording.load(record)
    recordings = [
        Recording.load(p) for p in sorted(folder.glob("*.json")) if p.with_suffix(".yaml").is_file()
    ]
    if not recordings:
        raise CassetteMissError(
            f"meeting {meeting!r}: no recorded model responses in {folder}; {record_hint(fixtures)}",
            details={"meeting": meeting, "prompt_set": current},
        )
    latest = max(recordings, key=lambda r: r.recorded_at)
    if all(versions.get(name) == version for name, version in latest.prompt_versions.items()):
        # Only new prompts since recording: the recorded requests still hold, and a new prompt that
        # the pipeline now sends would miss in replay and be reported then.
        log.info("meeting %s: prompts added since recording; replaying %s", meeting, latest.cassette)
        return latest
    changes = describe_prompt_changes(latest.prompt_versions, versions)
    raise CassetteMissError(
        f"meeting {meeting!r}: the prompts changed since the fixtures were recorded "
        f"(prompt set {latest.prompt_set} -> {current}), so the recorded requests would miss: "
        f"{'; '.join(changes)}. The fixtures need re-recording: {record_hint(fixtures)}",
        details={
            "meeting": meeting,
            "recorded": latest.prompt_versions,
            "current": dict(versions),
            "changes": changes,
        },
    )


def request_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that shape request bodies, resolved, to be stored with a cassette."""
    from summarise.settings import Settings

    config = Settings.from_env(**{k: v for k, v in settings.items() if k != "use_cache"})
    out = {name: getattr(config, name) for name in RECORDED_SETTINGS}
    param = config.output_tokens_param
    out["output_tokens_param"] = (
        ("max_completion_tokens" if config.is_openai else "max_tokens") if param == "auto" else param
    )
    return out


def require_vcr() -> None:
    """Replay and recording need vcrpy, from the ``eval`` extra."""
    try:
        import vcr  # noqa: F401
    except ImportError:
        raise ConfigurationError(
            "summarise eval replays cassettes with vcrpy: pip install 'summarise[eval]'"
        ) from None


def _vcr_miss(exc: BaseException) -> BaseException | None:
    """vcrpy's "not in the cassette" error, wherever it sits in the chain."""
    try:
        from vcr.errors import CannotOverwriteExistingCassetteException
    except ImportError:  # pragma: no cover
        return None
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CannotOverwriteExistingCassetteException):
            found: BaseException = seen
            return found
        seen = seen.__cause__ or seen.__context__
    return None


def describe_missed_request(miss: BaseException) -> str:
    """The opening of the request the cassette lacks: enough to tell which call and what changed."""
    request = getattr(miss, "failed_request", None)
    body = getattr(request, "body", None)
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        messages = json.loads(text)["messages"]
        user = str(messages[-1]["content"])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return "a request"
    lines = [line.strip() for line in user.splitlines() if line.strip()][:2]
    return "the request starting " + repr(" / ".join(lines)[:160])


async def _replay(
    meeting: Meeting, recording: Recording, fixtures: Path, name: str, prompts_dir: Path | None
) -> MeetingSummary:
    from summarise.api import asummarise_meeting
    from summarise.engines.model.prompts import prompt_versions
    from summarise.evaluation.recordings import cassette_vcr

    settings: dict[str, Any] = {
        **recording.settings,
        "base_url": REPLAY_BASE_URL,
        "api_key": REPLAY_KEY,
        "use_cache": False,  # the call cache must not answer in the cassette's place
        "max_retries": 0,
        "prompts_dir": prompts_dir,
    }
    my_vcr = cassette_vcr(recording.cassette.parent, record_mode="none")
    try:
        with my_vcr.use_cassette(recording.cassette.name, allow_playback_repeats=False):
            return await asummarise_meeting(meeting, "llm", **settings)
    except Exception as exc:
        miss = _vcr_miss(exc)
        if miss is None:
            raise
        added = describe_prompt_changes(recording.prompt_versions, prompt_versions(prompts_dir))
        why = "the pipeline, the ingest of the pack or the settings now ask differently"
        if added:
            why = f"{'; '.join(added)} since recording, or {why}"
        if recording.synthetic:
            why += (
                "; these cassettes are synthetic: re-record them against the local test server "
                "(python -m summarise.testing --port 8099, then --record --base-url http://127.0.0.1:8099/v1)"
            )
        raise CassetteMissError(
            f"meeting {name!r}: {describe_missed_request(miss)} is not in {recording.cassette}: "
            f"{why}; {record_hint(fixtures)}",
            details={"meeting": name, "cassette": str(recording.cassette)},
        ) from None


async def _record(
    meeting: Meeting, fixtures: Path, name: str, versions: Mapping[str, str], settings: Mapping[str, Any]
) -> MeetingSummary:
    from summarise.api import asummarise_meeting
    from summarise.evaluation.recordings import cassette_vcr, is_synthetic

    folder = cassette_folder(fixtures, name)
    folder.mkdir(parents=True, exist_ok=True)
    set_hash = prompt_set_hash(versions)
    cassette = folder / f"{set_hash}.yaml"
    cassette.unlink(missing_ok=True)
    run_settings = {**settings, "use_cache": False}  # a cached answer would leave a hole in the cassette
    with cassette_vcr(folder, record_mode="once").use_cassette(cassette.name):
        summary = await asummarise_meeting(meeting, "llm", **run_settings)
    recording = Recording(
        cassette=cassette,
        prompt_versions=dict(versions),
        settings=request_settings(settings),
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        synthetic=cassette.is_file() and is_synthetic(cassette),
    )
    cassette.with_suffix(".json").write_text(recording.to_json(), encoding="utf-8")
    log.info("recorded %s (%d calls)", cassette, summary.usage.calls)
    return summary


def check_can_record(settings: Mapping[str, Any]) -> None:
    from summarise.api import model_configured
    from summarise.evaluation.recordings import in_ci

    if in_ci():
        raise ConfigurationError("--record is refused under CI: CI only replays the committed cassettes")
    if not model_configured(dict(settings)):
        raise ConfigurationError(
            "--record needs a model to record against: set OPENAI_API_KEY, or give --base-url "
            "(e.g. a local server: python -m summarise.testing)"
        )


# --- running ------------------------------------------------------------------------------------


@dataclass
class MeetingResult:
    name: str
    scores: dict[str, float]
    error: str | None = None
    synthetic: bool = False


@dataclass
class EvalRun:
    engine: EvalEngine
    prompt_versions: dict[str, str]
    meetings: list[MeetingResult]

    @property
    def prompt_set(self) -> str:
        return prompt_set_hash(self.prompt_versions)

    @property
    def synthetic(self) -> bool:
        return bool(self.meetings) and all(m.synthetic for m in self.meetings)


def _score(
    fixture: MeetingFixture,
    meeting: Meeting,
    summary: MeetingSummary | None,
    error: str | None,
    synthetic: bool,
) -> MeetingResult:
    if summary is None:
        return MeetingResult(fixture.name, failed_scores(), error=error, synthetic=synthetic)
    scores = score_summary(summary, meeting, fixture.references)
    return MeetingResult(fixture.name, scores, synthetic=synthetic)


def evaluate(
    fixtures: Path,
    *,
    engine: EvalEngine = "llm",
    record: bool = False,
    **settings: Any,
) -> EvalRun:
    """Summarise and score every fixture meeting: replaying cassettes, recording them, or offline."""
    from summarise.api import asummarise_meeting, run_sync
    from summarise.engines.model.prompts import prompt_versions
    from summarise.ingest.pack import load_pack

    if engine not in ("llm", "extractive"):
        raise ConfigurationError(f"eval engine must be llm or extractive, got {engine!r}")
    if record and engine != "llm":
        raise ConfigurationError("--record records model responses: use it with --engine llm")
    prompts_dir = settings.get("prompts_dir")
    versions = prompt_versions(prompts_dir)
    items = load_fixtures(fixtures)
    recordings: dict[str, Recording] = {}
    if engine == "llm":
        require_vcr()
    if engine == "llm" and record:
        check_can_record(settings)
    elif engine == "llm":
        ignored = sorted(k for k in settings if k in RECORDED_SETTINGS)
        if ignored:
            log.warning(
                "replay uses the settings recorded with each cassette; ignoring %s", ", ".join(ignored)
            )
        misses: list[CassetteMissError] = []
        for fixture in items:  # every prompt check before any call
            try:
                recordings[fixture.name] = find_recording(fixtures, fixture.name, versions)
            except CassetteMissError as exc:
                misses.append(exc)
        if misses:
            if len(misses) == 1:
                raise misses[0]
            raise CassetteMissError("\n".join(str(m) for m in misses), details={"misses": len(misses)})

    results = []
    for fixture in items:
        meeting = load_pack(list(fixture.packs))
        summary: MeetingSummary | None = None
        error = None
        synthetic = False
        try:
            if engine == "extractive":
                summary = run_sync(partial(asummarise_meeting, meeting, "extractive"))
            elif record:
                summary = run_sync(partial(_record, meeting, fixtures, fixture.name, versions, settings))
                synthetic = Recording.load(
                    cassette_folder(fixtures, fixture.name) / f"{prompt_set_hash(versions)}.json"
                ).synthetic
            else:
                recording = recordings[fixture.name]
                synthetic = recording.synthetic
                summary = run_sync(partial(_replay, meeting, recording, fixtures, fixture.name, prompts_dir))
        except ModelError as exc:  # a model that cannot answer scores zero; the run goes on
            log.warning("meeting %s: %s", fixture.name, exc)
            error = f"{type(exc).__name__}: {exc}"
        results.append(_score(fixture, meeting, summary, error, synthetic))
    return EvalRun(engine=engine, prompt_versions=versions, meetings=results)


# --- baseline ------------------------------------------------------------------------------------


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


Status = Literal["same", "better", "worse", "regression", "new", "missing"]


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
            return f"{self.meeting}: {self.metric} is missing (baseline {_fmt(self.baseline)})"
        return (
            f"{self.meeting}: {self.metric} {_fmt(self.baseline)} -> {_fmt(self.value)} "
            f"({tol.direction} is better, tolerance {_fmt(tol.allowed(self.baseline or 0.0))})"
        )


def _status(tol: Tolerance, base: float, value: float) -> Status:
    if tol.regressed(base, value):
        return "regression"
    if abs(value - base) <= 1e-9:
        return "same"
    if tol.direction == "either":
        return "worse"
    better = value > base if tol.direction == "higher" else value < base
    return "better" if better else "worse"


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


# --- output --------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"


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
            _fmt(c.baseline),
            _fmt(c.value),
            _delta(c),
            c.tolerance.direction,
            c.status,
        ]
        if reference is not None:
            row.append(_fmt(reference.get(c.meeting, {}).get(c.metric)))
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


def scores_only(run: EvalRun) -> list[Change]:
    return [
        Change(m.name, k, None, v, DEFAULT_TOLERANCES.get(k, Tolerance("either")), "new")
        for m in run.meetings
        for k, v in m.scores.items()
    ]


def run_eval(
    fixtures: str | Path,
    *,
    baseline: str | Path | None = None,
    update_baseline: bool = False,
    record: bool = False,
    report: str | Path | None = None,
    engine: EvalEngine = "llm",
    **settings: Any,
) -> EvalOutcome:
    """Evaluate ``fixtures`` and compare with ``baseline`` (default ``FIXTURES/baseline.json`` if present).

    Raises CassetteMissError when replay cannot run (a prompt changed, or no recording), and
    ConfigurationError for bad fixtures, baselines or ``record`` without a model.
    ``outcome.failed`` says whether the CLI should exit 1.
    """
    folder = Path(fixtures)
    base_path = Path(baseline) if baseline is not None else folder / BASELINE_NAME
    if baseline is not None and not base_path.is_file() and not update_baseline:
        raise ConfigurationError(f"{base_path}: no such baseline; create it with --update-baseline")
    if report is not None:
        from summarise.render.files import check_output_path

        check_output_path(Path(report))
    try:
        run = evaluate(folder, engine=engine, record=record, **settings)
    except CassetteMissError as exc:
        if report is not None:  # the CI job still has something to post
            Path(report).write_text(f"## summarise eval: cannot replay\n\n{exc}\n", encoding="utf-8")
        raise
    current = Baseline.load(base_path) if base_path.is_file() else Baseline.empty()
    previous = current.meetings(engine)
    outcome = EvalOutcome(
        run=run,
        changes=compare(run, current) if previous is not None else scores_only(run),
        compared=previous is not None,
    )
    if engine == "llm":
        outcome.reference = current.meetings("extractive")
        if outcome.reference is not None:
            outcome.notes.append(
                "extractive: the offline engine's baseline scores, the floor a model must beat"
            )
    if update_baseline:
        current.with_run(run).save(base_path)
        outcome.baseline_written = base_path
        outcome.notes.append(f"baseline for {engine} written to {base_path}")
    if report is not None:
        Path(report).write_text(outcome.markdown(), encoding="utf-8")
    return outcome


__all__ = [
    "Baseline",
    "Change",
    "EvalOutcome",
    "EvalRun",
    "MeetingFixture",
    "MeetingResult",
    "Recording",
    "compare",
    "describe_prompt_changes",
    "evaluate",
    "find_recording",
    "load_fixtures",
    "parse_reference",
    "prompt_set_hash",
    "run_eval",
]
