"""Many meetings in one run: one model client, one call cache, one concurrency limit, one budget.

Each meeting gets its own engine (its own prompt values and usage meter) on the batch's one
:class:`~summarise.engines.model.client.ModelClient`, so a request that two meetings make is
paid once (the client's call cache and single flight), ``concurrency`` bounds the requests in
flight over the whole batch, and ``max_cost`` is the batch's budget. Results come back as
meetings finish; a meeting that fails is a :class:`MeetingResult` with its typed error, and the
others go on.

Meetings are read in a few worker processes (:mod:`summarise.batch.reading`: pypdf is not
thread-safe); with ``dask=`` they are read (and the offline engine runs) on the cluster's workers
instead (:mod:`summarise.batch.cluster`), while every model call still goes through the one client
here.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Unpack

from summarise.api import resolve_settings, summarise_with
from summarise.batch.inputs import MeetingLike, MeetingSpec, meeting_specs, with_given_info
from summarise.batch.reading import Reader, default_processes
from summarise.engines import MODEL, OFFLINE, Engine, choose_engine, create_engine
from summarise.errors import ConfigurationError, ModelError, SummariseError
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary, Usage
from summarise.progress import ProgressCallback, resolve_progress
from summarise.settings import Settings, SettingsOverrides
from summarise.text.tokens import encoding_for

if TYPE_CHECKING:  # the model client and the cluster are imported when a batch uses them
    from summarise.batch.cluster import Cluster
    from summarise.engines.model.client import ModelClient

log = logging.getLogger(__name__)

Status = Literal["ok", "fallback", "failed"]


@dataclass
class MeetingResult:
    """One meeting's outcome: its summary, or the typed error it failed with; what it cost."""

    spec: MeetingSpec
    summary: MeetingSummary | None = None
    error: SummariseError | None = None
    usage: Usage = field(default_factory=Usage)
    seconds: float = 0.0

    @property
    def meeting_id(self) -> str:
        return self.spec.meeting_id

    @property
    def status(self) -> Status:
        """``ok``; ``fallback`` (some parts written by the offline engine); ``failed``."""
        if self.summary is None:
            return "failed"
        return "fallback" if self.summary.provenance.fallbacks else "ok"


class Batch:
    """What the meetings of a batch share. Use as ``async with Batch(...) as batch``.

    ``model_client``: a prepared client to share (another transport, such as a Batch API one);
    by default one is built from the settings (with ``client``, your ``openai.AsyncOpenAI``).
    ``meetings_at_once``: meetings in progress at once (default: the concurrency, at least 2; with
    ``settings.batch_api`` and the model engine, every meeting of the run, see :meth:`at_once`).
    ``dask``: a scheduler address, ``"local"`` for a small local cluster, or None.
    ``read_processes``: processes reading meetings without Dask (default: the cores, 1 to 4; 0:
    read in this process).
    """

    def __init__(
        self,
        settings: Settings,
        engine: str = "auto",
        *,
        client: Any = None,
        model_client: ModelClient | None = None,
        meetings_at_once: int | None = None,
        dask: str | None = None,
        read_processes: int | None = None,
    ) -> None:
        self.settings = settings
        self.engine = choose_engine(engine, settings)
        self._client = client
        self._model_client = model_client
        self._owns_model_client = model_client is None
        self.meetings_at_once = meetings_at_once  # None: see at_once()
        self._dask_address = dask
        self.cluster: Cluster | None = None
        self._read_processes = default_processes() if read_processes is None else read_processes
        self._reader: Reader | None = None
        self._all_read = _Gate(0)

    def in_rounds(self) -> bool:
        """Whether the model calls go through the Batch API, in rounds (``settings.batch_api``)."""
        return self.settings.batch_api and self.engine == MODEL

    def at_once(self, meetings: int) -> int:
        """Meetings in progress at once, for a run of ``meetings``.

        Through the Batch API every meeting must be in progress at once: a round holds the calls
        the meetings in progress make, so with a few at a time 30 meetings would take 20+ rounds
        of up to 24 hours each instead of one per pipeline stage. An explicit number still wins.
        """
        if self.meetings_at_once is not None:
            return max(1, self.meetings_at_once)
        if self.in_rounds():
            return max(1, meetings)
        return max(2, self.settings.concurrency)

    async def __aenter__(self) -> Batch:
        if self._dask_address is None:  # first: its processes are forked before any thread starts
            # Ingest and planning count tokens: the encoding (a second or two to load) is loaded
            # once, here, and the reading processes start with it.
            encoding_for(None)
            self._reader = Reader(self._read_processes)
        if self.engine == MODEL and self._model_client is None:
            # openai is imported only by batches that call a model (see engines._model_engine).
            from summarise.engines.model.client import ModelClient  # noqa: PLC0415

            self._model_client = ModelClient(self.settings, openai_client=self._client)
        if self._dask_address is not None:
            # distributed is an optional extra and slow to import: only for batches that use it.
            from summarise.batch.cluster import Cluster  # noqa: PLC0415

            self.cluster = await Cluster.connect(self._dask_address)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._model_client is not None and self._owns_model_client:
            await self._model_client.aclose()
        if self.cluster is not None:
            await self.cluster.close()
            self.cluster = None

    @property
    def usage(self) -> Usage:
        """Every model call of the batch so far (made, or answered from the cache)."""
        return self._model_client.usage if self._model_client is not None else Usage()

    def _engine(self) -> Engine:
        if self._model_client is not None:
            # The model engine is imported with the client (see __aenter__).
            from summarise.engines.model.engine import ModelEngine  # noqa: PLC0415

            return ModelEngine(self.settings, model_client=self._model_client)
        return create_engine(self.engine, self.settings, client=self._client)

    async def _read(self, spec: MeetingSpec) -> Meeting:
        if self.cluster is not None:
            meeting = await self.cluster.load(spec.paths, self.settings)
        else:
            assert self._reader is not None, "use the batch as `async with Batch(...)`"
            meeting = await self._reader.read(spec.paths, self.settings)
        return with_given_info(meeting, spec)

    async def summarise_one(self, spec: MeetingSpec) -> MeetingResult:
        """One meeting, never raising for a failure of its own: the result carries the error.

        A :class:`~summarise.errors.ConfigurationError` stops the batch instead: it is not the
        meeting's, and every other meeting would meet it too.
        """
        started = time.monotonic()
        runner: Engine | None = None
        try:
            if self.cluster is not None and self.engine == OFFLINE:
                summary = await self.cluster.summarise_offline(spec, self.settings)
            else:
                try:
                    meeting = await self._read(spec)
                finally:
                    self._all_read.arrive()
                await self._all_read.wait()
                runner = self._engine()
                summary = await summarise_with(runner, meeting, self.settings)
            return MeetingResult(spec, summary, usage=summary.usage, seconds=time.monotonic() - started)
        except ConfigurationError:
            raise  # bad credentials, an unknown model, a prompt that does not fill: every meeting would fail
        except SummariseError as exc:
            spent = runner.usage if runner is not None else Usage()
            if isinstance(exc, ModelError) and exc.usage is None:
                exc.usage = spent
            log.info("meeting %s failed: %s", spec.meeting_id, exc)
            return MeetingResult(spec, error=exc, usage=spent, seconds=time.monotonic() - started)
        except Exception as exc:  # a bug met by one meeting must not stop the others
            log.exception("meeting %s failed unexpectedly", spec.meeting_id)
            error = SummariseError(f"unexpected {type(exc).__name__}: {exc}")
            spent = runner.usage if runner is not None else Usage()
            return MeetingResult(spec, error=error, usage=spent, seconds=time.monotonic() - started)

    async def run(
        self, meetings: Iterable[MeetingLike], progress: ProgressCallback | None = None
    ) -> AsyncIterator[MeetingResult]:
        """Each meeting's result as it finishes (not in the order given)."""
        specs = meeting_specs(meetings)
        at_once = self.at_once(len(specs))
        # A Batch API round closes once no request has come for ``batch_idle`` seconds, and reading
        # 200 meetings takes longer than that: the meetings wait until all are read, so that their
        # first-stage calls all go into one round.
        self._all_read = _Gate(len(specs) if self.in_rounds() and at_once >= len(specs) else 0)
        done = 0
        async for result in as_finished(specs, self.summarise_one, at_once):
            done += 1
            if progress is not None:
                progress("meetings", done, len(specs))
            yield result


class _Gate:
    """Opens once ``count`` meetings have been read (or failed to be); open at once for 0."""

    def __init__(self, count: int) -> None:
        self._left = count
        self._open = asyncio.Event()
        if count <= 0:
            self._open.set()

    def arrive(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._open.set()

    async def wait(self) -> None:
        await self._open.wait()


async def as_finished(
    specs: list[MeetingSpec],
    work: Callable[[MeetingSpec], Awaitable[MeetingResult]],
    at_once: int,
) -> AsyncIterator[MeetingResult]:
    """``work(spec)`` for every spec, at most ``at_once`` at a time; results as they finish.

    Meetings start in the order given; stopping the iteration cancels the ones in progress.
    """
    waiting = iter(specs)
    running: set[asyncio.Task[MeetingResult]] = set()

    def start() -> None:
        while len(running) < at_once and (spec := next(waiting, None)) is not None:
            running.add(asyncio.ensure_future(work(spec)))

    try:
        start()
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            running.difference_update(done)
            start()
            for task in done:
                yield task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)


async def asummarise_many(
    meetings: Iterable[MeetingLike],
    engine: str = "auto",
    *,
    settings: Settings | None = None,
    client: Any = None,
    model_client: ModelClient | None = None,
    progress: ProgressCallback | bool | None = None,
    meetings_at_once: int | None = None,
    dask: str | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> AsyncIterator[MeetingResult]:
    """Summarise many meetings, each a file, a list of one meeting's files, or a
    :class:`~summarise.batch.MeetingSpec`; yield each :class:`MeetingResult` as it finishes.

    One model client, call cache, concurrency limit and budget (``max_cost``) serve the whole
    batch; a request two meetings share is paid once; ``result.usage`` is each meeting's own.
    A meeting that fails is a result with ``error`` set; the others go on. ``dask``: run ingest
    and the offline engine on a Dask cluster (``"local"`` or a scheduler address; needs the
    ``dask`` extra). Other arguments as :func:`summarise.asummarise_pack`.

    >>> async for result in asummarise_many(["a.pdf", ["b1.pdf", "b2.pdf"]]):  # doctest: +SKIP
    ...     print(result.meeting_id, result.status, result.usage.estimated_cost_usd)
    """
    config = resolve_settings(settings, overrides)
    batch = Batch(
        config, engine, client=client, model_client=model_client, meetings_at_once=meetings_at_once, dask=dask
    )
    async with batch:
        async for result in batch.run(meetings, resolve_progress(progress)):
            yield result


def summarise_many(
    meetings: Iterable[MeetingLike],
    engine: str = "auto",
    *,
    settings: Settings | None = None,
    client: Any = None,
    progress: ProgressCallback | bool | None = None,
    meetings_at_once: int | None = None,
    dask: str | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> Iterator[MeetingResult]:
    """Synchronous :func:`asummarise_many`: results as meetings finish (works in Jupyter too).

    The batch runs in a thread of its own; leaving the loop early stops it.

    >>> for result in summarise.summarise_many(["a.pdf", "b.pdf"], engine="extractive"):  # doctest: +SKIP
    ...     print(result.meeting_id, result.status)
    """
    config = resolve_settings(settings, overrides)
    choose_engine(engine, config)  # a bad engine fails here, not in the thread
    results: queue.Queue[MeetingResult | BaseException | None] = queue.Queue()
    running: list[tuple[asyncio.AbstractEventLoop, asyncio.Task[None]]] = []

    async def produce() -> None:
        running.append((asyncio.get_running_loop(), asyncio.current_task()))  # type: ignore[arg-type]
        async for result in asummarise_many(
            meetings, engine, settings=config, client=client, progress=progress,
            meetings_at_once=meetings_at_once, dask=dask,
        ):  # fmt: skip
            results.put(result)

    def thread_main() -> None:
        try:
            asyncio.run(produce())
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # re-raised in the caller's thread
            results.put(exc)
        results.put(None)

    worker = threading.Thread(target=thread_main, name="summarise-batch", daemon=True)
    worker.start()
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        if worker.is_alive() and running:
            loop, task = running[0]
            loop.call_soon_threadsafe(task.cancel)
        worker.join()
