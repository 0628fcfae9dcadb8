"""Usage per meeting when many meetings share one model client (``summarise batch``).

The client keeps one running total (the batch's budget reads it); each meeting's engine holds a
:class:`Meter`, made current around each of its calls. Tasks copy the current context when they
start, so everything a call does (retries, re-asks, a lease wait) is charged to the meeting that
asked, and an answer shared with another meeting's identical call counts there as cached.

>>> meter = Meter()
>>> with meter.active():
...     total = charge(Usage(), Usage(calls=1, input_tokens=10))
>>> (total.calls, meter.usage.calls, meter.usage.input_tokens)
(1, 1, 10)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from summarise.models.summary import Usage

_CURRENT: ContextVar[Meter | None] = ContextVar("summarise_meter", default=None)


class Meter:
    """What one meeting's calls cost: calls made, answered from cache, tokens, estimated cost."""

    def __init__(self) -> None:
        self.usage = Usage()

    def add(self, spent: Usage) -> None:
        self.usage = self.usage + spent

    @contextmanager
    def active(self) -> Iterator[Meter]:
        """Charge the calls made inside this block (and the tasks they start) to this meter."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


def charge(total: Usage, spent: Usage) -> Usage:
    """``total + spent``; ``spent`` also goes on the current meter, if a meeting set one."""
    meter = _CURRENT.get()
    if meter is not None:
        meter.add(spent)
    return total + spent
