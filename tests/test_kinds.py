"""Document kinds and what each records: minutes' motions and votes, amendments' proposers and the
pack's own word on their outcome, every name on a report's From: line."""

from __future__ import annotations

import asyncio

from summarise.engines.extractive.outcomes import minutes_outcomes, proposals, stated_outcome
from summarise.engines.extractive.presenter import find_people
from summarise.engines.extractive.voice import attribute
from summarise.ingest.kinds import kind_of_pages
from summarise.models import AgendaItem, Document, Meeting, Page
from summarise.text.sentences import sentences_of_text


def _page(text: str, number: int = 1, source: str = "pack.pdf") -> Page:
    return Page(number=number, text=text, source=source, source_page=number)


MINUTES = """MINUTES OF THE REGULAR MEETING OF THE TOWN COUNCIL
1. APPOINTMENTS
a. Jane Roe - Appointment to the Library Board.
Councilor Ames moved to approve 1.a. Councilor Hall-
Harper seconded the motion.
Yeas: 6 Nays: 1 Absent: 2 Abstentions: 0
Motion carried.
2. ZONING
Councilor Bell moved to deny 2.a. Councilor Ames seconded the motion.
Yeas: 3 Nays: 4
Motion failed.
"""

AMENDMENTS = """Dear Member
Enclosed are the budget amendments proposed at the meeting.
These amendments were considered and debated but not agreed by the Council during the meeting.
"""

FORM = """Budget Amendment Form
Name:
Library Opening Hours Amendment
Number: 2
Proposer: Mr Sam Fox Seconder: Mrs Ann Lee
Proposed Purpose:
Keep the libraries open on Sundays, paid for from reserves. We believe residents want this.
Proposed Amount: £40k
"""


def test_kinds_are_told_apart() -> None:
    assert kind_of_pages([_page(MINUTES)]) == "minutes"
    assert kind_of_pages([_page(AMENDMENTS), _page("Budget amendments\n" + FORM, 2)]) == "motions"
    assert kind_of_pages([_page("AGENDA\n1. Apologies\n2. Minutes")]) == "agenda"
    assert kind_of_pages([_page("AGENDA", source="item-7-supplementary.pdf")]) == "supplementary"
    report = "AGENDA\n5. Budget\nFrom: Jo Bloggs, Leader\nTo: Cabinet\nSummary: the budget."
    assert kind_of_pages([_page(report)]) == "report_pack"


def test_minutes_report_each_motion_its_mover_seconder_vote_and_outcome() -> None:
    outcomes = minutes_outcomes([_page(MINUTES)])
    assert [o.text for o in outcomes] == [
        "Councilor Ames moved to approve 1.a; Councilor Hall-Harper seconded."
        " The motion carried by 6 votes to 1 (2 absent).",
        "Councilor Bell moved to deny 2.a; Councilor Ames seconded. The motion failed by 3 votes to 4.",
    ]
    assert [(p.name, p.part) for p in outcomes[0].people] == [
        ("Councilor Ames", "proposer"),
        ("Councilor Hall-Harper", "seconder"),
    ]


def test_amendments_name_proposer_seconder_and_the_packs_own_outcome() -> None:
    found = proposals([_page(FORM, 2)])
    assert [o.text for o in found] == [
        "Amendment 2 (Library Opening Hours Amendment), proposed by Mr Sam Fox and seconded by"
        " Mrs Ann Lee: Keep the libraries open on Sundays, paid for from reserves."
        " The amount proposed is £40k."
    ]
    assert stated_outcome([_page(AMENDMENTS)]) == (
        "These amendments were considered and debated but not agreed by the Council during the meeting.",
        1,
    )


def test_partisan_text_is_attributed_to_its_group() -> None:
    item = AgendaItem(
        number="6",
        title="Budget",
        start_page=1,
        end_page=3,
        documents=[Document(title="Annex 1 - Labour Group Budget Amendment", start_page=1, end_page=3)],
    )
    sentences = [s for s in sentences_of_text("Our residents wanted more spending on youth services.")]
    sentences = [s.__class__(**{**s.__dict__, "pages": (2,)}) for s in sentences]
    (said,) = attribute(sentences, "motions", item)
    assert (
        said.text == "The Labour Group's paper says: “Our residents wanted more spending on youth services.”"
    )
    (plain,) = attribute(sentences, "minutes", item)
    assert plain.text == sentences[0].text


def test_every_name_on_the_from_line_is_a_presenter() -> None:
    block = (
        "From: Deputy Leader and Cabinet Member for Finance, Corporate and\nTraded Services, Peter Oakford\n"
        "Interim Corporate Director Finance, John Betts\nTo: Cabinet, 30 January 2025\n"
    )
    people = find_people([_page(block)])
    assert [(p.name, p.role) for p in people] == [
        ("Peter Oakford", "Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services"),
        ("John Betts", "Interim Corporate Director Finance"),
    ]
    block = "From: Roger Gough, Leader,\n\nDr Anjan Ghosh, Director of Public Health\n\nTo: Cabinet"
    assert [(p.name, p.role) for p in find_people([_page(block)])] == [
        ("Roger Gough", "Leader"),
        ("Dr Anjan Ghosh", "Director of Public Health"),
    ]


def test_model_prompts_carry_the_rules_of_the_kind_in_hand() -> None:
    from summarise.engines.model.budget import document_kind, kind_rules
    from summarise.models import Meeting, MeetingInfo
    from summarise.settings import Settings

    minutes = Meeting(info=MeetingInfo(), pages=[_page(MINUTES)], items=[])
    assert document_kind(minutes) == "set of minutes"
    rules = kind_rules(Settings(), minutes)
    assert "set of minutes" in rules and "carried or" in rules and "past tense" in rules
    assert "is asked to approve" not in rules  # only the rules of the paper in hand
    agenda = Meeting(info=MeetingInfo(), pages=[_page("AGENDA\n1. Apologies")], items=[])
    assert document_kind(agenda) == "agenda without reports"
    assert "proposed" in kind_rules(Settings(), agenda)
    amendments = Meeting(info=MeetingInfo(), pages=[_page(AMENDMENTS), _page(FORM)], items=[])
    assert "not agreed" in kind_rules(Settings(), amendments)


QUESTIONS = """COUNTY COUNCIL - QUESTIONS
Question 1 from Mr Sam Fox to the Cabinet Member for Highways:
How many potholes were repaired last year in the county? Please give the figure.
Answer:
The council repaired 30,000 potholes last year. A further 5,000 are planned.
Question 2 from Mrs Ann Lee to the Leader:
Will the Leader commit to keeping every library open through the winter?
Reply from the Leader:
No library will close this winter under the current budget plans.
"""


def test_questions_name_who_asked_whom_and_attribute_the_answer() -> None:
    from summarise.engines.extractive.outcomes import questions

    assert kind_of_pages([_page(QUESTIONS)]) == "questions"
    found = questions([_page(QUESTIONS)])
    assert [q.text for q in found] == [
        "Mr Sam Fox asked the Cabinet Member for Highways: “How many potholes were repaired last year in"
        " the county?” The reply: “The council repaired 30,000 potholes last year.”",
        "Mrs Ann Lee asked the Leader: “Will the Leader commit to keeping every library open through the"
        " winter?” The reply: “No library will close this winter under the current budget plans.”",
    ]
    assert [(p.name, p.part) for p in found[0].people] == [
        ("Mr Sam Fox", "questioner"),
        ("Cabinet Member for Highways", "answerer"),
    ]


def test_minutes_name_who_spoke_in_public_comment_and_on_what() -> None:
    from summarise.engines.extractive.outcomes import public_speakers

    pages = [
        _page(
            "b. Reappointment to the Arts Commission.\n\nPublic Comments:\n  Jane Doe – 3.a.\n"
            "  Sam O’Neil, Jr. - 3.b, 3.c\n\nCouncilor Reed moved to approve 3.a. Councilor Fox seconded.",
            4,
        ),
        _page("Public comment was invited on the plan; none were received.\nThe Chair – closed it.", 5),
    ]
    spoken = public_speakers(pages)
    assert len(spoken) == 1  # page 5 has no "Public Comments:" heading with its own lines
    assert spoken[0].text == "Public comments were made by Jane Doe on 3.a and Sam O’Neil, Jr. on 3.b, 3.c."
    assert spoken[0].pages == (4,)
    assert [(p.name, p.part) for p in spoken[0].people] == [
        ("Jane Doe", "speaker"),
        ("Sam O’Neil, Jr.", "speaker"),
    ]


MINUTES_PAGE = """MINUTES OF THE REGULAR MEETING OF THE CITY COUNCIL
1. Call to Order
The meeting was called to order at 5:00 P.M. by the Chair.
2. Arts Commission Reappointment
Reappointment of a member to the Arts Commission; the term expires in December 2026.
Public Comments:
  Jane Doe – 2.
Councilor Reed moved to approve the reappointment. Councilor Fox seconded the motion.
Yeas: 7 Nays: 0 Absent: 2 Abstentions: 0
Motion carried.
3. Adjournment
The meeting adjourned at 6:10 P.M."""


def test_the_model_engine_names_the_people_the_pages_record() -> None:
    """The model gives a presenter at most: movers, seconders and speakers come from the pages."""
    import summarise
    from summarise.ingest import resolve_spans
    from summarise.models import MeetingInfo
    from summarise.testing import FakeOpenAIServer

    pages = [Page(number=1, text=MINUTES_PAGE, source="minutes.pdf", source_page=1)]
    titles = ["Call to Order", "Arts Commission Reappointment", "Adjournment"]
    items = [AgendaItem(number=str(n), title=t, start_page=1, end_page=1) for n, t in enumerate(titles, 1)]
    meeting = Meeting(info=MeetingInfo(body="City Council"), pages=pages, items=resolve_spans(pages, items))
    with FakeOpenAIServer() as server:
        result = asyncio.run(
            summarise.asummarise_meeting(
                meeting, "llm", base_url=server.base_url, api_key="x", use_cache=False
            )
        )
    reappointment = result.items[1]
    assert reappointment.engine == "llm" and reappointment.kind == "minutes"
    assert {(p.name, p.part) for p in reappointment.people} >= {
        ("Councilor Reed", "proposer"),
        ("Councilor Fox", "seconder"),
        ("Jane Doe", "speaker"),
    }
