"""Verification of what misleads: decisions the pages do not record, another item's text under an
item, and invented people; each seeded kind caught on small synthetic meetings, and no false alarm
on faithful summaries of them."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from meetings import shared_page_agenda

from summarise.engines.extractive import summarise_meeting
from summarise.evaluation.seeding import KINDS, measure, seeds, with_page_sentences
from summarise.ingest import resolve_spans
from summarise.models import AgendaItem, Meeting, MeetingInfo, Page
from summarise.models.summary import ItemSummary, MeetingSummary, Paragraph, Provenance
from summarise.verify import verify_summary
from summarise.verify.status import status_claims

REPORT = """From: Jo Marsh, Cabinet Member for Highways
To: Cabinet, 30 January 2025
Subject: Highways Maintenance Plan 2025-28
Summary: The plan sets out how the council will repair roads over three years.
The plan proposes spending £5.6m on resurfacing in 2025-26.
Recommendation: Cabinet is asked to agree the Highways Maintenance Plan 2025-28.
The plan was agreed by the Highways Cabinet Committee on 14 January 2025 for recommendation to Cabinet.
"""

MINUTES = """Minutes of the meeting held on 9 January 2025
Councillor Amy Cole moved the recommendation. Councillor Ben Drury seconded the motion.
Yeas: 7 Nays: 0 Absent: 2
Motion carried. RESOLVED that the library opening hours review be approved.
a. Renewal of the parks maintenance contract with Greenway Grounds for two years.
Councillor Ben Drury moved to approve 2.a. Councillor Amy Cole seconded the motion.
ROLL CALL:
Cole Yea Drury Yea Evans Yea Fisher Yea Grant Yea Hale Yea Irwin Yea
Yeas: 7 Nays: 0 Absent: 2 Abstentions: 0
Motion carried.
"""

AMENDMENTS = """The amendment to fund fly-tipping cameras was considered and debated
but not agreed by the Council.
The amendment proposed £1m for cameras from the waste reserve, moved by Mr Chris Pell.
"""

OTHER = """Schools Commissioning Plan 2025-29
The plan forecasts the need for 38 more forms of entry across the county by 2029.
Cabinet is asked to note the plan and its forecasts of pupil numbers in each district.
"""


def _meeting() -> Meeting:
    texts = [REPORT, MINUTES, AMENDMENTS, OTHER]
    pages = [Page(number=i + 1, text=t, source="p.pdf", source_page=i + 1) for i, t in enumerate(texts)]
    items = [
        AgendaItem(number="5", title="Highways Maintenance Plan 2025-28", start_page=1, end_page=1),
        AgendaItem(
            number="3", title="Minutes of the meeting held on 9 January 2025", start_page=2, end_page=2
        ),
        AgendaItem(number="6", title="Budget amendments", start_page=3, end_page=3),
        AgendaItem(number="7", title="Schools Commissioning Plan 2025-29", start_page=4, end_page=4),
    ]
    return Meeting(info=MeetingInfo(body="Cabinet"), pages=pages, items=resolve_spans(pages, items))


MEETING = _meeting()


def _summary(number: str, text: str, pages: list[int]) -> MeetingSummary:
    source = next(i for i in MEETING.items if i.number == number)
    item = ItemSummary(
        number=number, title=source.title, start_page=source.start_page, end_page=source.end_page
    )
    item.paragraphs = [Paragraph(text=text, pages=pages)]
    return MeetingSummary(
        meeting=MEETING.info,
        synopsis="",
        items=[item],
        provenance=Provenance(
            engine="test", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


def _errors(number: str, text: str, pages: list[int]) -> list[tuple[str, str]]:
    found = verify_summary(_summary(number, text, pages), MEETING).misleading
    return [(f.kind, f.text) for f in found]


# --- decision status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "text", "page"),
    [
        ("5", "Cabinet unanimously agreed the Highways Maintenance Plan 2025-28.", 1),
        ("5", "The plan approved spending £5.6m on resurfacing in 2025-26.", 1),  # "proposes"
        ("6", "The Council agreed the amendment to fund fly-tipping cameras.", 3),  # "not agreed"
        ("6", "The amendment approved £1m for cameras from the waste reserve.", 3),
        ("7", "Cabinet adopted the Schools Commissioning Plan and its forecasts.", 4),
    ],
)
def test_a_decision_the_pages_do_not_record_is_an_error(number: str, text: str, page: int) -> None:
    assert [kind for kind, _ in _errors(number, text, [page])] == ["status"]


def test_not_agreed_is_named_in_the_message() -> None:
    [finding] = verify_summary(
        _summary("6", "The Council agreed the amendment to fund fly-tipping cameras.", [3]), MEETING
    ).misleading
    assert "not agreed" in finding.message and finding.item == "6"


@pytest.mark.parametrize(
    ("number", "text", "page"),
    [
        ("5", "Cabinet is asked to agree the Highways Maintenance Plan 2025-28.", 1),  # as the page says
        ("5", "The plan proposes spending £5.6m on resurfacing in 2025-26.", 1),
        ("5", "The Highways Cabinet Committee agreed the plan on 14 January 2025.", 1),  # the page records it
        ("3", "The library opening hours review was approved.", 2),  # RESOLVED ... be approved
        ("3", "Members unanimously agreed the library opening hours review.", 2),  # 7-0, none against
        ("3", "The council approved renewing the parks maintenance contract, 7-0.", 2),  # after a roll call
        ("6", "The amendment to fund fly-tipping cameras was not agreed.", 3),
        ("7", "Cabinet is asked to note the plan's forecasts of pupil numbers.", 4),
    ],
)
def test_a_decision_the_pages_record_or_a_proposal_is_no_error(number: str, text: str, page: int) -> None:
    assert _errors(number, text, [page]) == []


def test_only_decisions_stated_as_done_are_claims() -> None:
    assert status_claims("Cabinet is asked to agree the plan, to be approved in March.") == []
    assert status_claims("The approved budget for 2024-25 stays.") == []  # a standing fact
    [claim] = status_claims("Cabinet unanimously agreed the plan.")
    assert claim.unanimous and claim.text == "unanimously agreed"


# --- another item's text -----------------------------------------------------------------------------


def test_another_items_text_under_an_item_is_an_error() -> None:
    pasted = "The plan forecasts the need for 38 more forms of entry across the county by 2029."
    text = "The plan sets out how the council will repair roads over three years. " + pasted
    found = _errors("5", text, [1])
    assert [claim for kind, claim in found if kind == "attribution"] == [pasted.rstrip(".")]
    assert {kind for kind, _ in found} <= {"attribution", "figure"}  # its figures are item 7's too


def test_on_a_shared_page_a_neighbours_sentence_is_caught_without_a_full_stop() -> None:
    meeting = shared_page_agenda()
    summary = summarise_meeting(meeting)
    budget = next(i for i in summary.items if i.number == "2")
    budget.paragraphs = [
        Paragraph(
            text="The board will consider moving $40,000 from the travel budget to the clinic budget"
            " The board will consider a contract with the state health department to monitor bathing"
            " beaches this summer.",
            pages=[1],
        )
    ]
    summary.items = [budget]
    kinds = [f.kind for f in verify_summary(summary, meeting).misleading]
    assert kinds == ["attribution"]


def test_an_items_own_sentences_are_no_error() -> None:
    text = (
        "The plan sets out how the council will repair roads over three years. "
        "The plan proposes spending £5.6m on resurfacing in 2025-26."
    )
    assert _errors("5", text, [1]) == []


# --- people ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Councillor Tamsin Pellow seconded the recommendation.",
        "Cllr Orlando Quenby asked how the cost would be met.",
        "Desmond Ruddock, Cabinet Member for Highways, presented the report.",
        "Mrs Imogen Vassallo said the plan had wide support.",
    ],
)
def test_a_person_named_nowhere_in_the_pack_is_an_error(text: str) -> None:
    assert [kind for kind, _ in _errors("5", text, [1])] == ["person"]


def test_a_person_named_elsewhere_in_the_pack_is_a_warning_not_an_error() -> None:
    summary = _summary("7", "Councillor Amy Cole introduced the plan.", [4])  # she is on page 2 only
    found = verify_summary(summary, MEETING).findings
    assert found and all(f.severity == "warning" for f in found)
    assert verify_summary(summary, MEETING).misleading == []


# --- seeded errors on faithful summaries -------------------------------------------------------------


def test_every_seeded_kind_is_caught_and_faithful_texts_raise_no_alarm() -> None:
    faithful = summarise_meeting(MEETING)
    rng = random.Random(3)
    faithful = with_page_sentences(faithful, MEETING, rng, per_item=4)
    score = measure(faithful, MEETING, rng, per_kind=10)
    assert score.faithful >= 8
    assert score.false_alarms == 0, score.alarms
    for kind in KINDS:
        assert score.seeded[kind] >= 2, kind
        assert score.caught[kind] == score.seeded[kind], [s for s in score.missed if s.kind == kind]


def test_seeds_change_the_text_in_the_kind_named() -> None:
    faithful = with_page_sentences(summarise_meeting(MEETING), MEETING, random.Random(1), per_item=4)
    made = seeds(faithful, MEETING, random.Random(1), per_kind=5)
    assert {s.kind for s in made} == set(KINDS)
    for seed in made:
        assert seed.after != seed.before
        if seed.kind == "status":
            assert status_claims(seed.after)
            assert seed.item != "3"  # minutes that record their decisions are not seeded


def test_a_seeded_figure_is_never_a_value_the_items_text_already_gives() -> None:
    """34.8% seeded to 34.0% where the text also says 34% would be no error at all (the verifier
    rightly finds 34.0 = 34 supported), and a miss counted against it."""
    import random

    from summarise.evaluation.seeding import _seed_figure
    from summarise.text.figures import find_figures

    text = "Attainment rose to 34.8% this year."
    own = f"{text} It was 34% in 2023 and 1,250 pupils took part."
    given = {f.value for f in find_figures(own)}
    seeded = [_seed_figure(text, own, random.Random(seed)) for seed in range(200)]
    changed = [s for s in seeded if s is not None]
    assert changed  # it can still seed this sentence
    for s in changed:
        (fig,) = [f for f in find_figures(s) if f.kind == "percent"]
        assert fig.value not in given, s
