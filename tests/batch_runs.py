"""Helpers for the Batch API tests: several meetings through one model client."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import summarise
from summarise.engines.base import assemble, create_engine
from summarise.engines.model.client import ModelClient
from summarise.engines.model.engine import ModelEngine
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.settings import Settings

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
