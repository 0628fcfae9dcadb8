"""One model engine asked about two meetings keeps each meeting's items apart (no network: planning
and prompt values only)."""

from __future__ import annotations

import asyncio

from summarise.engines.model.engine import ModelEngine
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page
from summarise.settings import Settings


def _meeting(title: str, texts: dict[str, str]) -> Meeting:
    """A meeting of one page per item, numbered as ``texts`` gives them."""
    pages = [
        Page(number=i + 1, text=text, source=f"{title}.pdf", source_page=i + 1)
        for i, text in enumerate(texts.values())
    ]
    items = [
        AgendaItem(number=number, title=f"{title} item {number}", start_page=i + 1, end_page=i + 1)
        for i, number in enumerate(texts)
    ]
    return Meeting(info=MeetingInfo(title=title), pages=pages, items=items)


def test_an_item_of_a_second_meeting_gets_its_own_papers_and_values() -> None:
    engine = ModelEngine(Settings(base_url="http://model.invalid/v1", api_key="k", model="m"))
    first = _meeting("Cabinet", {"4": "The budget rises by £12 million.", "5": "Parking charges rise."})
    second = _meeting("Planning", {"4": "A new school is proposed.", "5": "Library hours are cut."})

    chunks, _ = engine.plan(first, first.items[0])  # plans every item of the first meeting
    assert "£12 million" in chunks[0].text
    for item, said in zip(second.items, ["A new school", "Library hours"], strict=True):
        (chunk,), _ = engine.plan(second, item)
        assert said in chunk.text and "Cabinet" not in engine.values(second, item)["item_title"]
    assert engine.values(first, first.items[1])["item_title"] == "Cabinet item 5"
    assert engine.values(second, second.items[1])["item_title"] == "Planning item 5"


def test_each_meeting_gets_its_own_packs_words() -> None:
    engine = ModelEngine(Settings(base_url="http://model.invalid/v1", api_key="k", model="m"))
    first = _meeting("Cabinet", {"4": "The budget rises by £12 million."})
    second = _meeting("Planning", {"4": "A new school is proposed."})

    async def both() -> tuple[frozenset[str], frozenset[str], bool]:
        one, other = engine.read_terms_soon(first), engine.read_terms_soon(second)
        again = engine.read_terms_soon(first) is one  # read once per meeting
        return (await one).words, (await other).words, again

    words_first, words_second, again = asyncio.run(both())
    assert "budget" in words_first and "budget" not in words_second and "school" in words_second
    assert again
