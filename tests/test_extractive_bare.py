"""Items whose papers have no prose: lists, table rows, resolution titles, front-sheet notes,
previous minutes, and the agenda notice's own lines (synthetic text only)."""

from __future__ import annotations

from summarise.engines.extractive import summarise_meeting
from summarise.engines.extractive.bare import (
    action_titles,
    front_note,
    listed_entries,
    minutes_topics,
    notice_line,
    signed_statement,
    table_rows,
)
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page, TextSpan


def test_an_item_whose_content_is_a_list_is_summarised_by_it() -> None:
    text = "7. Director's Report –\n(1) Annual Water Quality Review\n(2) Riverside Clinic Opening Event\n"
    assert listed_entries(text) == ["Annual Water Quality Review.", "Riverside Clinic Opening Event."]
    assert listed_entries("7. Director's Report\nThe director will speak.") == []


def test_numbered_table_rows_keep_what_and_amount_and_drop_other_columns() -> None:
    text = (
        "Tab Project Name Location Amount New Jobs Staff\n"
        "1 Harbour Arts Trust Millbrook (North County) $4,500,000   -   12 AB\n"
        "2 Green Energy Lending Statewide $75,000,000  -  - CD\n"
        "$79,500,000   -   12\n"
        "3 AB\n"
    )
    assert table_rows(text) == [
        "Harbour Arts Trust Millbrook (North County): $4,500,000.",
        "Green Energy Lending Statewide: $75,000,000.",
    ]


def test_resolution_titles_are_joined_over_lines_and_shortened() -> None:
    text = (
        "NEW BUSINESS\n"
        "Resolution Authorizing the Amendment of the Loan Agreement Relating to the Authority\n"
        "Revenue Bonds, Series 2015 (Lakeside Hospital), and Approving Related Matters\n"
        "Action\n"
        "Resolution of Intent Requesting an Allocation of Volume Cap in the Amount of $50,000,000\n"
    )
    titles = action_titles(text)
    assert titles[0].startswith("Resolution Authorizing the Amendment") and "Lakeside Hospital" in titles[0]
    assert (
        titles[1]
        == "Resolution of Intent Requesting an Allocation of Volume Cap in the Amount of $50,000,000."
    )
    assert action_titles("The resolution was noted by members.") == []


def _meeting(front: str, *more: str, items: list[AgendaItem] | None = None) -> Meeting:
    pages = [
        Page(number=i + 1, text=t, source="p.pdf", source_page=i + 1) for i, t in enumerate((front, *more))
    ]
    return Meeting(info=MeetingInfo(body="Cabinet"), pages=pages, items=items or [])


FRONT = (
    "AGENDA\nCABINET\nNote – Meeting called to allow for consideration, if required, of\n"
    "Decision 25/00421 – Libraries Opening Hours.\n\n1. Apologies\n"
    "2. Consideration of Decision 25/00421 (if required)\n"
)


def test_a_front_sheet_note_is_the_content_of_the_item_whose_reference_it_names() -> None:
    meeting = _meeting(FRONT)
    assert front_note(meeting, "Consideration of Decision 25/00421 (if required)") == (
        "Meeting called to allow for consideration, if required, of "
        "Decision 25/00421 – Libraries Opening Hours."
    )
    assert front_note(meeting, "Consideration of Decision 25/00999") is None  # another reference
    assert front_note(meeting, "Apologies") is None  # no reference at all


def test_the_engine_uses_the_note_only_for_an_item_with_nothing_else() -> None:
    one, two = FRONT.index("1. Apologies"), FRONT.index("2. Consideration")
    items = [
        AgendaItem(
            number="1",
            title="Apologies",
            start_page=1,
            end_page=1,
            spans=[TextSpan(page=1, start=one, end=two)],
        ),
        AgendaItem(
            number="2",
            title="Consideration of Decision 25/00421 (if required)",
            start_page=1,
            end_page=1,
            spans=[TextSpan(page=1, start=two, end=len(FRONT))],
        ),
    ]
    meeting = _meeting(FRONT, items=items)
    summary = summarise_meeting(meeting)
    second = summary.items[1]
    assert second.note and "front sheet notes: Meeting called" in second.note
    assert "Libraries Opening Hours" in second.note and not second.key_points + second.paragraphs
    assert "Libraries" not in (summary.items[0].note or "")


def test_previous_minutes_are_described_by_their_headings_not_their_decisions() -> None:
    text = (
        "MINUTES of a meeting of the Cabinet\n\n12. Apologies\n(Item 1)\n\nNone.\n\n"
        "13. Bus Lane Review\n(Item 5)\n\nRESOLVED that the review be agreed.\n\n"
        "14. Parks Strategy 2025-30\n(Item 6)\n\nRESOLVED that the strategy be noted.\n"
    )
    topics = minutes_topics(text)
    assert topics == "they record items on Bus Lane Review and Parks Strategy 2025-30"
    assert "RESOLVED" not in topics and minutes_topics("No headings here.") is None


def test_the_notice_line_prefers_remote_attendance_then_a_contact_number() -> None:
    front = (
        "Persons needing accommodation should write to the clerk. Because of the storm damage, the public "
        "may attend the meeting via audio conference as set out below. For questions call 555-123-4567."
    )
    assert notice_line(front) == (
        "The notice says: Because of the storm damage, the public may attend the meeting via audio "
        "conference as set out below."
    )
    assert notice_line("If you have questions please contact 555-123-4567.") == (
        "The notice says: If you have questions please contact 555-123-4567."
    )
    assert notice_line("The meeting is held in the town hall.") is None


def test_a_signed_statement_attached_to_no_item_is_named_with_its_signatory() -> None:
    page = (
        "DETERMINATION BY THE CHAIR\nI, Ana Ruiz, as the Chair of the Water Board (the “Board”), hereby make "
        "the following determination and declarations:\nTHAT the meeting be held by telephone."
    )
    assert signed_statement([page]) == (
        "The papers attach a determination and declarations by Ana Ruiz (Chair of the Water Board)."
    )
    assert signed_statement(["The chair signed the minutes."]) is None
