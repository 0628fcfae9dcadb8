"""Reading a batch's meetings: in worker processes, a few at a time.

Ingest is CPU-bound, and pypdf keeps process-wide state that is not thread-safe, so threads
cannot read two meetings at once. A batch reads them in a small pool of processes instead (one
meeting at a time in each), while this process talks to the model. The pool is forked when the
batch starts, before the model client and its threads exist. Where processes cannot be had (a
sandbox, a worker killed for memory), meetings are read here, one at a time.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import logging
import multiprocessing
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from summarise.ingest import load_pack
from summarise.ingest.pdf import die_with_parent
from summarise.models.meeting import Meeting
from summarise.settings import Settings

log = logging.getLogger(__name__)

MAX_PROCESSES = 4
# pypdf's process-wide state: one meeting read at a time in any one process.
_READ_LOCK = threading.Lock()


def read_meeting(paths: Sequence[Path], settings: Settings) -> Meeting:
    """One meeting's files read and segmented (in a pool's process, a Dask worker or here).

    Files a batch groups into one meeting (a sub-folder, a manifest row) are one meeting by the
    user's own word, so they are not refused as looking like different meetings."""
    with _READ_LOCK:
        return load_pack(list(paths), settings=settings, as_one_meeting=True)


def default_processes() -> int:
    return max(1, min(MAX_PROCESSES, os.cpu_count() or 1))


class Reader:
    """Reads meetings in ``processes`` worker processes (0: in this process, one at a time)."""

    def __init__(self, processes: int) -> None:
        self._pool: cf.ProcessPoolExecutor | None = None
        self._lock = asyncio.Lock()
        if processes > 0 and "fork" in multiprocessing.get_all_start_methods():
            try:
                # fork: the workers start as copies of this process, with the library imported and
                # no script re-run; forked now, before the batch starts any thread.
                self._pool = cf.ProcessPoolExecutor(
                    processes,
                    mp_context=multiprocessing.get_context("fork"),
                    initializer=die_with_parent,  # a batch killed with SIGKILL leaves no readers behind
                    initargs=(os.getpid(),),
                )
                self._pool.submit(os.getpid).result()
            except (OSError, cf.process.BrokenProcessPool) as exc:
                log.warning("no processes for reading meetings (%s); reading them here", exc)
                self.close()

    async def read(self, paths: Sequence[Path], settings: Settings) -> Meeting:
        if self._pool is not None:
            try:
                future = self._pool.submit(read_meeting, tuple(paths), settings)
                return await asyncio.wrap_future(future)
            except cf.process.BrokenProcessPool:
                log.warning("a process reading meetings died; reading the rest here")
                self.close()
        async with self._lock:
            return await asyncio.to_thread(read_meeting, paths, settings)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
