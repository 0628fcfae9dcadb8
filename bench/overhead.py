"""Library overhead per model call: the client-side CPU of each call's path, measured inside a run.

The row's value is the CPU the event-loop thread spends in ``ModelEngine.call`` (prompt rendering,
request body and cache key, the SDK's send and read, parsing, validation, usage, the call's log),
counted only while that coroutine runs its own steps, never while it waits, over every call of a
Kent run cut into ``chunk``-token calls at latency 0 (fake server in its own process).

The note keeps the earlier, indirect figure: the marginal CPU of that run over a default run, per
extra call. It also carries work that is not per call: the glossary and footnotes of the finer
run's summary (different text, more terms) and the planning of more chunks; the row's ``extra``
splits it into those parts so the two figures can be read together (BENCHMARKS.md, "Overhead per call").
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Coroutine, Generator, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest import mock

import summarise.api
import summarise.engines.base
from bench.common import Row, cpu_s, served
from bench.runs import settings_for
from summarise.api import asummarise_meeting
from summarise.engines.model.engine import ModelEngine
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary

TARGET_MS = 5.0
CALL_PATH = "call path"
# Parts of a run's CPU besides the calls, timed the same way, so the marginal figure can be split.
PARTS = {
    "plan": (ModelEngine, "plan"),
    "footnotes": (summarise.engines.base, "attach_footnotes"),
    "glossary": (ModelEngine, "definitions"),  # includes the glossary's own model call
}


class CpuTally:
    """This thread's CPU inside wrapped functions, by label (coroutines: only their own steps)."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.count: defaultdict[str, int] = defaultdict(int)

    def coroutine(self, label: str, coro: Coroutine[Any, Any, Any]) -> _Timed:
        self.count[label] += 1
        return _Timed(coro, self, label)

    def wrap_async(self, label: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> _Timed:
            return self.coroutine(label, func(*args, **kwargs))

        return timed

    def wrap_sync(self, label: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.count[label] += 1
            start = time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[label] += time.thread_time() - start

        return timed


class _Timed:
    """Awaits ``coro``, adding the thread CPU of each of its steps (send or throw) to the tally."""

    def __init__(self, coro: Coroutine[Any, Any, Any], tally: CpuTally, label: str) -> None:
        self._coro, self._tally, self._label = coro, tally, label

    def __await__(self) -> Generator[Any, Any, Any]:
        value: Any = None
        error: BaseException | None = None
        while True:
            start = time.thread_time()
            try:
                step = self._coro.send(value) if error is None else self._coro.throw(error)
            except StopIteration as done:
                return done.value
            finally:
                self._tally.seconds[self._label] += time.thread_time() - start
            try:
                value, error = (yield step), None
            except BaseException as exc:  # handed on to the coroutine, as await does
                value, error = None, exc


@contextmanager
def tallied(tally: CpuTally) -> Iterator[None]:
    """Time the call path and the run's other parts; verification (in its worker thread) too."""
    with ExitStack() as stack:
        stack.enter_context(
            mock.patch.object(ModelEngine, "call", tally.wrap_async(CALL_PATH, ModelEngine.call))
        )
        for label, (owner, name) in PARTS.items():
            original = getattr(owner, name)
            wrap = tally.wrap_async if asyncio.iscoroutinefunction(original) else tally.wrap_sync
            stack.enter_context(mock.patch.object(owner, name, wrap(label, original)))
        # what the pipeline's verification calls (api.verified, in a worker thread)
        verify = tally.wrap_sync("verification", summarise.api.verify_summary)
        stack.enter_context(mock.patch.object(summarise.api, "verify_summary", verify))
        yield


def _served(base_url: str) -> int:
    with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats", timeout=10) as answer:
        return int(json.load(answer)["calls"])


def _run(meeting: Meeting, base_url: str, chunk: int | None) -> tuple[float, int, CpuTally, MeetingSummary]:
    """Process CPU of one run less its verification, the calls the server answered, the tally."""
    settings = settings_for(128_000, base_url, 8).with_overrides(chunk_tokens=chunk)
    tally = CpuTally()
    served = _served(base_url)
    with tallied(tally):
        before = cpu_s()
        summary = asyncio.run(asummarise_meeting(meeting, "llm", settings=settings))
        spent = cpu_s() - before
    return spent - tally.seconds["verification"], _served(base_url) - served, tally, summary


def overhead_row(meeting: Meeting, chunk: int) -> tuple[Row, MeetingSummary]:
    """Client-side CPU per model call at latency 0 (module docstring). Both runs at 128k, each cut
    warmed first (imports and plans paid: a cold plan of the finer cut alone would count as calls).
    The fake server runs in another process so its work is not counted."""
    with served(0.0) as (base_url, _):
        for warm in (None, chunk):  # imports, and each cut's plan (kept per process), paid first
            _run(meeting, base_url, warm)
        wide, wide_calls, wide_tally, summary = _run(meeting, base_url, None)
        narrow, narrow_calls, tally, _ = _run(meeting, base_url, chunk)
    extra = max(narrow_calls - wide_calls, 1)
    per_call = tally.seconds[CALL_PATH] * 1000 / max(tally.count[CALL_PATH], 1)
    marginal = (narrow - wide) * 1000 / extra
    parts = {
        label: (tally.seconds[label] - wide_tally.seconds[label]) * 1000 / extra
        for label in (CALL_PATH, *PARTS)
    }
    split = ", ".join(f"{label} {ms:.1f}" for label, ms in parts.items())
    row = Row(
        name="library overhead per model call",
        value=per_call,
        unit="ms CPU",
        target=f"<= {TARGET_MS:g} ms",
        met=per_call <= TARGET_MS,
        calls=narrow_calls - wide_calls,
        note=f"call path, {chunk:,}-token chunks ({tally.count[CALL_PATH]} calls); marginal over the default"
        f" run ({wide_calls} calls): {marginal:.1f} ms per extra call ({split})",
        extra={
            "call_path_ms": per_call,
            "marginal_ms": marginal,
            "marginal_parts_ms": parts,
            "cpu_narrow_s": narrow,
            "cpu_default_s": wide,
            "all_in_ms": narrow * 1000 / max(narrow_calls, 1),
        },
    )
    return row, summary
