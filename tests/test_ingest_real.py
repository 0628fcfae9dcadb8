"""Segmentation of real council packs in ../shared/data (skipped where absent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from summarise import Meeting, load_pack
from summarise.models.meeting import AgendaItem

pytestmark = pytest.mark.shared


Loader = Callable[[str], Meeting]


@pytest.fixture(scope="module")
def load(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Loader:
    cache = tmp_path_factory.mktemp("ingest-cache")

    def _load(name: str) -> Meeting:
        return load_pack(shared_data / "packs" / name, cache_dir=cache)

    return _load


def by_number(meeting: Meeting) -> dict[str, AgendaItem]:
    return {i.number: i for i in meeting.items}


def covered(meeting: Meeting) -> set[int]:
    return {n for i in meeting.items for n in i.page_range}


@pytest.mark.slow
def test_kent_cabinet_reports_pack(load: Loader) -> None:
    meeting = load("kent-cabinet-2025-01-30-reports-pack.pdf")
    items = by_number(meeting)
    assert [i.number for i in meeting.items] == [str(n) for n in range(1, 10)]
    assert meeting.info.body == "Cabinet" and meeting.info.date == dt.date(2025, 1, 30)
    # items with papers: the page ranges of their bookmarks
    ranges = {n: (items[n].start_page, items[n].end_page) for n in ["3", "5", "6", "7", "8", "9"]}
    assert ranges == {
        "3": (3, 11),
        "5": (12, 84),
        "6": (85, 268),
        "7": (269, 316),
        "8": (317, 447),
        "9": (448, 460),
    }
    # items listed on the front sheet with no papers
    for n, title in [("1", "Apologies"), ("2", "Declarations of Interest"), ("4", "Cabinet Member Updates")]:
        assert items[n].title == title and not items[n].has_papers and items[n].tokens == 0
    # appendices are the item's documents, with their bookmark pages
    docs6 = [(d.title, d.start_page) for d in items["6"].documents if d.title.startswith("Appendix")]
    assert len(docs6) == 16 and docs6[0] == ("Appendix A Capital Investment Summary", 132)
    assert docs6[-1] == ("Appendix P - Flexible Use of Capital Receipts Strategy", 266)
    assert [d.start_page for d in items["5"].documents] == [12, 16, 70, 83]
    assert items["5"].documents[-1].end_page == 84
    assert {1, 2}.isdisjoint(covered(meeting))  # the front sheet is no item
    assert all(i.tokens > 1000 for i in meeting.items if i.has_papers)


def test_kent_budget_amendments(load: Loader) -> None:
    meeting = load("kent-council-2025-02-13-budget-amendments.pdf")
    assert [i.number for i in meeting.items] == ["6"]
    item = meeting.items[0]
    amendments = [d for d in item.documents if "Amendment" in d.title or "Annex" in d.title]
    assert len(amendments) == 8
    assert [d.start_page for d in amendments] == [5, 9, 13, 39, 41, 43, 45, 47]
    assert meeting.page(2).text == ""  # "This page is intentionally left blank" removed
    assert {1, 2}.isdisjoint(covered(meeting))  # covering letter and blank page: no item
    assert meeting.info.body == "County Council" and meeting.info.date == dt.date(2025, 2, 13)
    assert all("Agenda Item 6" not in p.text for p in meeting.pages)
    assert all(not p.text.rstrip().endswith(f"Page {p.number - 2}") for p in meeting.pages)


def test_cuyahoga_agenda_items_and_lettered_resolutions(load: Loader) -> None:
    meeting = load("cuyahoga-board-of-health-agenda.pdf")
    numbers = [i.number for i in meeting.items]
    assert numbers[:10] == [str(n) for n in range(1, 11)]
    item10 = by_number(meeting)["10"]
    assert item10.title.startswith("Approval of Resolutions")
    assert [s.number for s in item10.sub_items] == [*"ABCDEFGH", "A", "B", "C", "A"]
    assert all(s.title.startswith("RESOLUTION") for s in item10.sub_items)
    assert meeting.info.date == dt.date(2019, 4, 24)


def test_illinois_roman_numbered_agenda(load: Loader) -> None:
    meeting = load("illinois-finance-authority-agenda.pdf")
    assert [i.number for i in meeting.items] == ["I", "II", "III", "IV", "V", "VI"]
    assert by_number(meeting)["VI"].title == "Adjournment"
    assert meeting.info.date == dt.date(2020, 12, 8)


def test_tulsa_minutes_numbered_items_with_lettered_sub_items(load: Loader) -> None:
    meeting = load("tulsa-city-council-minutes-24-1056-2.pdf")
    items = by_number(meeting)
    assert [i.number for i in meeting.items] == [str(n) for n in range(1, 13)]
    assert items["1"].title == "RECEIPT & FILING OF MINUTES"
    assert [s.number for s in items["1"].sub_items] == ["a", "b"]
    four = [s.number for s in items["4"].sub_items]
    assert four[:3] == ["a", "b", "c"] and four[-3:] == ["ag", "ah", "ai"] and len(four) == 35
    starts = [i.start_page or 0 for i in meeting.items]
    assert starts == sorted(starts) and starts[-1] == 13
    assert all("11599" not in p.text for p in meeting.pages[:1])  # running page-number header dropped
