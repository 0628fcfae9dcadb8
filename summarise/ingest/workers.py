"""One pool of text-extraction worker processes per process, shared by every file and every call.

Large PDFs are split across :data:`WORKERS` processes (one per core, 2 to 4). The pool is made on
first use and kept: a pack of thirty files, or thirty ``load_pack`` calls in threads, share the
same few processes instead of each starting its own, so the number of workers is capped for the
whole process. A pool whose worker died (a crash inside PDFium, an out-of-memory kill) or that
ran past the ingest time limit is killed and the next call makes a new one. A pool left idle for
:data:`IDLE_SECONDS` ends: forked workers hold copies of every file descriptor the host application
had open, and a pipe it closes reaches EOF only when no idle worker still holds it.

Workers end with their parent, however it ends (:func:`die_with_parent`).
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

log = logging.getLogger(__name__)

WORKERS = max(2, min(4, os.cpu_count() or 2))  # extraction is CPU-bound: one process per core, 2 to 4

T = TypeVar("T")

IDLE_SECONDS = 10.0

_lock = threading.Lock()
_pool: cf.ProcessPoolExecutor | None = None
_active = 0  # calls of run() in progress, over all threads
_idle_timer: threading.Timer | None = None


class PoolTimeoutError(Exception):
    """The work was not done by its deadline; the pool was killed."""


def run(
    fn: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    until: float,
    before: Callable[[int], None] | None = None,
) -> list[T]:
    """``[fn(*args) for args in calls]`` in the shared pool, in order, by monotonic time ``until``.

    ``before(k)``, if given, runs in this process just before call ``k`` is sent (ingest checks
    that chunk's pages against the limits there, while the workers read the chunks before it);
    what it raises stops the rest. Raises the first call's exception (the rest are cancelled),
    :class:`PoolTimeoutError` past ``until``, and :class:`concurrent.futures.process.BrokenProcessPool`
    or :class:`OSError` when there are no worker processes to be had (the caller then works
    in its own process).
    """
    pool = _acquire()
    try:
        return _run_in(pool, fn, calls, until, before)
    finally:
        _release()


def _run_in(
    pool: cf.ProcessPoolExecutor,
    fn: Callable[..., T],
    calls: Sequence[tuple[Any, ...]],
    until: float,
    before: Callable[[int], None] | None,
) -> list[T]:
    futures: list[cf.Future[T]] = []
    try:
        for k, args in enumerate(calls):
            if before is not None:
                before(k)
            futures.append(pool.submit(fn, *args))
        left = max(0.0, until - time.monotonic())
        done, pending = cf.wait(futures, timeout=left, return_when=cf.FIRST_EXCEPTION)
        if pending and not any(f.exception() for f in done):
            _discard(pool)
            raise PoolTimeoutError
    except BaseException:
        for f in futures:
            f.cancel()
        raise
    for f in done:
        if (exc := f.exception()) is not None:
            for other in pending:
                other.cancel()
            if isinstance(exc, cf.process.BrokenProcessPool):
                _discard(pool)
            raise exc
    return [f.result() for f in futures]


def _acquire() -> cf.ProcessPoolExecutor:
    """The shared pool (made if there is none), counted as in use until :func:`_release`."""
    global _pool, _active, _idle_timer
    with _lock:
        _active += 1
        if _idle_timer is not None:
            _idle_timer.cancel()
            _idle_timer = None
        if _pool is None:
            _pool = cf.ProcessPoolExecutor(max_workers=WORKERS, initializer=_init, initargs=(os.getpid(),))
        return _pool


def _release() -> None:
    """The last call in progress has ended: the pool ends unless another call comes within
    :data:`IDLE_SECONDS`."""
    global _active, _idle_timer
    with _lock:
        _active -= 1
        if _active == 0 and _pool is not None:
            _idle_timer = threading.Timer(IDLE_SECONDS, _end_if_idle, args=(_pool,))
            _idle_timer.daemon = True
            _idle_timer.start()


def _end_if_idle(pool: cf.ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _active or _pool is not pool:
            return  # in use again, or already replaced
        _pool = None
    pool.shutdown(wait=True, cancel_futures=True)


def _discard(pool: cf.ProcessPoolExecutor) -> None:
    """Kill ``pool``'s processes (a stuck or broken pool) so the next call makes a new one."""
    global _pool
    with _lock:
        if _pool is pool:
            _pool = None
    for proc in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, ValueError):
            proc.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """End the shared pool's processes (at exit; tests that count processes)."""
    global _pool, _idle_timer
    with _lock:
        pool, _pool = _pool, None
        if _idle_timer is not None:
            _idle_timer.cancel()
            _idle_timer = None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def _forget_in_child() -> None:
    global _pool, _active, _idle_timer, _lock
    _pool, _active, _idle_timer = None, 0, None  # a forked copy has none of the parent's workers
    _lock = threading.Lock()  # nor its other threads, one of which may have held the lock


os.register_at_fork(after_in_child=_forget_in_child)


def _init(parent: int) -> None:
    die_with_parent(parent)
    logging.getLogger("pypdf").propagate = False  # the parent reports what matters, in one line
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def die_with_parent(parent: int) -> None:
    """End this worker when ``parent`` ends, however it ends (SIGKILL included): no orphans.

    A daemon thread checks every half second whether the parent is still there. Not Linux's
    ``PR_SET_PDEATHSIG``: that fires when the *thread* that forked the worker ends, and the pool
    outlives the thread (``load_pack`` run by ``asyncio.to_thread``) that first used it.
    """
    if os.getppid() != parent:  # the parent died before this worker started
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()
