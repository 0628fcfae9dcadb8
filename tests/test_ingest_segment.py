"""Segmentation on generated packs: each signal on its own, then the weaker ones as fallbacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pdfgen import FRONT_SHEET, Bookmark, report_pages, write_pdf

from summarise import Meeting, load_pack
from summarise.models.meeting import AgendaItem

HEADER = "Planning Committee - 4 March 2025"
BLANK = ["This page is intentionally left blank"]
COVER = ["Democratic Services", "Dear Member", "Please find enclosed the papers for the meeting.", "Yours"]


def spans(meeting: Meeting) -> list[tuple[str, int | None, int | None]]:
    return [(i.number, i.start_page, i.end_page) for i in meeting.items]


def item(meeting: Meeting, number: str) -> AgendaItem:
    return next(i for i in meeting.items if i.number == number)


def load(
    tmp_path: Path, pages: Sequence[Sequence[str] | None], bookmarks: Sequence[Bookmark] = ()
) -> Meeting:
    pdf = write_pdf(tmp_path / "pack.pdf", pages, bookmarks)
    return load_pack(pdf, cache_dir=tmp_path / "cache")


def test_outline_alone_gives_items_ranges_and_appendices(tmp_path: Path) -> None:
    pages = [
        COVER,
        BLANK,
        *report_pages("Minutes of the Previous Meeting", 2, header=HEADER),
        BLANK,
        *report_pages("Parks Strategy", 1, header=HEADER),
        *report_pages("Appendix A - Site list", 2, header=HEADER),
    ]
    marks = [(0, "Agenda", 0), (2, "3 Minutes of the Previous Meeting", 0), (5, "5 Parks Strategy", 0)]
    meeting = load(tmp_path, pages, [*marks, (6, "Appendix A - Site list", 1)])
    # covering letter (1) and blank page (2) in no item; the blank page 5 trimmed off item 3
    assert spans(meeting) == [("3", 3, 4), ("5", 6, 8)]
    docs = [(d.title, d.start_page, d.end_page) for d in item(meeting, "5").documents]
    assert docs == [("Parks Strategy", 6, 6), ("Appendix A - Site list", 7, 8)]
    assert item(meeting, "3").title == "Minutes of the Previous Meeting"
    assert all(HEADER not in p.text for p in meeting.pages)  # running header cleaned
    assert all(i.tokens > 0 for i in meeting.items)


def test_front_sheet_adds_items_without_papers_and_meeting_details(tmp_path: Path) -> None:
    pages = [
        FRONT_SHEET,
        *report_pages("Minutes of the Previous Meeting", 2),
        *report_pages("Housing Delivery Report", 4),
        *report_pages("Parks and Open Spaces Strategy", 2),
    ]
    marks = [(0, "Agenda", 0), (1, "3 Minutes", 0), (3, "4 Housing Delivery Report", 0), (7, "5 Parks", 0)]
    meeting = load(tmp_path, pages, marks)
    assert spans(meeting) == [("1", None, None), ("2", None, None), ("3", 2, 3), ("4", 4, 7), ("5", 8, 9)]
    assert item(meeting, "1").title == "Apologies for Absence"
    assert not item(meeting, "2").has_papers and item(meeting, "2").tokens == 0
    info = meeting.info
    assert (info.body, info.date, info.time) == ("Planning Committee", dt.date(2025, 3, 4), "7.00 pm")
    assert info.venue == "Council Chamber, Civic Offices, High Street, Exampleton"


def test_front_sheet_page_references_map_through_page_footers(tmp_path: Path) -> None:
    reports = [
        *report_pages("Minutes of the Previous Meeting", 2),
        *report_pages("Housing Delivery Report", 3),
        BLANK,  # blank pages have no footer in real packs, but still count
        *report_pages("Parks and Open Spaces Strategy", 2),
    ]
    footed = [[*lines, f"Page {n}"] if lines != BLANK else lines for n, lines in enumerate(reports, start=1)]
    meeting = load(tmp_path, [FRONT_SHEET, BLANK, *footed])
    # pack numbering "Page 1" is pack page 3
    assert spans(meeting) == [("1", None, None), ("2", None, None), ("3", 3, 4), ("4", 5, 7), ("5", 9, 10)]
    assert item(meeting, "4").title == "Housing Delivery Report"
    assert all("Page " not in p.text for p in meeting.pages[2:])
    assert [p.number for p in meeting.pages] == list(range(1, 11))  # original pack numbering kept


def test_agenda_item_stamps_alone(tmp_path: Path) -> None:
    def stamped(n: int, title: str, count: int) -> list[list[str]]:
        pages = report_pages(title, count)
        pages[0] = [f"Agenda Item {n}", *pages[0]]
        return pages

    pages = [COVER, BLANK, *stamped(6, "Budget Amendment One", 2), BLANK, *stamped(7, "Fees and Charges", 1)]
    meeting = load(tmp_path, pages)
    assert spans(meeting) == [("6", 3, 4), ("7", 6, 6)]
    assert [i.title for i in meeting.items] == ["Budget Amendment One", "Fees and Charges"]
    assert all("Agenda Item" not in p.text for p in meeting.pages)


AGENDA = [
    "CITY BOARD OF HEALTH",
    "AGENDA - May 2, 2024",
    "",
    "1. Call to Order.",
    "",
    "2. Approval of the Minutes of April 4, 2024.",
    "",
    "3. Approval of Resolutions:",
    "",
    "a. RESOLUTION 24-1 Accept the state grant for clinics.",
    "Amount not to exceed $14,000.00.",
    "",
    "b. RESOLUTION 24-2 Renew the lease at 20 Main Street.",
]
AGENDA_2 = [
    "c. RESOLUTION 24-3 Contract for school nursing services.",
    "",
    "4. Adjournment.",
]


def test_numbered_headings_with_lettered_sub_items(tmp_path: Path) -> None:
    meeting = load(tmp_path, [AGENDA, AGENDA_2])
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Call to Order"),
        ("2", "Approval of the Minutes of April 4, 2024"),
        ("3", "Approval of Resolutions"),
        ("4", "Adjournment"),
    ]
    subs = item(meeting, "3").sub_items
    assert [(s.number, s.start_page) for s in subs] == [("a", 1), ("b", 1), ("c", 2)]
    assert (
        subs[0].title == "RESOLUTION 24-1 Accept the state grant for clinics. Amount not to exceed $14,000.00"
    )
    assert item(meeting, "3").page_range == range(1, 3)
    assert meeting.info.date == dt.date(2024, 5, 2)


def test_outline_that_is_not_an_agenda_is_ignored(tmp_path: Path) -> None:
    marks = [(0, "Approval of Resolutions", 0), (0, "Year 1 $32,300.00", 0), (0, "3. Approval", 0)]
    marks += [(1, "Amount to be paid", 0), (1, "Tab 2 Staff", 0)]
    meeting = load(tmp_path, [AGENDA, AGENDA_2], marks)
    assert [i.number for i in meeting.items] == ["1", "2", "3", "4"]


def test_roman_numbered_agenda(tmp_path: Path) -> None:
    lines = ["SPECIAL MEETING OF THE FINANCE COMMITTEE", "AGENDA:", "I. Call to Order", "II. Minutes"]
    meeting = load(tmp_path, [[*lines, "III. New Business", "IV. Adjournment"], ["Attachment: project list"]])
    assert [i.number for i in meeting.items] == ["I", "II", "III", "IV"]
    # attachments after the agenda are not the adjournment's text, and no item points at them
    assert item(meeting, "IV").end_page == 1
    assert item(meeting, "III").end_page == 1


def test_attachments_go_to_the_item_that_points_at_them(tmp_path: Path) -> None:
    lines = ["SPECIAL MEETING OF THE FINANCE COMMITTEE", "AGENDA:", "I. Call to Order", "II. Minutes"]
    agenda = [*lines, "III. New Business Items (see attached)", "IV. Other Business", "V. Adjournment"]
    attachment = ["NEW BUSINESS", "Resolution authorising a loan agreement for the hospital."]
    declaration = ["DECLARATION BY THE CHAIR", "The chair declares the meeting may be held remotely."]
    meeting = load(tmp_path, [agenda, attachment, ["Continued from the project list."], declaration])
    assert [(i.number, i.start_page, i.end_page) for i in meeting.items][2:] == [
        ("III", 1, 3),
        ("IV", 1, 1),
        ("V", 1, 1),
    ]
    text = meeting.item_text(item(meeting, "III"))
    assert "loan agreement" in text and "Other Business" not in text and "remotely" not in text
    assert "remotely" not in meeting.item_text(item(meeting, "V"))


def test_no_signal_at_all_gives_one_item_for_the_whole_document(tmp_path: Path) -> None:
    meeting = load(
        tmp_path, [BLANK, ["Annual Report of the Auditor", "The accounts are sound."], ["More text."]]
    )
    assert spans(meeting) == [("1", 2, 3)]
    assert meeting.items[0].title == "Annual Report of the Auditor"
    assert any("whole document is one item" in w for w in meeting.warnings)


def test_markdown_minutes_are_segmented_by_their_headings(tmp_path: Path) -> None:
    md = tmp_path / "minutes.md"
    md.write_text(
        "# Minutes\n\n## 1. Apologies\n\nNone.\n\n## 2. Budget\n\nAgreed.\f"
        "## 3. Any Other Business\n\nNone.\n",
        encoding="utf-8",
    )
    meeting = load_pack(md, cache_dir=tmp_path / "c")
    assert spans(meeting) == [("1", 1, 1), ("2", 1, 1), ("3", 2, 2)]


def test_front_sheet_references_without_footers_count_from_the_front_sheet(tmp_path: Path) -> None:
    reports = [
        *report_pages("Minutes of the Previous Meeting", 2),
        *report_pages("Housing Delivery Report", 4),
        *report_pages("Parks and Open Spaces Strategy", 2),
    ]
    meeting = load(tmp_path, [FRONT_SHEET, *reports])  # refs end at 8 = pack page 9, the last page
    assert spans(meeting) == [("1", None, None), ("2", None, None), ("3", 2, 3), ("4", 4, 7), ("5", 8, 9)]


def test_references_that_do_not_fit_the_pack_fall_back_to_finding_titles(tmp_path: Path) -> None:
    housing = report_pages("Housing Delivery Report", 2)
    housing[1] = ["Parks and open spaces near the new homes are protected.", *housing[1]]  # a mention
    reports = [*report_pages("Minutes of the Previous Meeting", 2), *housing]
    reports += report_pages("Parks and Open Spaces Strategy", 1)  # the real report: the best match
    meeting = load(tmp_path, [FRONT_SHEET, *reports])  # a shortened pack: refs run past its end
    assert spans(meeting) == [("1", None, None), ("2", None, None), ("3", 2, 3), ("4", 4, 5), ("5", 6, 6)]


def test_listed_items_whose_papers_are_missing_have_no_pages(tmp_path: Path) -> None:
    reports = [
        COVER,
        *report_pages("Minutes of the Previous Meeting", 2),
        *report_pages("Housing Delivery", 2),
    ]
    meeting = load(tmp_path, [FRONT_SHEET, *reports])
    assert spans(meeting) == [
        ("1", None, None),
        ("2", None, None),
        ("3", 3, 4),
        ("4", 5, 6),
        ("5", None, None),
    ]


def test_front_sheet_file_plus_separate_report_files(tmp_path: Path) -> None:
    front = write_pdf(tmp_path / "agenda.pdf", [FRONT_SHEET])
    minutes = write_pdf(
        tmp_path / "Minutes 4 February.pdf", report_pages("Minutes of the Previous Meeting", 2)
    )
    housing = write_pdf(tmp_path / "housing-delivery.pdf", report_pages("Housing Delivery Report", 3))
    annex = write_pdf(tmp_path / "annex-site-list.pdf", report_pages("Annex: list of sites", 1))
    stamped = report_pages("Green spaces review", 2)
    stamped[0] = ["Agenda Item 5", *stamped[0]]
    parks = write_pdf(tmp_path / "report-3.pdf", stamped)
    meeting = load_pack([front, minutes, housing, annex, parks], cache_dir=tmp_path / "c")
    assert spans(meeting) == [("1", None, None), ("2", None, None), ("3", 2, 3), ("4", 4, 7), ("5", 8, 9)]
    docs = [(d.title, d.start_page, d.end_page) for d in item(meeting, "4").documents]
    assert docs == [("housing-delivery", 4, 6), ("annex-site-list", 7, 7)]
    assert item(meeting, "5").title == "Parks and Open Spaces Strategy"


def test_a_pack_and_its_supplement_each_keep_their_bookmarked_items(tmp_path: Path) -> None:
    pack = write_pdf(
        tmp_path / "pack.pdf",
        [FRONT_SHEET, *report_pages("Minutes", 2), *report_pages("Housing Delivery Report", 2)],
        [(0, "Agenda", 0), (1, "3 Minutes", 0), (3, "4 Housing Delivery Report", 0)],
    )
    supplement = write_pdf(
        tmp_path / "supplement.pdf",
        [COVER, *report_pages("Housing Delivery Report - update", 1), *report_pages("Appendix B", 1)],
        [
            (0, "Agenda", 0),
            (1, "4 Housing Delivery Report", 0),
            (2, "Item 4 - Supplementary - Appendix B", 1),
        ],
    )
    meeting = load_pack([pack, supplement], cache_dir=tmp_path / "c")
    papers = [(i.number, i.start_page, i.end_page) for i in meeting.items if i.has_papers]
    # the supplement restarts at item 4: judged on its own, its cover page in no item
    assert papers == [("3", 2, 3), ("4", 4, 5), ("4", 7, 8)]
    assert [d.title for d in meeting.items[-2].documents][-1] == "Item 4 - Supplementary - Appendix B"


def test_item_headings_spelt_out_in_minutes(tmp_path: Path) -> None:
    minutes = tmp_path / "minutes.txt"
    minutes.write_text(
        "Minutes of the Licensing Panel\n\nItem 1 - Apologies\nNone received.\nItem 1 was taken first.\n\n"
        "Item 2: Premises licence, 4 High Street\nThe panel granted the licence.\n\n"
        "Item 3 – Any other business\nNone.\n",
        encoding="utf-8",
    )
    meeting = load_pack(minutes, cache_dir=tmp_path / "c")
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Apologies"),
        ("2", "Premises licence, 4 High Street"),
        ("3", "Any other business"),
    ]
