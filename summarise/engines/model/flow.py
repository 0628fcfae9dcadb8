"""How many requests go to a server at once, and no request paid for twice.

- :class:`AdaptiveLimit`: additive increase, multiplicative decrease. A timeout or a 429 halves the
  number of requests in flight and lengthens the timeout (the server is busy: a request re-sent at
  once would queue behind the one it abandoned); each success lets one more through, up to the
  configured concurrency.
- :class:`SingleFlight`: identical requests in flight in one process share one call.
- In one process, every client shares one :class:`SingleFlight` per event loop and one open cache
  per cache folder (:func:`process_flights`, :func:`process_cache`): meetings summarised at once
  often ask the same, and one SQLite connection per client made their writes wait on each other.
- Across processes, :class:`~summarise.engines.model.cache.CallCache` leases a request's key to
  the process that asks first; the others wait for its answer in the cache (a lease expires, so a
  process that died does not block the rest).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from summarise.engines.model.cache import CallCache
from summarise.models.summary import Usage

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_TIMEOUT_SCALE = 8.0


class AdaptiveLimit:
    """At most ``limit`` requests in flight; ``limit`` moves between 1 and ``maximum`` (AIMD).

    Requests waiting for a slot go in order of ``priority`` (lower first), then arrival: a later
    stage (an item's summary, the synopsis) goes ahead of first-stage calls queued before it, so
    an item finishes as soon as its own notes are in instead of behind every other item's.
    """

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.limit = float(maximum)
        self.timeout_scale = 1.0
        self.active = 0
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    def _free(self) -> bool:
        return self.active < max(1, int(self.limit))

    def _wake(self) -> None:
        """Hand free slots to the best waiters (a cancelled waiter is skipped)."""
        while self._waiting and self._free():
            _, _, waiter = heapq.heappop(self._waiting)
            if not waiter.done():
                self.active += 1
                waiter.set_result(None)

    def _release(self) -> None:
        self.active -= 1
        self._wake()

    @asynccontextmanager
    async def slot(self, priority: int = 0) -> AsyncIterator[None]:
        if self._free() and not self._waiting:
            self.active += 1
        else:
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (priority, next(self._arrivals), waiter))
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():  # handed a slot, then cancelled
                    self._release()
                raise
        try:
            yield
        finally:
            self._release()

    def overloaded(self, why: str) -> None:
        """A timeout or a 429: halve the requests in flight; after a timeout, wait longer too."""
        before = int(self.limit)
        self.limit = max(1.0, self.limit / 2)
        if why == "timeout":
            self.timeout_scale = min(MAX_TIMEOUT_SCALE, self.timeout_scale * 2)
        if int(self.limit) != before:
            log.warning("server overloaded (%s): at most %d request(s) at once now", why, int(self.limit))

    def succeeded(self) -> None:
        """One more request in flight after about ``limit`` successes."""
        self.limit = min(float(self.maximum), self.limit + 1 / self.limit)
        self._wake()


class SingleFlight:
    """The first caller for a key runs the call; identical calls made meanwhile await its result."""

    def __init__(self) -> None:
        self._calls: dict[str, asyncio.Future[Any]] = {}

    async def run(self, key: str, call: Callable[[], Awaitable[T]]) -> tuple[T, bool]:
        """``(result, shared)``: ``shared`` is True when another caller's call answered this one."""
        running = self._calls.get(key)
        if running is not None:
            return await asyncio.shield(running), True
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._calls[key] = future
        try:
            result = await call()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here: a call nobody shared must not warn at exit
            raise
        else:
            future.set_result(result)
            return result, False
        finally:
            del self._calls[key]


_FLIGHTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, SingleFlight] = weakref.WeakKeyDictionary()


def process_flights() -> SingleFlight:
    """The running event loop's :class:`SingleFlight`, shared by every client on that loop."""
    loop = asyncio.get_running_loop()
    if loop not in _FLIGHTS:
        _FLIGHTS[loop] = SingleFlight()
    return _FLIGHTS[loop]


_CACHES: dict[Path, tuple[CallCache, int]] = {}
_CACHES_LOCK = threading.Lock()


def process_cache(cache_dir: str | Path) -> CallCache:
    """One open cache per folder in this process (opened again if its file was removed)."""
    with _CACHES_LOCK:
        folder = Path(cache_dir).expanduser().resolve()
        held = _CACHES.get(folder)
        if held is not None:
            cache, inode = held
            try:
                if cache.path.stat().st_ino == inode:
                    return cache
            except OSError:
                pass
        cache = CallCache(folder)
        _CACHES[folder] = (cache, cache.path.stat().st_ino)
        return cache


LEASE_POLL_SECONDS = 0.5


@asynccontextmanager
async def lease(cache: CallCache | None, key: str, owner: str, seconds: float) -> AsyncIterator[None]:
    """Hold ``key`` while asking for it, so another process asking the same waits for this answer.

    Entered when the lease is ours, or as soon as the answer is in the cache (the caller looks
    again); a lease older than ``seconds`` is stale and taken over.
    """
    if cache is None:
        yield
        return
    while not await asyncio.to_thread(cache.take_lease, key, owner, seconds):
        if await asyncio.to_thread(cache.get, key) is not None:
            break
        await asyncio.sleep(LEASE_POLL_SECONDS)
    try:
        yield
    finally:
        await asyncio.to_thread(cache.release_lease, key, owner)


@dataclass
class Reply:
    """One answer as read from the server."""

    content: str | None
    refusal: str | None
    finish_reason: str | None
    usage: Usage
    body: dict[str, Any]
    duration_ms: int
