"""Verification is cheap (issue 12, item 4): evidence is built only for the pages a summary cites
and the pages that may settle a wide claim, an item's text is read only when a passage may come
from it, one index per meeting's content is kept per process, and none of it changes a finding:
the lazy search finds what the exhaustive one (every page indexed, as before) finds."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from summarise.engines.extractive import summarise_meeting
from summarise.ingest import load_pack
from summarise.models import AgendaItem, Meeting, MeetingInfo, Page, TextSpan
from summarise.models.summary import (
    Footnote,
    ItemSummary,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
)
from summarise.verify import MeetingIndex, verify_summary
from summarise.verify.attribution import ItemTexts, word_spans, words

_FILLER = "The committee discussed the matter in detail and officers answered questions from members."


_FIRST = ["Anna", "Ben", "Cara", "Dev", "Ella"]
_LAST = ["Hartley", "Lowe", "Marsh", "Pike", "Reed", "Stone", "Vale", "Wren", "Yates"]


def _name(n: int) -> str:
    """A different person on every page."""
    return f"{_FIRST[n % 5]} {_LAST[n // 5]}"


def _page_text(n: int) -> str:
    # every page its own figure and name, so a claim can be settled by one page only
    return (
        f"Report section {n}\n{_FILLER}\nThe scheme for ward {n} costs £{n},{n:03d}k this year.\n"
        f"Councillor {_name(n)} presented the paper on ward {n}.\n{n}"
    )


def _meeting(pages: int = 40) -> Meeting:
    texts = [_page_text(n) for n in range(1, pages + 1)]
    texts[29] += "\nThe Cabinet RESOLVED that the ward plan be agreed."
    return Meeting(
        info=MeetingInfo(body="Cabinet", date=dt.date(2025, 1, 30), sources=["pack.pdf"]),
        pages=[Page(number=i + 1, text=t, source="pack.pdf", source_page=i + 1) for i, t in enumerate(texts)],
        items=[
            AgendaItem(number="1", title="Apologies"),
            AgendaItem(number="2", title="Ward Budgets", start_page=1, end_page=20),
            AgendaItem(number="3", title="Ward Plans", start_page=21, end_page=pages),
        ],
    )


def _summary(
    meeting: Meeting, synopsis: str, paragraphs: dict[str, list[tuple[str, list[int]]]]
) -> MeetingSummary:
    items = []
    for source in meeting.items:
        item = ItemSummary(
            number=source.number, title=source.title, start_page=source.start_page, end_page=source.end_page
        )
        item.paragraphs = [Paragraph(text=t, pages=p) for t, p in paragraphs.get(source.number, [])]
        items.append(item)
    return MeetingSummary(
        meeting=meeting.info,
        synopsis=synopsis,
        items=items,
        provenance=Provenance(
            engine="test", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


def test_evidence_is_built_only_for_cited_pages_and_the_pages_that_settle_the_synopsis() -> None:
    meeting = _meeting()
    summary = _summary(
        meeting,
        f"Ward 30's scheme costs £30,030k, Councillor {_name(30)} said.",
        {"3": [(f"Councillor {_name(25)} presented the scheme for ward 25 at £25,025k.", [25, 26])]},
    )
    lazy = MeetingIndex(meeting)
    result = verify_summary(summary, meeting, index=lazy)
    assert result.findings == []
    assert lazy.indexed_pages == [25, 26, 30]  # the cited pages, and the one page the synopsis is on
    full = MeetingIndex(meeting, exhaustive=True)
    assert verify_summary(summary, meeting, index=full) == result
    assert full.indexed_pages == list(range(1, 41))


def _varied(meeting: Meeting) -> list[MeetingSummary]:
    """Summaries with findings of every kind, and faithful ones, over wide and narrow scopes."""
    return [
        _summary(meeting, "Ward 30's scheme costs £30,030k.", {}),
        _summary(meeting, "Ward 30's scheme costs £31,031k; Councillor Invented Nobody spoke.", {}),
        _summary(meeting, f'Councillor {_name(7)} said "officers answered questions".', {}),
        _summary(meeting, "The Cabinet unanimously agreed the ward plan.", {}),
        _summary(meeting, "Ward Budgets and Ward Plans were on the agenda; the KCC plan was approved.", {}),
        _summary(
            meeting,
            "",
            {
                "2": [
                    ("The scheme for ward 3 costs £3,003k this year.", [2]),  # the next page
                    ("The scheme for ward 30 costs £30,030k this year.", [4]),  # another item's page
                    (f"Councillor {_FIRST[4]} {_LAST[0]} presented it; the plan was approved.", [9]),
                ],
                "3": [("Councillor Madeup Person presented the paper on ward 22.", [22])],
            },
        ),
    ]


def test_lazy_cached_and_exhaustive_searches_find_the_same() -> None:
    meeting = _meeting()
    cached = MeetingIndex(meeting)
    for summary in _varied(meeting):
        expected = verify_summary(summary, meeting, index=MeetingIndex(meeting, exhaustive=True))
        assert verify_summary(summary, meeting, index=MeetingIndex(meeting)) == expected
        assert verify_summary(summary, meeting, index=cached) == expected  # evidence kept from before
        assert verify_summary(summary, meeting) == expected  # the process's index
    kinds = {f.kind for s in _varied(meeting) for f in verify_summary(s, meeting).findings}
    assert {"figure", "person", "status", "citation"} <= kinds


def test_a_person_is_found_anywhere_in_the_pack_without_indexing_every_page() -> None:
    meeting = _meeting()
    summary = _summary(meeting, "", {"2": [(f"Councillor {_name(33)} presented the paper.", [3])]})
    index = MeetingIndex(meeting)
    [finding] = verify_summary(summary, meeting, index=index).findings
    assert (finding.kind, finding.severity) == ("name", "warning")  # named in the pack, not on page 3
    assert 33 in index.indexed_pages and len(index.indexed_pages) < 25


def test_the_process_keeps_one_index_per_meeting_content() -> None:
    meeting = _meeting()
    index = MeetingIndex.of(meeting)
    assert MeetingIndex.of(meeting.model_copy(deep=True)) is index  # loaded again, unchanged
    pages = list(meeting.pages)
    pages[4] = pages[4].model_copy(update={"text": pages[4].text + "\nA late correction."})
    changed = meeting.model_copy(update={"pages": pages})
    assert MeetingIndex.of(changed) is not index


def test_item_texts_reads_only_the_items_a_passage_may_come_from() -> None:
    meeting = _meeting()
    texts = ItemTexts(meeting)
    own = "The scheme for ward 25 costs £25,025k this year."
    assert texts.foreign(own, "3", [25]) == []
    assert texts._built == {} and texts._plain == {}  # found on the page it cites: no item read whole
    pasted = f"{own} The scheme for ward 4 costs £4,004k this year."  # item 2's page 4
    assert [other for _, other in texts.foreign(pasted, "3", [25])] == ["2"]
    assert texts._built == {}  # its runs searched for in the items' text, no item split into words


def _shared_pages_meeting() -> Meeting:
    """Items 2 and 3 share page 20; item 4 has no papers of its own, only its sub-items'."""
    meeting = _meeting()
    cut = meeting.pages[19].text.index("Councillor")
    return meeting.model_copy(
        update={
            "items": [
                meeting.items[0],
                meeting.items[1].model_copy(update={"spans": [TextSpan(page=20, end=cut)]}),
                AgendaItem(
                    number="3",
                    title="Ward Plans",
                    start_page=20,
                    end_page=34,
                    spans=[TextSpan(page=20, start=cut)],
                ),
                AgendaItem(
                    number="4",
                    title="Ward Reviews",
                    sub_items=[
                        AgendaItem(number="4a", title="North", start_page=35, end_page=37),
                        AgendaItem(number="4b", title="South", start_page=38, end_page=40),
                    ],
                ),
            ]
        }
    )


def test_passages_found_from_the_cited_pages_are_those_found_from_every_items_words() -> None:
    meeting = _shared_pages_meeting()
    full = ItemTexts(meeting, exhaustive=True)
    rng = random.Random(12)
    page_words = [p.text.split() for p in meeting.pages]
    found = 0
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 4)):
            text = rng.choice(page_words)
            start = rng.randrange(len(text))
            pieces.append(" ".join(text[start : start + rng.randint(2, 14)]))
            if rng.random() < 0.4:
                pieces.append(rng.choice(["new", "homes", "and", "the", "Members", "noted", "1,234", "ward"]))
        text = rng.choice([" ", ". ", ", "]).join(pieces)
        number = rng.choice(["2", "3", "4"])
        pages = rng.sample(range(1, 41), rng.randint(0, 3))
        expected = full.foreign(text, number)
        lazy = ItemTexts(meeting)  # each its own: its runs searched for, not split into words
        assert lazy.foreign(text, number, pages) == expected, (text, number, pages)
        found += bool(expected)
    assert found > 20  # passages from other items among them


@pytest.mark.shared
@pytest.mark.slow
def test_kent_findings_are_the_same_and_few_pages_are_indexed(shared_data: Path) -> None:
    meeting = load_pack([shared_data / "packs" / "kent-cabinet-2025-01-30-reports-pack.pdf"])
    summary = summarise_meeting(meeting)
    lazy = MeetingIndex(meeting)
    result = verify_summary(summary, meeting, index=lazy)
    assert verify_summary(summary, meeting, index=MeetingIndex(meeting, exhaustive=True)) == result
    assert len(lazy.indexed_pages) < len(meeting.pages) // 4


def test_footnote_and_presenter_checks_are_unchanged_by_laziness() -> None:
    meeting = _meeting()
    summary = _summary(meeting, "", {"3": [("The scheme for ward 21 costs £21,021k.", [21])]})
    summary.items[2].presenter = Presenter(name=f"Councillor {_name(40)}", role=None)
    summary.items[2].note = "Ward 39's scheme costs £39,039k."
    summary.footnotes = [
        Footnote(number=1, term="Ward", definition="An area of the county.", origin="source", pages=[22]),
    ]
    rng = random.Random(3)
    for _ in range(3):
        order = list(range(1, 41))
        rng.shuffle(order)
        expected = verify_summary(summary, meeting, index=MeetingIndex(meeting, exhaustive=True))
        index = MeetingIndex(meeting)
        for n in order[:10]:  # some pages already indexed, in any order
            index.page(n)
        assert verify_summary(summary, meeting, index=index) == expected


@pytest.mark.parametrize(
    "text",
    ["Kent County Council’s 1,234 staff [^2] and £1.5m", "İstanbul Office", "ΟΔΟΣ'Β and ΑΣ", "a_b 12ab3"],
)
def test_words_read_at_once_are_the_words_read_one_by_one(text: str) -> None:
    assert words(text) == [w for w, _ in word_spans(text)]
