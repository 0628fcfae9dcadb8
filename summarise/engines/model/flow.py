"""How many requests go to a server at once, and no request paid for twice.

- :class:`AdaptiveLimit`: additive increase, multiplicative decrease. A timeout or a 429 halves the
  number of requests in flight and lengthens the timeout (the server is busy: a request re-sent at
  once would queue behind the one it abandoned); each success lets one more through, up to the
  configured concurrency.
- :class:`SingleFlight`: identical requests in flight in one process share one call.
- Across processes, :class:`~summarise.engines.model.cache.CallCache` leases a request's key to
  the process that asks first; the others wait for its answer in the cache (a lease expires, so a
  process that died does not block the rest).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from summarise.engines.model.cache import CallCache
from summarise.models.summary import Usage

log = logging.getLogger(__name__)

T = TypeVar("T")
MAX_TIMEOUT_SCALE = 8.0


class AdaptiveLimit:
    """At most ``limit`` requests in flight; ``limit`` moves between 1 and ``maximum`` (AIMD)."""

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        self.limit = float(maximum)
        self.timeout_scale = 1.0
        self.active = 0
        self._changed: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:  # made inside the running loop
            self._changed = asyncio.Condition()
        return self._changed

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        changed = self._condition()
        async with changed:
            await changed.wait_for(lambda: self.active < max(1, int(self.limit)))
            self.active += 1
        try:
            yield
        finally:
            async with changed:
                self.active -= 1
                changed.notify_all()

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
