"""Helpers for the Batch API tests: several meetings through one model client."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import summarise
from summarise.engines.base import assemble, create_engine
from summarise.engines.model.batch_store import BatchStore
from summarise.engines.model.cache import CallCache
from summarise.engines.model.client import ModelClient
from summarise.engines.model.engine import ModelEngine
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
FAST: dict[str, Any] = {
    "retry_initial_wait": 0.01,
    "retry_max_wait": 0.05,
    "batch_idle": 0.2,
    "batch_poll_interval": 0.05,
    "batch_poll_max": 0.2,
}


def meetings(count: int) -> list[Meeting]:
    """``count`` copies of the sample pack, each its own council (so their requests differ)."""
    base = summarise.load_pack(EXAMPLE)
    return [
        base.model_copy(update={"info": base.info.model_copy(update={"body": f"Council number {i}"})})
        for i in range(count)
    ]


def batch_settings(base_url: str, cache: Path, **overrides: Any) -> Settings:
    return Settings.build(base_url=base_url, cache_dir=cache, **{"batch_api": True, **FAST, **overrides})


async def run_many(
    settings: Settings, many: list[Meeting], client: ModelClient | None = None
) -> tuple[list[MeetingSummary], ModelClient]:
    """Every meeting at once through one model client (closed at the end)."""
    shared = client or ModelClient(settings)
    offline = create_engine("extractive", settings)
    try:
        summaries = await asyncio.gather(
            *(assemble(ModelEngine(settings, model_client=shared), m, fallback=offline) for m in many)
        )
    finally:
        await shared.aclose()
    return list(summaries), shared


def killed_after_first_batch(server: FakeOpenAIServer, script: str, args: list[str], cwd: Path) -> Any:
    """Run ``python -c script *args`` until the fake server holds its first batch, then SIGKILL it:
    a run stopped with a batch in progress. Returns that batch."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 120
        while not server.batches.batches and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.batches.batches, child.stderr.read().decode() if child.stderr else "no batch"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    (first,) = server.batches.batches.values()
    return first


def jobs(cache: Path) -> list[tuple[str, str, str | None]]:
    """The Batch API jobs recorded in the call cache under ``cache``: (job, batch id, state)."""
    store = BatchStore(CallCache(cache).path)
    try:
        return store.jobs()
    finally:
        store.close()
