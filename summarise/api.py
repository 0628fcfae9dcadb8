"""The public entry points: ``summarise_pack``, ``asummarise_pack`` and ``asummarise_meeting``.

Settings are read once, here: from ``settings=`` (a :class:`~summarise.Settings`) or the
environment, then the keyword overrides (typed: mypy rejects ``modle=``; unknown names are a
:class:`~summarise.errors.ConfigurationError` at run time too). The same object then travels
through ingest (its caches), the engine and verification.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import Any, Unpack

from summarise._sync import run_sync
from summarise.engines import (
    MODEL,
    OFFLINE,
    Engine,
    assemble,
    check_engine_name,
    choose_engine,
    create_engine,
    item_people,
)
from summarise.engines.model.flow import process_flights
from summarise.errors import ConfigurationError
from summarise.ingest import load_pack
from summarise.models.meeting import Meeting
from summarise.models.summary import ItemSummary, MeetingSummary, Verification
from summarise.progress import ProgressCallback, resolve_progress
from summarise.settings import Settings, SettingsOverrides
from summarise.verify import verify_summary
from summarise.verify.evidence import fingerprint

log = logging.getLogger(__name__)

PathsLike = str | Path | Sequence[str | Path]
ItemCallback = Callable[[ItemSummary], None]
"""``on_item(item)``: called with each item's finished summary, as it completes."""

__all__ = [
    "PathsLike",
    "asummarise_meeting",
    "asummarise_pack",
    "resolve_engine",
    "resolve_settings",
    "run_sync",
    "summarise_pack",
    "summarise_with",
    "with_verification",
]


def resolve_settings(settings: Settings | None, overrides: Mapping[str, Any]) -> Settings:
    """``settings`` (else the environment's), with ``overrides`` applied and checked."""
    if settings is None:
        return Settings.from_env(**overrides)
    if not isinstance(settings, Settings):
        raise ConfigurationError("settings must be a summarise.Settings")
    return settings.with_overrides(**overrides)


def resolve_engine(engine: str, settings: Mapping[str, Any] | Settings) -> str:
    """The engine ``engine`` names; ``auto`` picks the model engine where one is configured."""
    check_engine_name(engine)  # before reading the environment: a bad name is the error to show
    config = settings if isinstance(settings, Settings) else Settings.from_env(**settings)
    return choose_engine(engine, config)


async def _summarise(
    meeting: Meeting,
    engine: str,
    config: Settings,
    *,
    client: Any,
    repair: bool,
    progress: ProgressCallback | None,
    on_item: ItemCallback | None = None,
) -> MeetingSummary:
    async with _model_sdk(engine, config, client) as client:
        runner = create_engine(engine, config, client=client)
        summary = await summarise_with(runner, meeting, config, progress=progress, on_item=on_item)
        if repair and runner.name == MODEL:
            summary = await repair_unsupported(summary, meeting, config, client=client)
    return summary


def _model_sdk(engine: str, config: Settings, client: Any) -> AbstractAsyncContextManager[Any]:
    """The SDK client a model run uses: the caller's, else one shared by the model runs on this
    event loop at the time (each SDK client built costs a TLS context: see engines.model.connections).
    The Batch API's rounds own their client's lifetime, so they keep building their own."""
    if client is not None or config.batch_api or choose_engine(engine, config) != MODEL:
        return nullcontext(client)
    # openai is imported by model runs only (see engines._model_engine)
    from summarise.engines.model.connections import shared_client  # noqa: PLC0415 - openai is slow to import

    return shared_client(config)


async def summarise_with(
    runner: Engine,
    meeting: Meeting,
    config: Settings,
    *,
    progress: ProgressCallback | None = None,
    on_item: ItemCallback | None = None,
) -> MeetingSummary:
    """``meeting`` summarised by an engine the caller built (a batch's engines share one model
    client), the offline engine writing what it fails on, then verified. ``runner`` is closed."""
    offline = create_engine(OFFLINE, config) if config.fallback and runner.name != OFFLINE else None
    try:
        summary = await assemble(
            runner,
            meeting,
            progress,
            fallback=offline,
            on_item=on_item,
            people=item_people,
        )
    finally:
        await runner.aclose()
    return await verified(summary, meeting)


async def asummarise_meeting(
    meeting: Meeting,
    engine: str = "auto",
    *,
    settings: Settings | None = None,
    client: Any = None,
    repair: bool = False,
    progress: ProgressCallback | bool | None = None,
    on_item: ItemCallback | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> MeetingSummary:
    """Summarise a meeting already loaded with :func:`summarise.load_pack`.

    ``engine``: ``"auto"`` (the model where a key or base URL is configured, else offline),
    ``"extractive"`` or ``"llm"``. ``client``: your own ``openai.AsyncOpenAI`` for the model
    engine (left open). ``repair``: re-ask once for items with unsupported figures.
    ``on_item``: called with each item's summary as soon as it is finished.
    """
    config = resolve_settings(settings, overrides)
    return await _summarise(
        meeting,
        engine,
        config,
        client=client,
        repair=repair,
        progress=resolve_progress(progress),
        on_item=on_item,
    )


async def repair_unsupported(
    summary: MeetingSummary, meeting: Meeting, settings: Settings, *, client: Any = None
) -> MeetingSummary:
    """``--repair``: re-ask once for each item with unsupported figures, the findings attached."""
    findings: dict[str, list[str]] = {}
    for finding in summary.verification.unsupported_figures:
        if finding.item is not None:
            pages = ", ".join(map(str, finding.pages_searched)) or "the item's pages"
            findings.setdefault(finding.item, []).append(f"- {finding.text!r} (searched pages {pages})")
    if not findings:
        return summary
    log.info("repairing %d item(s) with unsupported figures", len(findings))
    feedback = {number: "\n".join(lines) for number, lines in findings.items()}
    # The model engine (and openai) is imported only by runs that use it: see engines._model_engine.
    from summarise.engines.model.engine import repair_with_model  # noqa: PLC0415 - openai is slow to import

    repaired = await repair_with_model(summary, meeting, feedback, settings, client=client)
    return await verified(repaired, meeting)


def with_verification(summary: MeetingSummary, meeting: Meeting) -> MeetingSummary:
    """Fill ``summary.verification``: every figure, name and acronym checked against its pages."""
    return summary.model_copy(update={"verification": verify_summary(summary, meeting)})


async def verified(summary: MeetingSummary, meeting: Meeting) -> MeetingSummary:
    """:func:`with_verification` in a thread, done once per process for equal work.

    Verification is pure, so meetings summarised from the same papers (their calls answered by one
    flight or the cache) get equal summaries, and the later ones take the first one's result: at
    once, they await its check (on the event loop, holding no worker thread); later, they read it."""
    key = _verification_key(summary, meeting)
    known = _VERIFIED.get(key)
    if known is None:
        # the loop's single-flight, shared with model calls: their keys start with a server's name
        found, _ = await process_flights().run(
            f"verify\n{key}", lambda: asyncio.to_thread(verify_summary, summary, meeting)
        )
        _VERIFIED[key] = known = found
        while len(_VERIFIED) > _VERIFIED_KEEP:
            _VERIFIED.popitem(last=False)
    else:
        _VERIFIED.move_to_end(key)
    verification = known.model_copy(deep=True)  # each summary its own, to change freely
    return summary.model_copy(update={"verification": verification})


def _verification_key(summary: MeetingSummary, meeting: Meeting) -> str:
    """The meeting's content and everything of the summary but what differs between equal runs."""
    text = summary.model_dump_json(exclude={"provenance", "usage", "verification"})
    return hashlib.sha256(f"{fingerprint(meeting)}\0{text}".encode()).hexdigest()


_VERIFIED_KEEP = 64
_VERIFIED: OrderedDict[str, Verification] = OrderedDict()


async def asummarise_pack(
    paths: PathsLike,
    engine: str = "auto",
    *,
    settings: Settings | None = None,
    client: Any = None,
    repair: bool = False,
    progress: ProgressCallback | bool | None = None,
    on_item: ItemCallback | None = None,
    as_one_meeting: bool = False,
    **overrides: Unpack[SettingsOverrides],
) -> MeetingSummary:
    """Read a report pack (one or more files, one meeting) and summarise it.

    Ingest's cache follows the settings (``cache_dir``, ``use_cache``). Files whose front sheets
    name different meetings raise :class:`~summarise.errors.DifferentMeetingsError` unless
    ``as_one_meeting=True``. Other arguments as :func:`asummarise_meeting`.

    >>> summary = await asummarise_pack(["examples/sample-pack.pdf"], engine="extractive")  # doctest: +SKIP
    """
    config = resolve_settings(settings, overrides)
    choose_engine(engine, config)  # fail on a bad engine before reading anything
    bars = resolve_progress(progress)
    meeting = await asyncio.to_thread(
        load_pack, paths, settings=config, as_one_meeting=as_one_meeting, progress=bars
    )
    return await _summarise(
        meeting,
        engine,
        config,
        client=client,
        repair=repair,
        progress=bars,
        on_item=on_item,
    )


def summarise_pack(
    paths: PathsLike,
    engine: str = "auto",
    *,
    settings: Settings | None = None,
    client: Any = None,
    repair: bool = False,
    progress: ProgressCallback | bool | None = None,
    on_item: ItemCallback | None = None,
    as_one_meeting: bool = False,
    **overrides: Unpack[SettingsOverrides],
) -> MeetingSummary:
    """Synchronous :func:`asummarise_pack`; works inside Jupyter's running loop too.

    >>> import summarise
    >>> summary = summarise.summarise_pack("examples/sample-pack.pdf", engine="extractive")  # doctest: +SKIP
    >>> summary.items[0].title  # doctest: +SKIP
    'Apologies for Absence'
    """
    config = resolve_settings(settings, overrides)
    return run_sync(
        lambda: asummarise_pack(
            paths,
            engine,
            settings=config,
            client=client,
            repair=repair,
            progress=progress,
            on_item=on_item,
            as_one_meeting=as_one_meeting,
        )
    )
