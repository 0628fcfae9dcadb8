"""The answer's cap follows the source: notes calls carry more source, never past the window."""

from __future__ import annotations

import pytest

from summarise.engines.model.budget import (
    ANSWER_FLOOR,
    answer_cap,
    item_budget,
    notes_budget,
    plan_chunks,
    room_for_source,
)
from summarise.engines.model.budget import item_values as values_of
from summarise.settings import Settings
from tests.test_plan import paragraph, synthetic_meeting


def settings(window: int, output: int) -> Settings:
    return Settings(context_tokens=window, max_output_tokens=output, use_cache=False)


def test_cap_is_a_quarter_of_the_source_between_the_floor_and_the_setting() -> None:
    s = settings(8_192, 2_048)
    assert answer_cap(s, None) == 2_048
    assert answer_cap(s, 100) == ANSWER_FLOOR
    assert answer_cap(s, 6_000) == 1_500
    assert answer_cap(s, 50_000) == 2_048
    assert answer_cap(settings(8_192, 512), 6_000) == 512  # never above the setting


@pytest.mark.parametrize(
    ("window", "output"), [(4_096, 1_024), (8_192, 2_048), (16_384, 4_096), (128_000, 4_096)]
)
@pytest.mark.parametrize("overhead", [200, 900])
def test_a_scaled_source_and_its_cap_fit_the_window(window: int, output: int, overhead: int) -> None:
    s = settings(window, output)
    room = room_for_source(s, overhead, scaled=True)
    assert room >= room_for_source(s, overhead)
    assert room + overhead + answer_cap(s, room) <= window


def test_a_long_item_is_cut_for_notes_calls_with_more_source_each_than_a_summary_call() -> None:
    meeting, item = synthetic_meeting([paragraph(n) * 8 for n in range(1, 41)])
    s = settings(8_192, 2_048)
    shared = values_of(meeting, item, s)
    assert notes_budget(s, meeting, item, shared) > item_budget(s, meeting, item, values=shared)
    chunks, _ = plan_chunks(s, meeting, item, shared)
    assert len(chunks) > 1
    assert max(c.tokens for c in chunks) > item_budget(s, meeting, item, values=shared)
    assert all(c.tokens <= notes_budget(s, meeting, item, shared) for c in chunks)


def test_an_item_that_fits_one_summary_call_stays_one_chunk() -> None:
    meeting, item = synthetic_meeting([paragraph(1), paragraph(2)])
    s = settings(8_192, 2_048)
    chunks, _ = plan_chunks(s, meeting, item, values_of(meeting, item, s))
    assert len(chunks) == 1
