"""Every request fits the model's window: its input plus its output cap, retries and re-asks included."""

from __future__ import annotations

from pathlib import Path

import pytest

import summarise
from summarise.testing import FakeOpenAIServer

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


@pytest.mark.parametrize("faults", [None, {"truncate": 0.3}])
def test_no_request_is_larger_than_the_window(tmp_path: Path, faults: dict[str, float] | None) -> None:
    window = 4096
    with FakeOpenAIServer(faults=faults, seed=2) as server:
        summary = summarise.summarise_pack(
            EXAMPLE,
            "llm",
            base_url=server.base_url,
            cache_dir=tmp_path,
            context_tokens=window,
            max_output_tokens=1024,
            retry_initial_wait=0.01,
        )
        sizes = [r.window_tokens() for r in server.requests]
    assert [i.number for i in summary.items] == [i.number for i in summarise.load_pack(EXAMPLE).items]
    assert sizes and max(sizes) <= window, max(sizes)


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("window", [8_192, 16_384, 32_768, 128_000])
def test_kent_pack_never_sends_a_request_larger_than_the_window(
    shared_data: Path, tmp_path: Path, window: int
) -> None:
    pack = shared_data / "packs" / "kent-cabinet-2025-01-30-reports-pack.pdf"
    output = 2_048 if window <= 8_192 else 4_096
    with FakeOpenAIServer(seed=2) as server:
        summary = summarise.summarise_pack(
            pack,
            "llm",
            base_url=server.base_url,
            cache_dir=tmp_path,
            context_tokens=window,
            max_output_tokens=output,
        )  # an item the fake server's filler answer overflows falls back, marked: still no big request
        sizes = [r.window_tokens() for r in server.requests]
    assert len(summary.items) == len(summarise.load_pack(pack).items)
    over = [size for size in sizes if size > window]
    assert not over, f"{len(over)} of {len(sizes)} requests larger than the {window}-token window"


@pytest.mark.parametrize("window", [8_192, 128_000])
def test_estimate_is_within_ten_percent_of_the_run(tmp_path: Path, window: int) -> None:
    from summarise.engines.model.estimate import estimate_run
    from summarise.settings import Settings
    from summarise.text.tokens import chat_tokens

    settings = Settings(context_tokens=window, max_output_tokens=2_048, cache_dir=tmp_path)
    with FakeOpenAIServer(seed=2) as server:
        summarise.summarise_pack(EXAMPLE, "llm", settings=settings.with_overrides(base_url=server.base_url))
        sent = [chat_tokens(r.body["messages"]) for r in server.requests]
    estimate = estimate_run(summarise.load_pack(EXAMPLE), settings)
    assert estimate.fewest_calls <= len(sent) <= estimate.calls  # the glossary call depends on the answers
    assert abs(estimate.input_tokens / sum(sent) - 1) <= 0.10, (estimate.input_tokens, sum(sent))
