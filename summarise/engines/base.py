"""The one contract every engine keeps, the registry that names them, and the shared assembly step.

An engine drafts each agenda item from the item's own text (``meeting.item_pages(item)``: the
spans ingest resolved, cut where items share a page), drafts a synopsis from the item drafts, and
gives the definitions its footnotes should carry. :func:`assemble` turns those drafts into a
:class:`~summarise.models.MeetingSummary` the same way for every engine: items in agenda order,
provenance, numbered footnotes, usage. Verification runs after it, in :mod:`summarise.api`.

Adding an engine is one module: a class with these methods and a ``register_engine`` call.

>>> sorted(engine_names())  # doctest: +SKIP
['extractive', 'llm']
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from summarise.errors import ConfigurationError, ModelError
from summarise.glossary import Definition, attach_footnotes
from summarise.ingest.kinds import item_kind, meeting_kind
from summarise.models.meeting import AgendaItem, Meeting
from summarise.models.summary import (
    DocumentKind,
    ItemSummary,
    MeetingSummary,
    Person,
    Provenance,
    SourceFile,
    Usage,
)
from summarise.settings import Settings
from summarise.text.vocab import ACRONYM

ProgressCallback = Callable[[str, int, int], None]
OFFLINE = "extractive"  # the engine with no model: also what writes an item the model fails on
MODEL = "llm"  # any OpenAI-compatible endpoint


class Engine(Protocol):
    """What :func:`assemble` needs from an engine. Methods are async; offline work runs in threads."""

    name: str

    async def summarise_item(self, meeting: Meeting, item: AgendaItem) -> ItemSummary:
        """The item's draft, from ``meeting.item_pages(item)`` only."""
        ...

    async def synopsis(self, meeting: Meeting, items: Sequence[ItemSummary]) -> str:
        """The meeting's synopsis, from the item drafts."""
        ...

    async def definitions(self, meeting: Meeting, summary: MeetingSummary) -> dict[str, Definition]:
        """Terms to footnote in ``summary``: the source's definitions first."""
        ...

    def provenance(self) -> Provenance:
        """Which engine and model wrote the summary, with which prompts."""
        ...

    @property
    def usage(self) -> Usage:
        """Model calls and tokens spent so far (zero for an offline engine)."""
        ...

    async def aclose(self) -> None:
        """Release connections; the engine is not used again."""
        ...


class EngineFactory(Protocol):
    """Builds an engine for one run. ``client``: an engine-specific client the caller owns
    (an ``openai.AsyncOpenAI`` for the model engine); engines that need none ignore it."""

    def __call__(self, settings: Settings, *, client: Any = None) -> Engine: ...


_REGISTRY: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Make ``factory`` (called with the run's :class:`Settings`) available as ``engine=name``."""
    if name == "auto":
        raise ConfigurationError("'auto' is reserved: it chooses between the registered engines")
    _REGISTRY[name] = factory


def engine_names() -> list[str]:
    """Registered engine names, plus ``auto``."""
    return ["auto", *_REGISTRY]


def check_engine_name(name: str) -> None:
    """Fail on an engine nobody registered, before any work is done."""
    if name != "auto" and name not in _REGISTRY:
        raise ConfigurationError(f"unknown engine {name!r}; choose one of {', '.join(engine_names())}")


def choose_engine(name: str, settings: Settings) -> str:
    """``auto`` is the model engine where a key or base URL is configured, else the offline one."""
    check_engine_name(name)
    if name == "auto":
        return MODEL if settings.model_configured else OFFLINE
    return name


def create_engine(name: str, settings: Settings, *, client: Any = None) -> Engine:
    """The engine registered as ``name`` (``auto`` resolved), built for ``settings``."""
    return _REGISTRY[choose_engine(name, settings)](settings, client=client)


T = TypeVar("T")
PeopleFinder = Callable[[Meeting, AgendaItem, DocumentKind], list[Person]]
"""``people(meeting, item, kind)``: everyone an item's own pages name, with their part."""


def _reason(exc: ModelError) -> str:
    """One line for a reader: what failed, without the library's internals."""
    return " ".join(str(exc).split())[:300] or type(exc).__name__


class _Fallbacks:
    """One rule for items, synopsis and glossary: what the engine fails on, the fallback writes."""

    def __init__(self, engine: Engine, fallback: Engine | None) -> None:
        self.engine = engine
        self.fallback = fallback
        self.taken: list[str] = []  # "item 3: why", "synopsis: why"

    async def run(
        self, label: str, step: Callable[[Engine], Awaitable[T]], item: str | None = None
    ) -> tuple[T, Engine, str | None]:
        """``step`` by the engine, else by the fallback: the result, who wrote it and why."""
        try:
            return await step(self.engine), self.engine, None
        except ModelError as exc:
            exc.item = exc.item or item
            exc.usage = self.engine.usage  # everything spent so far, not only this step
            if self.fallback is None:
                raise
            reason = _reason(exc)
            self.taken.append(f"{label}: {reason}")
            return await step(self.fallback), self.fallback, reason


async def assemble(
    engine: Engine,
    meeting: Meeting,
    progress: ProgressCallback | None = None,
    *,
    fallback: Engine | None = None,
    on_item: Callable[[ItemSummary], None] | None = None,
    people: PeopleFinder | None = None,
) -> MeetingSummary:
    """Drafts of every item (concurrently), then synopsis, footnotes and usage: one summary.

    With ``fallback`` (the offline engine), an item, the synopsis or the glossary that the engine
    fails on for good (a :class:`~summarise.errors.ModelError`) is written by ``fallback`` instead
    and marked with the reason. Without it, every item still runs to the end (so no answer already
    paid for is thrown away), then the first failure is raised, naming its item. ``on_item``
    receives each item's finished summary as it completes (not in agenda order). ``people`` names
    the people of an item whose engine named none (the model engine gives a presenter at most):
    read from the pages, so a model's invention never becomes a person.
    """
    total = len(meeting.items)
    done = 0
    guard = _Fallbacks(engine, fallback)
    pack_kind = meeting_kind(meeting)

    async def one(item: AgendaItem) -> ItemSummary:
        nonlocal done
        drafted, writer, reason = await guard.run(
            f"item {item.number}", lambda e: e.summarise_item(meeting, item), item.number
        )
        done += 1
        if progress:
            progress("items", done, total)
        update: dict[str, object] = {"engine": writer.name, "fallback_reason": reason}
        kind = drafted.kind or item_kind(meeting, item, pack_kind)
        update["kind"] = kind
        if people is not None and not drafted.people and drafted.has_papers:
            update["people"] = people(meeting, item, kind)
        finished = drafted.model_copy(update=update)
        if on_item is not None:
            on_item(finished)
        return finished

    if progress:
        progress("items", 0, total)  # each stage says when it starts: its clock starts there
    results = await asyncio.gather(*(one(item) for item in meeting.items), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            if isinstance(result, ModelError):
                result.usage = engine.usage  # everything spent on the meeting, not only that item
            raise result
    items = [r for r in results if isinstance(r, ItemSummary)]
    provenance = engine.provenance()
    summary = MeetingSummary(
        meeting=meeting.info, kind=pack_kind, synopsis="", items=items, provenance=provenance
    )

    async def stage(label: str, step: Callable[[Engine], Awaitable[T]]) -> T:
        """One whole-meeting step, reported to ``progress`` as it starts and ends."""
        if progress:
            progress(label, 0, 1)
        done, _, _ = await guard.run(label, step)
        if progress:
            progress(label, 1, 1)
        return done

    def glossary_step(of: MeetingSummary) -> Awaitable[dict[str, Definition]]:
        return stage("glossary", lambda e: e.definitions(meeting, of))

    # The glossary reads the items, so it runs beside the synopsis, not after it: one model
    # latency less on every run. Terms only the synopsis uses are asked for afterwards.
    synopsis, definitions = await asyncio.gather(
        stage("synopsis", lambda e: e.synopsis(meeting, items)), glossary_step(summary)
    )
    summary.synopsis = synopsis
    if _terms_only_in(synopsis, items):
        opening = summary.model_copy(update={"items": []})
        more = await glossary_step(opening)
        definitions = {**more, **definitions}
    summary = attach_footnotes(summary, definitions, meeting.pages)
    summary.provenance.fallbacks = guard.taken
    summary.usage = engine.usage
    summary.source_files = source_files(meeting)
    return summary


def _terms_only_in(synopsis: str, items: Sequence[ItemSummary]) -> bool:
    """Whether the synopsis uses an acronym that no item's text does."""
    used = set(ACRONYM.findall(synopsis))
    if not used:
        return False
    for item in items:
        text = " ".join([*(p.text for p in item.paragraphs), *(k.text for k in item.key_points)])
        used -= set(ACRONYM.findall(text))
        if not used:
            return False
    return True


def source_files(meeting: Meeting) -> list[SourceFile]:
    """Each file's run of pack pages, in order (ingest numbers the files' pages on)."""
    runs: list[SourceFile] = []
    for page in meeting.pages:
        last = runs[-1] if runs else None
        first = page.number - page.source_page + 1
        if last and last.file == page.source and last.first_page == first:
            last.pages = page.source_page
        else:
            runs.append(SourceFile(file=page.source, first_page=first, pages=page.source_page))
    return runs
