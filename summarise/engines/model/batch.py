"""``--batch-api``: the model client's chat requests go through the OpenAI Batch API, in rounds.

:func:`use_batch_api` gives a :class:`~summarise.engines.model.client.ModelClient` an HTTP
transport that does not send a chat request: it queues the request's body for the next round and
awaits its answer. A round closes when no new request has come for ``batch_idle`` seconds (or at
the API's per-file limits, and is split to respect them); it is uploaded as JSONL
(``/v1/files``, purpose ``batch``), one batch per file is created (``/v1/batches``,
``/v1/chat/completions``, window 24h), polled with backoff, and its output and error files are read.
Each waiting request then gets its own line's answer as an HTTP response, so the client validates,
re-asks and retries as it always does; a re-ask is a new request and joins the next round. Because
the pipeline's stages wait on each other, rounds fall out as the stages: every meeting's first-stage
calls, then the reductions, then synopses and glossaries.

Identical requests share one line. A request the batch left unanswered (expired, cancelled, a
failed batch, a line missing) goes into the next round, at most ``batch_max_attempts`` times; then
it fails as a :class:`BatchUnansweredError` and the item falls back as in the model engine. Jobs
are kept in the cache database (:mod:`~summarise.engines.model.batch_store`), so a run started
again picks up the batches it already paid for.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai

from summarise.engines.model.batch_lines import (
    CHAT_ENDPOINT,
    MAX_BYTES,
    MAX_REQUESTS,
    Outcome,
    custom_id,
    line_key,
    parse_results,
    request_line,
    split_lines,
)
from summarise.engines.model.batch_store import BatchStore, Job
from summarise.engines.model.cache import CallCache
from summarise.engines.model.flow import AdaptiveLimit
from summarise.engines.model.reask import endpoint_label, is_transient
from summarise.errors import ConfigurationError, ModelUnavailableError
from summarise.settings import Settings

log = logging.getLogger(__name__)

TERMINAL = frozenset({"completed", "failed", "expired", "cancelled"})
JOB_TAG = "summarise_job"  # batch metadata: the job id, to find a batch whose id was never recorded
IN_FLIGHT = 1_000_000  # every request the run has ready goes into the round: no per-call limit
HEARTBEAT_SECONDS = 10.0
STALE_OWNER_SECONDS = 60.0  # a transport silent this long has stopped: its jobs are taken over
LIST_MARGIN_SECONDS = 3600.0  # how far before a job's record its batch may have been created


class BatchUnansweredError(ModelUnavailableError, openai.OpenAIError):
    """The Batch API left a request unanswered in every attempt (the item falls back).

    Also an ``OpenAIError``, so the SDK passes it through unchanged and the client's retry
    layer does not send it again.
    """


class BatchAPIError(ConfigurationError, openai.OpenAIError):
    """The server refused the Files or Batches API itself (no Batch API there, no permission)."""


@dataclass(eq=False)
class _Line:
    key: str
    body: dict[str, Any]
    data: bytes
    done: asyncio.Future[Outcome]
    attempts: int = 0


@dataclass
class BatchStats:
    """What the transport did in this process (for benchmarks and tests)."""

    batches: int = 0  # batches created
    lines: int = 0  # request lines uploaded
    resumed: int = 0  # requests answered by a batch an earlier process created
    retried: int = 0  # lines put into a later round after their batch left them unanswered
    sizes: list[int] = field(default_factory=list)  # lines per batch created


class BatchRounds:
    """Collects chat requests into rounds, one batch per input file, and answers each request."""

    def __init__(
        self,
        settings: Settings,
        api: openai.AsyncOpenAI,
        cache: CallCache | None,
        owner: str,
        *,
        own_api: bool = False,
        max_requests: int | None = None,
        max_bytes: int | None = None,
    ) -> None:
        self.settings = settings
        self._api = api.with_options(max_retries=settings.max_retries, timeout=max(settings.timeout, 600.0))
        self._own_api = own_api
        self._base = api
        self._owner = owner
        self._server = f"{endpoint_label(settings)} {settings.model}"
        self.max_requests = max_requests or MAX_REQUESTS  # the API's per-file limits, unless given
        self.max_bytes = max_bytes or MAX_BYTES
        self.store = BatchStore(cache.path if cache is not None else None)
        self.store.register(owner)
        self.taken_over = self.store.take_over(owner, STALE_OWNER_SECONDS)
        self._resumed = self.store.index(owner, self._server)
        self._lease_seconds = settings.timeout * 2 + 60
        self._lines: dict[str, _Line] = {}  # key -> line not answered yet
        self._pending: list[_Line] = []  # the round being collected
        self._pending_bytes = 0
        self._arrivals = 0
        self._nudge = asyncio.Event()
        self._full = asyncio.Event()
        self._waiting: dict[str, dict[str, _Line]] = {}  # job -> custom_id -> line
        self._followers: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._started = False
        self.stats = BatchStats()

    def http_client(self) -> httpx2.AsyncClient:
        """An HTTP client for the SDK whose chat requests are answered by the rounds."""
        return httpx2.AsyncClient(transport=_RoundTransport(self))

    # -- requests in ----------------------------------------------------------------------------

    async def answer(self, body: dict[str, Any]) -> Outcome:
        """The batch's answer to one chat request body (waits for its round)."""
        key = line_key(body)
        line = self._lines.get(key)
        if line is None:
            done: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
            line = _Line(key, body, request_line(key, body), done)
            self._lines[key] = line
            self._start()
            job = self._resumed.pop(key, None)
            if job is not None:
                self.stats.resumed += 1
                self._attach(job, line)
            else:
                self._queue(line)
        return await asyncio.shield(line.done)

    def _start(self) -> None:
        if not self._started:
            self._started = True
            self._spawn(self._collect())
            self._spawn(self._beat())

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(self._report)
        return task

    def _report(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("batch transport task failed", exc_info=task.exception())

    def _queue(self, line: _Line) -> None:
        self._pending.append(line)
        self._pending_bytes += len(line.data)
        self._arrivals += 1
        self._nudge.set()
        if len(self._pending) >= self.max_requests or self._pending_bytes >= self.max_bytes:
            self._full.set()

    async def _collect(self) -> None:
        """Close a round once no request has come for ``batch_idle`` seconds, or it is full."""
        while True:
            await self._nudge.wait()
            while not self._full.is_set():
                seen = self._arrivals
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self.settings.batch_idle)
                if self._arrivals == seen:
                    break
            self._nudge.clear()
            self._full.clear()
            lines, self._pending, self._pending_bytes = self._pending, [], 0
            by_key = {line.key: line for line in lines}
            groups = split_lines(((ln.key, ln.data) for ln in lines), self.max_requests, self.max_bytes)
            for group in groups:
                job = uuid.uuid4().hex
                self._spawn(self._guard(job, self._submit(job, [by_key[key] for key, _ in group])))

    async def _beat(self) -> None:
        """Keep our leases alive while batches run (a batch may take hours), and say we are here."""
        while True:
            await asyncio.to_thread(self.store.heartbeat, self._owner, self._lease_seconds)
            await asyncio.sleep(min(HEARTBEAT_SECONDS, max(self.settings.batch_poll_interval, 0.05)))

    # -- batches --------------------------------------------------------------------------------

    async def _guard(self, job: str, work: Coroutine[Any, Any, None]) -> None:
        """A batch's requests never wait forever: whatever breaks its follower fails them."""
        try:
            await work
        except Exception as exc:
            log.error("batch job %s failed: %s", job, exc)
            self._followers.pop(job, None)
            for line in self._waiting.pop(job, {}).values():
                self._lines.pop(line.key, None)
                if not line.done.done():
                    line.done.set_exception(
                        BatchUnansweredError(f"the Batch API transport failed ({type(exc).__name__})")
                    )

    async def _submit(self, job: str, lines: list[_Line]) -> None:
        keys = [line.key for line in lines]
        await asyncio.to_thread(self.store.intend, job, self._owner, self._server, keys)
        self._waiting[job] = {custom_id(line.key): line for line in lines}
        try:
            upload = await self._api.files.create(
                file=(f"summarise-{job}.jsonl", b"".join(ln.data for ln in lines), "application/jsonl"),
                purpose="batch",
            )
            self.store.update(job, input_file_id=upload.id)
            batch = await self._api.batches.create(
                input_file_id=upload.id,
                endpoint=CHAT_ENDPOINT,
                completion_window="24h",
                metadata={JOB_TAG: job},
            )
        except openai.APIStatusError as exc:
            if is_transient(exc):
                self._lost(job, f"HTTP {exc.status_code} creating the batch")
            else:
                self._refused(job, exc)
            return
        except openai.APIConnectionError:
            found = await self._find(job, time.time())  # did the create reach the server?
            if found is None:
                self._lost(job, "the server could not be reached to create the batch")
                return
            batch = await self._api.batches.retrieve(found)
        self.store.update(job, state="submitted", batch_id=batch.id, remote=batch.status)
        self.stats.batches += 1
        self.stats.lines += len(lines)
        self.stats.sizes.append(len(lines))
        log.info("batch %s: %d request(s) submitted", batch.id, len(lines))
        await self._follow(job, batch.id)

    def _attach(self, job: Job, line: _Line) -> None:
        """A request an earlier process submitted: wait for that batch instead of paying again."""
        self._waiting.setdefault(job.job, {})[custom_id(line.key)] = line
        if job.job not in self._followers:
            self._followers[job.job] = self._spawn(self._guard(job.job, self._resume(job)))

    async def _resume(self, job: Job) -> None:
        batch_id = job.batch_id
        if batch_id is None:  # recorded, then the process stopped: was the batch created?
            batch_id = await self._find(job.job, job.created_at)
            if batch_id is None:
                self.store.update(job.job, state="abandoned")
                self._followers.pop(job.job, None)
                for line in self._waiting.pop(job.job, {}).values():
                    self._queue(line)
                return
            self.store.update(job.job, state="submitted", batch_id=batch_id)
        await self._follow(job.job, batch_id, first_wait=0.0)  # it may have ended while we were away

    async def _find(self, job: str, since: float) -> str | None:
        """The batch created for ``job`` (its metadata names it), listing newest first."""
        async for batch in self._api.batches.list(limit=100):
            if (batch.metadata or {}).get(JOB_TAG) == job:
                return batch.id
            if since and batch.created_at < since - LIST_MARGIN_SECONDS:
                break
        return None

    async def _follow(self, job: str, batch_id: str, first_wait: float | None = None) -> None:
        """Poll with backoff until the batch ends, then answer every request waiting on it."""
        interval = self.settings.batch_poll_interval
        ceiling = max(self.settings.batch_poll_max, interval)
        wait = interval if first_wait is None else first_wait
        seen = None
        while True:
            await asyncio.sleep(wait)
            wait = min(max(wait, interval) * 1.5, ceiling)
            try:
                batch = await self._api.batches.retrieve(batch_id)
            except openai.APIStatusError as exc:
                if not is_transient(exc):
                    self._refused(job, exc)
                    return
                continue
            except openai.APIConnectionError:
                continue
            if batch.status != seen:
                seen = batch.status
                self.store.update(job, remote=seen)
            if seen in TERMINAL:
                break
        outcomes: dict[str, Outcome] = {}
        for file_id in (batch.output_file_id, batch.error_file_id):
            if file_id:
                try:
                    content = await self._api.files.content(file_id)
                except (openai.APIStatusError, openai.APIConnectionError) as exc:
                    log.warning("batch %s: cannot read %s (%s)", batch_id, file_id, type(exc).__name__)
                    continue  # its requests count as unanswered: the next round asks again
                outcomes.update(parse_results(content.text))
        self._settle(job, outcomes, seen)

    def _settle(self, job: str, outcomes: dict[str, Outcome], status: str) -> None:
        self._followers.pop(job, None)
        waiting = self._waiting.pop(job, {})
        good = {cid for cid, o in outcomes.items() if o.status == 200}
        answered = [line.key for cid, line in waiting.items() if cid in good]
        failed = [line.key for cid, line in waiting.items() if cid not in good]
        self.store.settle(job, answered, failed)
        missing = Outcome(None, None, status, f"the batch ended {status}")
        for cid, line in waiting.items():
            self._answer(line, outcomes.get(cid, missing))

    def _answer(self, line: _Line, outcome: Outcome) -> None:
        if outcome.answered:
            self._resolve(line, outcome)
            return
        line.attempts += 1
        if line.attempts < self.settings.batch_max_attempts:
            self.stats.retried += 1
            log.info("a request was left unanswered (%s); it goes into the next round", outcome.code)
            self._queue(line)
            return
        self._lines.pop(line.key, None)
        if not line.done.done():
            line.done.set_exception(
                BatchUnansweredError(
                    f"the Batch API left the request unanswered {line.attempts} time(s) "
                    f"(last: {outcome.code}); raise the batch_max_attempts setting or run without --batch-api"
                )
            )

    def _resolve(self, line: _Line, outcome: Outcome) -> None:
        self._lines.pop(line.key, None)
        if not line.done.done():
            line.done.set_result(outcome)

    def _lost(self, job: str, why: str) -> None:
        """The batch was never created: its requests go into the next round (counted)."""
        self.store.update(job, state="abandoned")
        log.warning("%s; its requests go into the next round", why)
        for line in self._waiting.pop(job, {}).values():
            self._answer(line, Outcome(None, None, "not_submitted", why))

    def _refused(self, job: str, exc: openai.APIStatusError) -> None:
        self.store.update(job, state="abandoned")
        detail = " ".join(str(exc.message).split())[:200]
        error = BatchAPIError(
            f"the Batch API at {endpoint_label(self.settings)} refused the batch (HTTP {exc.status_code}): "
            f"{detail}; run without --batch-api"
        )
        for line in self._waiting.pop(job, {}).values():
            self._lines.pop(line.key, None)
            if not line.done.done():
                line.done.set_exception(error)

    async def aclose(self) -> None:
        """Stop polling; batches already created stay recorded for the next run to pick up."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        self.store.retire(self._owner)
        self.store.close()
        if self._own_api:
            await self._base.close()


class _RoundTransport(httpx2.AsyncBaseTransport):
    """The SDK's HTTP transport in batch mode: a chat request is answered by its round."""

    def __init__(self, rounds: BatchRounds) -> None:
        self._rounds = rounds

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.method != "POST" or not request.url.path.endswith("/chat/completions"):
            raise BatchAPIError(f"--batch-api carries chat completions only, not {request.url.path}")
        body = json.loads(await request.aread())
        outcome = await self._rounds.answer(body)
        return httpx2.Response(outcome.status or 500, json=outcome.body or {}, request=request)

    async def aclose(self) -> None:
        await self._rounds.aclose()


def use_batch_api(client: Any) -> BatchRounds:
    """Put a :class:`ModelClient` in batch mode: the one hook, called from its constructor.

    Its SDK client is copied with the round transport as HTTP client (so a request body is exactly
    what the direct path would send), every request may wait at once (a round holds them all), and
    the structured-output mode is not probed (the Batch API is OpenAI's: ``json_schema``). Closing
    the client closes the rounds, and the SDK client when it was the library's own.
    """
    rounds = BatchRounds(
        client.settings, client._client, client._cache, client._owner, own_api=client._owns_client
    )
    client._client = client._client.with_options(http_client=rounds.http_client())
    client._owns_client = True
    client.limit = AdaptiveLimit(IN_FLIGHT)
    client._mode_settled = True
    return rounds
