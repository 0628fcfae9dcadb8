"""The offline engine behind the :class:`~summarise.engines.base.Engine` contract.

Items are drafted in worker threads (the work is pure Python, so this keeps an event loop
responsive rather than making it faster); the pack's definitions are found once per meeting and
shared by every item, the synopsis and the footnotes.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from typing import Any

from summarise._sync import run_sync
from summarise._version import __version__
from summarise.engines.base import assemble, register_engine
from summarise.engines.extractive.engine import ENGINE, summarise_item, synopsis
from summarise.glossary import Definition, find_acts, find_definitions
from summarise.models.meeting import AgendaItem, Meeting
from summarise.models.summary import ItemSummary, MeetingSummary, Provenance, Usage
from summarise.settings import Settings


def _pack_definitions(meeting: Meeting) -> dict[str, Definition]:
    """The pack's own definitions, and what it says of each Act it cites (a definition wins)."""
    return {**find_acts(meeting.pages), **find_definitions(meeting.pages)}


class ExtractiveEngine:
    """``engine="extractive"``: no model, no network; the same output shape as the model engine."""

    name = ENGINE

    def __init__(self, settings: Settings, *, client: Any = None) -> None:
        self.settings = settings
        self._lock = asyncio.Lock()
        self._meeting: Meeting | None = None
        self._found: dict[str, Definition] = {}

    async def _definitions(self, meeting: Meeting) -> dict[str, Definition]:
        async with self._lock:
            if self._meeting is not meeting:
                self._found = await asyncio.to_thread(_pack_definitions, meeting)
                self._meeting = meeting
            return self._found

    async def summarise_item(self, meeting: Meeting, item: AgendaItem) -> ItemSummary:
        definitions = await self._definitions(meeting)
        return await asyncio.to_thread(summarise_item, meeting, item, definitions=definitions)

    async def synopsis(self, meeting: Meeting, items: Sequence[ItemSummary]) -> str:
        return synopsis(meeting, items)

    async def definitions(self, meeting: Meeting, summary: MeetingSummary) -> dict[str, Definition]:
        return dict(await self._definitions(meeting))

    def provenance(self) -> Provenance:
        return Provenance(engine=self.name, library_version=__version__, created_at=dt.datetime.now(dt.UTC))

    @property
    def usage(self) -> Usage:
        return Usage()

    async def aclose(self) -> None:
        return None


def summarise_meeting(meeting: Meeting, settings: Settings | None = None) -> MeetingSummary:
    """The offline engine's summary of ``meeting``, synchronously (no verification: see the API)."""

    async def run() -> MeetingSummary:
        return await assemble(ExtractiveEngine(settings or Settings()), meeting)

    return run_sync(run)


register_engine(ENGINE, ExtractiveEngine)
