"""The Summariser object: settings and client held once; items as they finish; estimate and verify."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

import summarise
from summarise import ItemSummary, Summariser
from summarise.errors import ConfigurationError
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sample-pack.pdf"


def test_summarise_calls_on_item_once_per_item_with_the_finished_summary(tmp_path: Path) -> None:
    finished: list[ItemSummary] = []
    summariser = Summariser(engine="extractive", cache_dir=tmp_path)
    summary = summariser.summarise(EXAMPLE, progress=False, on_item=finished.append)
    assert sorted(i.number for i in finished) == sorted(i.number for i in summary.items)
    assert all(i.engine == "extractive" for i in finished)  # marked before the callback sees them


def test_items_are_yielded_as_they_finish(tmp_path: Path) -> None:
    summariser = Summariser(engine="extractive", cache_dir=tmp_path)

    async def collect() -> list[str]:
        return [item.number async for item in summariser.items(EXAMPLE)]

    numbers = asyncio.run(collect())
    assert sorted(numbers) == sorted(i.number for i in summarise.load_pack(EXAMPLE).items)


def test_your_own_async_openai_client_is_used_for_every_model_call(tmp_path: Path) -> None:
    import openai

    with FakeOpenAIServer(seed=1) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="synthetic", max_retries=0)
        # The settings point nowhere: only the injected client can reach the server.
        summariser = Summariser(
            engine="llm", client=client, base_url="http://127.0.0.1:9/v1", cache_dir=tmp_path
        )
        summary = summariser.summarise(EXAMPLE, progress=False)
        calls = len(server.requests)
    assert calls > 0 and not summary.provenance.fallbacks
    assert summary.usage.calls == calls


def test_estimate_and_verify_use_the_held_settings(tmp_path: Path) -> None:
    summariser = Summariser(engine="extractive", cache_dir=tmp_path, model="gpt-4o-mini")
    estimate = summariser.estimate(EXAMPLE)
    assert estimate.model == "gpt-4o-mini" and estimate.calls > 0 and estimate.price_known
    summary = summariser.summarise(EXAMPLE, progress=False)
    assert summariser.verify(summary, EXAMPLE).checked == summary.verification.checked


def test_a_misspelt_setting_is_refused_with_its_likely_fix() -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'concurrency'"):
        Summariser(concurency=2)  # type: ignore[call-arg]


def test_mypy_strict_accepts_the_typed_app_and_rejects_a_misspelt_setting(tmp_path: Path) -> None:
    def mypy(path: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # one cache for both runs, in tmp_path: the second reuses the first
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), str(path)],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip

    ok = mypy(ROOT / "tests" / "typed_app" / "app.py")
    assert ok.returncode == 0, ok.stdout
    bad = mypy(ROOT / "tests" / "typed_app" / "misspelt.py")
    assert bad.returncode == 1 and "concurency" in bad.stdout
