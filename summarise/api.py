"""The public entry points: ``summarise_pack`` and ``asummarise_pack``."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from summarise.errors import ConfigurationError
from summarise.ingest.pack import load_pack
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.progress import ProgressCallback, resolve_progress

log = logging.getLogger(__name__)

Engine = Literal["auto", "extractive", "llm"]
ENGINES: tuple[str, ...] = ("auto", "extractive", "llm")
PathsLike = str | Path | Sequence[str | Path]

T = TypeVar("T")


def model_configured(settings: dict[str, Any]) -> bool:
    """True when a key or base URL is given in arguments or the environment (as Settings reads them)."""
    from summarise.settings import ENV_VARS

    names = {"api_key", "base_url"}
    from_env = any(os.environ.get(var, "").strip() for var, field in ENV_VARS.items() if field in names)
    return from_env or any(settings.get(name) for name in names)


def resolve_engine(engine: str, settings: dict[str, Any]) -> Literal["extractive", "llm"]:
    """``auto`` picks the model engine where one is configured, else the offline one."""
    if engine not in ENGINES:
        raise ConfigurationError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "auto":
        return "llm" if model_configured(settings) else "extractive"
    return "llm" if engine == "llm" else "extractive"


async def asummarise_meeting(
    meeting: Meeting,
    engine: Engine = "auto",
    *,
    progress: ProgressCallback | bool | None = None,
    **settings: Any,
) -> MeetingSummary:
    """Summarise a meeting already loaded with :func:`summarise.load_pack`."""
    progress = resolve_progress(progress)
    repair = bool(settings.pop("repair", False))
    chosen = resolve_engine(engine, settings)
    if chosen == "extractive":
        from summarise.engines.extractive.engine import summarise_meeting

        summary = await asyncio.to_thread(summarise_meeting, meeting)
        if progress:
            progress("items", len(meeting.items), len(meeting.items))
    else:
        from summarise.engines.model.engine import summarise_with_model

        summary = await summarise_with_model(meeting, progress=progress, **settings)
    summary = await asyncio.to_thread(with_verification, summary, meeting)
    if repair and chosen == "llm":
        summary = await repair_unsupported(summary, meeting, **settings)
    return summary


async def repair_unsupported(summary: MeetingSummary, meeting: Meeting, **settings: Any) -> MeetingSummary:
    """``--repair``: re-ask once for each item with unsupported figures, the findings attached."""
    from summarise.engines.model.engine import repair_with_model

    findings: dict[str, list[str]] = {}
    for finding in summary.verification.unsupported_figures:
        if finding.item is not None:
            pages = ", ".join(map(str, finding.pages_searched)) or "the item's pages"
            findings.setdefault(finding.item, []).append(f"- {finding.text!r} (searched pages {pages})")
    if not findings:
        return summary
    log.info("repairing %d item(s) with unsupported figures", len(findings))
    feedback = {number: "\n".join(lines) for number, lines in findings.items()}
    repaired = await repair_with_model(summary, meeting, feedback, **settings)
    return await asyncio.to_thread(with_verification, repaired, meeting)


def with_verification(summary: MeetingSummary, meeting: Meeting) -> MeetingSummary:
    """Fill ``summary.verification``: every figure, name and acronym checked against its pages."""
    from summarise.verify.checks import verify_summary

    return summary.model_copy(update={"verification": verify_summary(summary, meeting)})


async def asummarise_pack(
    paths: PathsLike,
    engine: Engine = "auto",
    *,
    progress: ProgressCallback | bool | None = None,
    **settings: Any,
) -> MeetingSummary:
    """Read a report pack (one or more files, one meeting) and summarise it.

    >>> summary = await asummarise_pack(["examples/sample-pack.pdf"], engine="extractive")  # doctest: +SKIP
    """
    resolve_engine(engine, settings)  # fail on a bad engine before reading anything
    meeting = await asyncio.to_thread(load_pack, paths)
    return await asummarise_meeting(meeting, engine, progress=progress, **settings)


def run_sync(factory: Callable[[], Any]) -> Any:
    """Run a coroutine from sync code, also where a loop already runs (Jupyter)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def summarise_pack(
    paths: PathsLike,
    engine: Engine = "auto",
    *,
    progress: ProgressCallback | bool | None = None,
    **settings: Any,
) -> MeetingSummary:
    """Synchronous :func:`asummarise_pack`; works inside Jupyter's running loop too.

    >>> import summarise
    >>> summary = summarise.summarise_pack("examples/sample-pack.pdf", engine="extractive")  # doctest: +SKIP
    >>> summary.items[0].title  # doctest: +SKIP
    'Apologies for Absence'
    """
    result: MeetingSummary = run_sync(lambda: asummarise_pack(paths, engine, progress=progress, **settings))
    return result
