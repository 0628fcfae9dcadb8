"""One object holding what every call shares: the settings, the engine and your own model client.

The module-level functions (:func:`summarise.summarise_pack` and friends) stay as shortcuts; an
app that summarises more than one meeting, or wants the estimate first, holds a
:class:`Summariser`:

>>> from summarise import Summariser
>>> summariser = Summariser(engine="extractive")
>>> summary = summariser.summarise("examples/sample-pack.pdf", progress=False)
>>> [item.number for item in summary.items][:3]
['1', '2', '3']
>>> summariser.estimate("examples/sample-pack.pdf").calls > 0
True
>>> summariser.verify(summary, "examples/sample-pack.pdf").checked > 0
True
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Unpack

from summarise._sync import run_sync
from summarise.api import ItemCallback, PathsLike, asummarise_pack, resolve_settings
from summarise.batch import MeetingLike, MeetingResult, asummarise_many, summarise_many
from summarise.engines import choose_engine
from summarise.ingest import load_pack
from summarise.models.summary import ItemSummary, MeetingSummary, Verification
from summarise.progress import ProgressCallback
from summarise.settings import Settings, SettingsOverrides
from summarise.verify import verify_summary

if TYPE_CHECKING:  # the estimate's module plans model calls; only its type is needed here
    from summarise.engines.model.estimate import Estimate


class Summariser:
    """Settings (validated once), an engine name and an optional ``openai.AsyncOpenAI`` client.

    ``client`` is yours: it is used for every model call (proxies, headers, tracing) and left open.
    Settings come from ``settings`` (else the environment), then ``overrides``; a misspelt
    override is a :class:`~summarise.errors.ConfigurationError` naming the likely fix, and mypy
    rejects it too.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        engine: str = "auto",
        client: Any = None,
        **overrides: Unpack[SettingsOverrides],
    ) -> None:
        self.settings = resolve_settings(settings, overrides)
        self.engine = choose_engine(engine, self.settings)  # "auto" resolved once, here
        self.client = client

    def __repr__(self) -> str:
        return f"Summariser(engine={self.engine!r}, model={self.settings.model!r})"

    async def asummarise(
        self,
        paths: PathsLike,
        *,
        repair: bool = False,
        progress: ProgressCallback | bool | None = None,
        on_item: ItemCallback | None = None,
        as_one_meeting: bool = False,
    ) -> MeetingSummary:
        """Summarise one meeting's papers (one or more files).

        Files whose front sheets name different meetings raise
        :class:`~summarise.errors.DifferentMeetingsError` unless ``as_one_meeting=True``.
        """
        return await asummarise_pack(
            paths,
            self.engine,
            settings=self.settings,
            client=self.client,
            repair=repair,
            progress=progress,
            on_item=on_item,
            as_one_meeting=as_one_meeting,
        )

    def summarise(
        self,
        paths: PathsLike,
        *,
        repair: bool = False,
        progress: ProgressCallback | bool | None = None,
        on_item: ItemCallback | None = None,
        as_one_meeting: bool = False,
    ) -> MeetingSummary:
        """Synchronous :meth:`asummarise` (works inside Jupyter's running loop too)."""
        return run_sync(
            lambda: self.asummarise(
                paths, repair=repair, progress=progress, on_item=on_item, as_one_meeting=as_one_meeting
            )
        )

    async def items(self, paths: PathsLike, *, as_one_meeting: bool = False) -> AsyncIterator[ItemSummary]:
        """Each item's summary as soon as it is finished (not in agenda order).

        The whole meeting is summarised as usual; an error is raised here once the items before it
        have been yielded.
        """
        finished: asyncio.Queue[ItemSummary] = asyncio.Queue()
        run = asyncio.create_task(
            self.asummarise(paths, on_item=finished.put_nowait, as_one_meeting=as_one_meeting)
        )
        try:
            while not (run.done() and finished.empty()):
                getter = asyncio.ensure_future(finished.get())
                await asyncio.wait({getter, run}, return_when=asyncio.FIRST_COMPLETED)
                if getter.done():
                    yield getter.result()
                else:
                    getter.cancel()
            run.result()  # re-raise a failure
        finally:
            if not run.done():
                run.cancel()

    def asummarise_many(
        self,
        meetings: Iterable[MeetingLike],
        *,
        progress: ProgressCallback | bool | None = None,
        meetings_at_once: int | None = None,
        dask: str | None = None,
    ) -> AsyncIterator[MeetingResult]:
        """Many meetings on one model client, cache, limit and budget; results as they finish
        (see :func:`summarise.asummarise_many`)."""
        return asummarise_many(
            meetings, self.engine, settings=self.settings, client=self.client, progress=progress,
            meetings_at_once=meetings_at_once, dask=dask,
        )  # fmt: skip

    def summarise_many(
        self,
        meetings: Iterable[MeetingLike],
        *,
        progress: ProgressCallback | bool | None = None,
        meetings_at_once: int | None = None,
        dask: str | None = None,
    ) -> Iterator[MeetingResult]:
        """Synchronous :meth:`asummarise_many` (see :func:`summarise.summarise_many`)."""
        return summarise_many(
            meetings, self.engine, settings=self.settings, client=self.client, progress=progress,
            meetings_at_once=meetings_at_once, dask=dask,
        )  # fmt: skip

    def estimate(self, paths: PathsLike, *, as_one_meeting: bool = False) -> Estimate:
        """Calls, tokens and cost of a model run over the papers, before any call."""
        # The estimate plans model calls (prompt files, token budgets): loaded when asked for.
        from summarise.engines.model.estimate import estimate_run  # noqa: PLC0415

        meeting = load_pack(paths, settings=self.settings, as_one_meeting=as_one_meeting)
        return estimate_run(meeting, self.settings)

    def verify(
        self, summary: MeetingSummary, paths: PathsLike, *, as_one_meeting: bool = False
    ) -> Verification:
        """Check a summary's figures, decisions, names and attributions against the papers."""
        return verify_summary(
            summary, load_pack(paths, settings=self.settings, as_one_meeting=as_one_meeting)
        )
