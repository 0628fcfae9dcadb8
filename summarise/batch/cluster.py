"""Ingest and the offline engine on Dask distributed (``--dask ADDRESS`` or ``--dask local``).

Dask does the distribution: meetings are read (and, with the offline engine, summarised and
verified) as tasks on the cluster's worker processes, so a corpus beyond one machine is read by
many. Model calls never leave the driver: every meeting's model engine uses the batch's one
client, cache, concurrency limit and budget, so a request is paid once whichever worker read its
meeting. ``local`` starts a small :class:`distributed.LocalCluster` (2 worker processes, 1
thread each). Workers need this library installed (``pip install 'summarise[dask]'``) and the
meetings' files at the same paths; the settings they get carry no API key.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarise._sync import run_sync
from summarise.api import summarise_with
from summarise.batch.inputs import MeetingSpec, with_given_info
from summarise.batch.reading import read_meeting
from summarise.engines import OFFLINE, create_engine
from summarise.errors import ConfigurationError
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.settings import Settings

log = logging.getLogger(__name__)

LOCAL = "local"
LOCAL_WORKERS = 2
CONNECT_TIMEOUT = "30s"


def summarise_offline(spec: MeetingSpec, settings: Settings) -> MeetingSummary:
    """A worker's task: one meeting read, summarised by the offline engine and verified."""
    meeting = with_given_info(read_meeting(spec.paths, settings), spec)
    return run_sync(lambda: summarise_with(create_engine(OFFLINE, settings), meeting, settings))


def without_key(settings: Settings) -> Settings:
    """What workers get: they call no model, so they never see the key."""
    return settings.model_copy(update={"api_key": None})


class Cluster:
    """A Dask client (and the local cluster it started, if any), used from the driver's loop."""

    def __init__(self, client: Any, local: Any = None) -> None:
        self._client = client
        self._local = local

    @classmethod
    async def connect(cls, address: str) -> Cluster:
        """``local``: start a LocalCluster; else connect to the scheduler at ``address``."""
        try:
            # distributed is an optional extra (the ``dask`` one) and takes about a second to
            # import: only batches run with --dask pay for it.
            import dask  # noqa: PLC0415
            import distributed  # noqa: PLC0415
        except ImportError:
            raise ConfigurationError(
                "--dask needs Dask distributed: pip install 'summarise[dask]'"
            ) from None
        dist: Any = distributed  # its constructors are untyped
        if not logging.getLogger("summarise").isEnabledFor(logging.INFO):
            # distributed logs every scheduler and worker event at INFO on its own handler: shown
            # with -v only, like this library's own.
            logging.getLogger("distributed").setLevel(logging.WARNING)
        local = None
        try:
            if address == LOCAL:
                # Workers that may start processes: ingest reads a long PDF with a process pool.
                with dask.config.set({"distributed.worker.daemon": False}):
                    local = await dist.LocalCluster(
                        n_workers=LOCAL_WORKERS,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address=":0",  # any free port: never a clash over 8787
                        asynchronous=True,
                    )
                client = await dist.Client(local, asynchronous=True)
            else:
                client = await dist.Client(address, asynchronous=True, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            if local is not None:
                await local.close()
            raise ConfigurationError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
        log.info("dask: %s", client)
        return cls(client, local)

    async def load(self, paths: Sequence[Path], settings: Settings) -> Meeting:
        meeting: Meeting = await self._client.submit(
            read_meeting, tuple(paths), without_key(settings), pure=False
        )
        return meeting

    async def summarise_offline(self, spec: MeetingSpec, settings: Settings) -> MeetingSummary:
        summary: MeetingSummary = await self._client.submit(
            summarise_offline, spec, without_key(settings), pure=False
        )
        return summary

    async def close(self) -> None:
        await self._client.close()
        if self._local is not None:
            await self._local.close()
