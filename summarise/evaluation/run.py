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

This module runs the pipeline (replaying, recording or offline) and puts the
pieces together: :mod:`~summarise.evaluation.fixtures` (the meetings),
:mod:`~summarise.evaluation.cassettes` (which recording replays them),
:mod:`~summarise.evaluation.metrics` (the scores), :mod:`~summarise.evaluation.baseline`
(the comparison) and :mod:`~summarise.evaluation.report` (the outcome, as a table or Markdown).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from summarise.api import asummarise_meeting, run_sync
from summarise.engines.model.prompts import prompt_versions
from summarise.errors import CassetteMissError, ConfigurationError, ModelError
from summarise.evaluation.baseline import BASELINE_NAME, Baseline, compare, scores_only
from summarise.evaluation.cassettes import (
    Recording,
    cassette_folder,
    describe_missed_request,
    describe_prompt_changes,
    find_recording,
    prompt_set_hash,
    record_hint,
    require_vcr,
)
from summarise.evaluation.fixtures import MeetingFixture, load_fixtures
from summarise.evaluation.metrics import failed_scores, score_summary
from summarise.evaluation.outputs import save_baseline_summaries, write_outputs
from summarise.evaluation.recordings import cassette_vcr, in_ci, is_synthetic, vcr_miss
from summarise.evaluation.report import EvalOutcome
from summarise.evaluation.results import EvalEngine, EvalRun, MeetingResult
from summarise.ingest.pack import load_pack
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.render import render_markdown
from summarise.render.files import check_output_path
from summarise.settings import Settings

log = logging.getLogger(__name__)

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


# --- recording and replay -------------------------------------------------------------------------


def request_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings that shape request bodies, resolved, to be stored with a cassette."""
    config = Settings.from_env(**{k: v for k, v in settings.items() if k != "use_cache"})
    out = {name: getattr(config, name) for name in RECORDED_SETTINGS}
    param = config.output_tokens_param
    out["output_tokens_param"] = (
        ("max_completion_tokens" if config.is_openai else "max_tokens") if param == "auto" else param
    )
    return out


async def _replay(
    meeting: Meeting,
    recording: Recording,
    fixtures: Path,
    name: str,
    prompts_dir: Path | None,
    rerun: Sequence[str] | None,
) -> MeetingSummary:
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
            # The model is what is scored: a failure must count against it, not be covered by a fallback.
            return await asummarise_meeting(meeting, "llm", **{**settings, "fallback": False})
    except Exception as exc:
        miss = vcr_miss(exc)
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
            f"{why}; {record_hint(fixtures, rerun)}",
            details={"meeting": name, "cassette": str(recording.cassette)},
        ) from None


async def _record(
    meeting: Meeting, fixtures: Path, name: str, versions: Mapping[str, str], settings: Mapping[str, Any]
) -> MeetingSummary:
    folder = cassette_folder(fixtures, name)
    folder.mkdir(parents=True, exist_ok=True)
    set_hash = prompt_set_hash(versions)
    cassette = folder / f"{set_hash}.yaml"
    cassette.unlink(missing_ok=True)
    run_settings = {**settings, "use_cache": False, "fallback": False}  # no cache: no hole in the cassette
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
    if in_ci():
        raise ConfigurationError("--record is refused under CI: CI only replays the committed cassettes")
    if not Settings.from_env(**settings).model_configured:
        raise ConfigurationError(
            "--record needs a model to record against: set OPENAI_API_KEY, or give --base-url "
            "(e.g. a local server: python -m summarise.testing)"
        )


def _records_once(miss: CassetteMissError, settings: Mapping[str, Any]) -> bool:
    """A meeting with no recording at all is recorded on a first local run, as cassettes are; never
    in CI, never without a model, and never in place of recordings a prompt change invalidated."""
    never_recorded = "changes" not in miss.details and "meeting" in miss.details
    return never_recorded and not in_ci() and Settings.from_env(**settings).model_configured


# --- running ------------------------------------------------------------------------------------


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
    return MeetingResult(fixture.name, scores, synthetic=synthetic, summary_markdown=render_markdown(summary))


def evaluate(
    fixtures: Path,
    *,
    engine: EvalEngine = "llm",
    record: bool = False,
    rerun: Sequence[str] | None = None,
    **settings: Any,
) -> EvalRun:
    """Summarise and score every fixture meeting: replaying cassettes, recording them, or offline."""
    if engine not in ("llm", "extractive"):
        raise ConfigurationError(f"eval engine must be llm or extractive, got {engine!r}")
    if record and engine != "llm":
        raise ConfigurationError("--record records model responses: use it with --engine llm")
    # One path for --prompts and SUMMARISE_PROMPTS: the prompt-change check sees what the run sends.
    prompts_dir = Settings.from_env(prompts_dir=settings.get("prompts_dir")).prompts_dir
    versions = prompt_versions(prompts_dir)
    items = load_fixtures(fixtures)
    recordings: dict[str, Recording] = {}
    first_runs: set[str] = set()  # meetings with no recording at all: recorded once (never in CI)
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
                recordings[fixture.name] = find_recording(fixtures, fixture.name, versions, rerun)
            except CassetteMissError as exc:
                if _records_once(exc, settings):
                    log.warning("meeting %s: no recording yet; recording it once now", fixture.name)
                    first_runs.add(fixture.name)
                else:
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
            elif record or fixture.name in first_runs:
                summary = run_sync(partial(_record, meeting, fixtures, fixture.name, versions, settings))
                synthetic = Recording.load(
                    cassette_folder(fixtures, fixture.name) / f"{prompt_set_hash(versions)}.json"
                ).synthetic
            else:
                recording = recordings[fixture.name]
                synthetic = recording.synthetic
                summary = run_sync(
                    partial(_replay, meeting, recording, fixtures, fixture.name, prompts_dir, rerun)
                )
        except ModelError as exc:  # a model that cannot answer scores zero; the run goes on
            log.warning("meeting %s: %s", fixture.name, exc)
            error = f"{type(exc).__name__}: {exc}"
        results.append(_score(fixture, meeting, summary, error, synthetic))
    return EvalRun(engine=engine, prompt_versions=versions, meetings=results)


def run_eval(
    fixtures: str | Path,
    *,
    baseline: str | Path | None = None,
    update_baseline: bool = False,
    record: bool = False,
    report: str | Path | None = None,
    engine: EvalEngine = "llm",
    out: str | Path | None = None,
    rerun: Sequence[str] | None = None,
    **settings: Any,
) -> EvalOutcome:
    """Evaluate ``fixtures`` and compare with ``baseline`` (default ``FIXTURES/baseline.json`` if present).

    ``out``: a folder for each meeting's summary and its diff against the baseline's summary.
    ``rerun``: the arguments the user ran ``summarise eval`` with, repeated in re-record hints.

    Raises CassetteMissError when replay cannot run (a prompt changed, or no recording), and
    ConfigurationError for bad fixtures, baselines or ``record`` without a model.
    ``outcome.failed`` says whether the CLI should exit 1.
    """
    folder = Path(fixtures)
    base_path = Path(baseline) if baseline is not None else folder / BASELINE_NAME
    if baseline is not None and not base_path.is_file() and not update_baseline:
        raise ConfigurationError(f"{base_path}: no such baseline; create it with --update-baseline")
    if report is not None:
        check_output_path(Path(report))
    try:
        run = evaluate(folder, engine=engine, record=record, rerun=rerun, **settings)
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
    if out is not None:  # before the baseline moves: the diff is against the one compared with
        outcome.notes += [d.describe() for d in write_outputs(run, Path(out), base_path)]
    if update_baseline:
        current.with_run(run).save(base_path)
        stored = save_baseline_summaries(run, base_path)
        outcome.baseline_written = base_path
        outcome.notes.append(f"baseline for {engine} written to {base_path} (summaries in {stored})")
    if report is not None:
        Path(report).write_text(outcome.markdown(), encoding="utf-8")
    return outcome
