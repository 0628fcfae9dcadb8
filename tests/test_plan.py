"""Chunk planning: every page is read by some call and no call passes the budget."""

from __future__ import annotations

from summarise.engines.model.plan import halve, plan_item
from summarise.engines.model.protocol import PAGE_MARKER
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page
from summarise.text.tokens import count_tokens


def synthetic_meeting(page_texts: list[str]) -> tuple[Meeting, AgendaItem]:
    pages = [
        Page(number=i + 1, text=t, source="synthetic.pdf", source_page=i + 1)
        for i, t in enumerate(page_texts)
    ]
    item = AgendaItem(number="4", title="Budget", start_page=1, end_page=len(pages))
    return Meeting(info=MeetingInfo(), pages=pages, items=[item]), item


def paragraph(n: int) -> str:
    return f"Paragraph {n} says the forecast overspend is £{n}.{n} million for 2025-26. " * 6


def test_small_item_is_one_chunk_with_page_markers() -> None:
    meeting, item = synthetic_meeting(["First page text.", "", "Third page text."])
    chunks = plan_item(meeting, item, budget=1000)
    assert len(chunks) == 1
    assert chunks[0].pages == (1, 3)  # the blank page is skipped
    assert [int(n) for n in PAGE_MARKER.findall(chunks[0].text)] == [1, 3]


def test_long_item_is_split_within_budget_and_covers_every_page() -> None:
    texts = ["\n\n".join(paragraph(p * 10 + k) for k in range(4)) for p in range(12)]
    meeting, item = synthetic_meeting(texts)
    budget = 300
    chunks = plan_item(meeting, item, budget=budget)
    assert len(chunks) > 3
    assert all(c.tokens <= budget and count_tokens(c.text) <= budget + 5 for c in chunks)
    covered = {p for c in chunks for p in c.pages}
    assert covered == set(range(1, 13))
    # every paragraph of the source reaches some chunk
    joined = "\n".join(c.text for c in chunks)
    assert all(paragraph(p * 10 + k).strip()[:40] in joined for p in range(12) for k in range(4))


def test_halve_makes_smaller_citable_pieces() -> None:
    texts = ["\n\n".join(paragraph(p * 10 + k) for k in range(3)) for p in range(2)]
    meeting, item = synthetic_meeting(texts)
    (chunk,) = plan_item(meeting, item, budget=5000)
    halves = halve(chunk)
    assert len(halves) >= 2
    assert all(h.tokens < chunk.tokens for h in halves)
    assert all(h.text.startswith("[page ") for h in halves)
    assert {p for h in halves for p in h.pages} == {1, 2}


def test_item_budget_leaves_room_for_the_prompt_and_the_answer() -> None:
    import pytest

    from summarise.engines.model.budget import item_budget, prompt_tokens
    from summarise.errors import ConfigurationError
    from summarise.settings import Settings

    meeting, item = synthetic_meeting(["Budget text."])
    prompt = prompt_tokens("item_summary", Settings(), item_title=item.title, item_number=item.number)
    capped = Settings.build(chunk_tokens=12_000, context_tokens=128_000)
    assert item_budget(capped, meeting, item) == 12_000
    assert item_budget(capped, meeting, item, capped=False) > 100_000
    # By default the window decides: a 128k model reads what fits, in one call.
    for window, output in ((128_000, 4_096), (8_192, 2_048)):
        settings = Settings.build(context_tokens=window, max_output_tokens=output)
        budget = item_budget(settings, meeting, item)
        assert window - output - 2 * prompt < budget < window - output - prompt
    with pytest.raises(ConfigurationError):
        Settings.build(context_tokens=4_096, max_output_tokens=4_096)
