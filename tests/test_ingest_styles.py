"""Segmentation of packs laid out in other councils' styles (all content invented).

Every front sheet lists the same six items: three with papers (minutes, two
reports) and three without (apologies, declarations, urgent business). Each
style varies one or two things councils vary: how items are numbered, how page
references are written, how a report's first page starts, what the footers
say, whether the outline is missing or useless.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from pdfgen import Bookmark, report_pages, write_pdf

from summarise import Meeting, load_pack
from summarise.ingest.agenda.headings import find_headings, flatten
from summarise.ingest.agenda.signals import pack_numbered
from summarise.ingest.clean import CleanPage

# (number, title, pages of papers)
ITEMS = [
    ("1", "Apologies for Absence", 0),
    ("2", "Declarations of Interest", 0),
    ("3", "Minutes of the Previous Meeting", 2),
    ("4", "Library Service Review", 3),
    ("5", "Waste Collection Contract Award", 2),
    ("6", "Urgent Business", 0),
]
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
LETTERS = ["A", "B", "C", "D", "E", "F"]
HEAD = ["AGENDA", "", "ENVIRONMENT AND COMMUNITIES COMMITTEE", "", "Wednesday, 9 April 2025 at 6.30 pm", ""]

BODY = "The officer sets out the proposals, the options considered and their cost."  # names no item
Span = tuple[str, int | None, int | None]


@dataclass
class Style:
    """How one council lays out its pack."""

    item: Callable[[str, str], str] = lambda n, t: f"{n}. {t}"
    ref: Callable[[int, int], str] | None = lambda a, b: f"(Pages {a} - {b})"
    report_head: Callable[[str, str], list[str]] = lambda n, t: [t, ""]
    footer: Callable[[int, int], str] | None = lambda n, total: f"Page {n}"
    numbers: list[str] = field(default_factory=lambda: [n for n, _, _ in ITEMS])
    bookmarks: list[Bookmark] = field(default_factory=list)
    report_footer: Callable[[int], str] | None = None  # each report numbers its own pages
    first_printed: int = 1  # printed page number of the first report page (2: the front sheet is page 1)


def build(style: Style) -> list[list[str]]:
    """Front sheet (pack page 1), then the reports, printed page ``first_printed`` on (pack page 2 on)."""
    front = list(HEAD)
    reports: list[list[str]] = []
    for (_, title, n), number in zip(ITEMS, style.numbers, strict=True):
        line = style.item(number, title)
        if n and style.ref is not None:
            first = len(reports) + style.first_printed
            line = f"{line} {style.ref(first, first + n - 1)}"
        front.extend(line.split("\n"))
        if n:
            pages = report_pages(title, n, paragraph=BODY)
            pages[0] = [*style.report_head(number, title), *pages[0][2:]]
            if style.report_footer is not None:
                pages = [[*lines, "", style.report_footer(k)] for k, lines in enumerate(pages, start=1)]
            reports.extend(pages)
    if style.footer is not None:
        total = len(reports) + style.first_printed - 1
        reports = [
            [*lines, "", style.footer(k, total)] for k, lines in enumerate(reports, start=style.first_printed)
        ]
        if style.first_printed == 2:
            front = [*front, "", style.footer(1, total)]
    return [front, *reports]


def spans(meeting: Meeting) -> list[Span]:
    return [(i.number, i.start_page, i.end_page) for i in meeting.items]


def expected(numbers: list[str]) -> list[Span]:
    """Pack pages of the reports: minutes 2-3, library review 4-6, waste contract 7-8."""
    ranges = {"3": (2, 3), "4": (4, 6), "5": (7, 8)}
    return [(num, *ranges.get(n, (None, None))) for (n, _, _), num in zip(ITEMS, numbers, strict=True)]


def load(tmp_path: Path, style: Style) -> Meeting:
    pdf = write_pdf(tmp_path / "pack.pdf", build(style), style.bookmarks)
    return load_pack(pdf, cache_dir=tmp_path / "cache")


STYLES: dict[str, Style] = {
    "item-word": Style(item=lambda n, t: f"Item {n}  {t}"),
    "close-paren, Pages a-b": Style(item=lambda n, t: f"{n}) {t}", ref=lambda a, b: f"Pages {a}-{b}"),
    "parenthesised, pp. a-b": Style(item=lambda n, t: f"({n}) {t}", ref=lambda a, b: f"pp. {a}-{b}"),
    "agenda item no.": Style(item=lambda n, t: f"AGENDA ITEM NO. {n}  {t}", ref=None, footer=None),
    "described items": Style(
        item=lambda n, t: f"AGENDA ITEM NO. {n}  {t}\nTo consider the report of the Director of Place.",
        ref=None,
    ),
    "start page only, bare footers": Style(ref=lambda a, b: f"Page {a}", footer=lambda n, _: str(n)),
    "footers numbering the front sheet too": Style(first_printed=2),
    "same, bare footers, pp. refs": Style(
        first_printed=2, footer=lambda n, _: str(n), ref=lambda a, b: f"(pp. {a}-{b})"
    ),
    "dashed footers": Style(footer=lambda n, _: f"- {n} -"),
    "page n of m footers": Style(footer=lambda n, total: f"Page {n} of {total}"),
    "no refs, no footers": Style(ref=None, footer=None),
    "roman": Style(numbers=ROMAN, ref=None, footer=None),
    "letters": Style(numbers=LETTERS, ref=None, footer=None),
    "stamped 'Agenda Item N'": Style(
        ref=None, footer=None, report_head=lambda n, t: [f"Agenda Item {n}", t, ""]
    ),
    "'Item No: N' heads": Style(ref=None, footer=None, report_head=lambda n, t: [f"Item No: {n}", "", t, ""]),
    "'ITEM N' heads, titles differ": Style(
        ref=None, footer=None, report_head=lambda n, t: [f"ITEM {n}", "", "Report of the Head of Service", ""]
    ),
    "report to / subject": Style(
        ref=None,
        footer=None,
        report_head=lambda n, t: [
            "Report to: Environment and Communities Committee",
            "Date: 9 April 2025",
            f"Subject: {t}",
            "Report of: Director of Place",
            "",
        ],
    ),
    "number on its own line": Style(item=lambda n, t: f"{n}.\n{t}"),
    "'Item N:' on its own line": Style(item=lambda n, t: f"Item {n}:\n{t}", footer=lambda n, _: str(n)),
    "letters over numbered sub-items": Style(
        numbers=LETTERS,
        item=lambda n, t: f"{n}. {t}" + ("\n1. Staffing Changes\n2. Opening Hours" if n == "D" else ""),
        ref=None,
        footer=None,
    ),
    "number without a stop": Style(item=lambda n, t: f"{n}    {t}"),
    "footers count each report's pages": Style(footer=None, report_footer=lambda k: f"Page {k}"),
    "contents with dot leaders": Style(item=lambda n, t: f"{n}  {t}", ref=lambda a, b: f"{'.' * 20} {a}"),
    "title in capitals": Style(item=lambda n, t: f"{n}. {t.upper()}", ref=None, footer=None),
    "useless outline": Style(
        ref=None,
        footer=None,
        bookmarks=[(0, "agenda.pdf", 0), (1, "Microsoft Word - minutes.docx", 0), (3, "report.docx", 0)],
    ),
    "useless outline, footers": Style(
        bookmarks=[(0, "Microsoft Word - Agenda.docx", 0), (1, "Microsoft Word - report.docx", 0)]
    ),
}


@pytest.mark.parametrize("name", list(STYLES))
def test_front_sheet_styles(tmp_path: Path, name: str) -> None:
    style = STYLES[name]
    meeting = load(tmp_path, style)
    assert spans(meeting) == expected(style.numbers)
    titles = [i.title.casefold() for i in meeting.items]
    assert titles == [t.casefold() for _, t, _ in ITEMS]
    assert [i.has_papers for i in meeting.items] == [n > 0 for _, _, n in ITEMS]
    # footers and stamps are furniture, not text
    assert all(not p.text.rstrip().endswith(("Page 3", "- 3 -")) for p in meeting.pages)


REFERENCED = [name for name, style in STYLES.items() if style.ref is not None and style.footer is not None]


@pytest.mark.parametrize("name", REFERENCED)
def test_page_references_alone_place_the_reports(tmp_path: Path, name: str) -> None:
    """Reports that do not repeat their titles: only the front sheet's pages and the footers place them."""
    style = replace(STYLES[name], report_head=lambda n, t: ["Report of the Head of Service", ""])
    meeting = load(tmp_path, style)
    assert spans(meeting) == expected(style.numbers)


def test_sub_items_numbered_5_1_belong_to_their_item(tmp_path: Path) -> None:
    front = [
        *HEAD,
        "1. Apologies for Absence",
        "2. Minutes of the Previous Meeting (Pages 1 - 2)",
        "3. Reports for Decision",
        "3.1 Library Service Review (Pages 3 - 5)",
        "3.2 Waste Collection Contract Award (Pages 6 - 7)",
        "4. Urgent Business",
    ]
    reports = [
        *report_pages("Minutes of the Previous Meeting", 2),
        *report_pages("Library Service Review", 3),
        *report_pages("Waste Collection Contract Award", 2),
    ]
    footed = [[*lines, "", f"Page {k}"] for k, lines in enumerate(reports, start=1)]
    meeting = load_pack(write_pdf(tmp_path / "p.pdf", [front, *footed]), cache_dir=tmp_path / "c")
    got = {i.number: (i.start_page, i.end_page) for i in meeting.items}
    assert got["2"] == (2, 3) and got["3"] == (4, 8)
    assert next(i for i in meeting.items if i.number == "3").title == "Reports for Decision"
    assert not next(i for i in meeting.items if i.number == "1").has_papers


@pytest.mark.parametrize("ref", ["{n}/25", "25/{n}", "CAB/{n}/25"])
def test_minutes_numbered_by_minute_reference(tmp_path: Path, ref: str) -> None:
    """Minutes number their items on from earlier meetings ("45/25", "25/45"), never from 1."""
    pages = [
        [
            "MINUTES of the meeting of the Licensing Committee held on 3 March 2025",
            "",
            "PRESENT: Cllr A Smith",
        ],
        [
            ref.format(n=45) + " Apologies for Absence",
            "Apologies were received from Cllr B Jones.",
            "",
            ref.format(n=46) + " Minutes",
            "The minutes of the meeting held on 4 February 2025 were agreed.",
        ],
        [
            ref.format(n=47) + " Taxi Licensing Policy Review",
            "The committee considered the review.",
            "RESOLVED: that the",
            "policy be approved.",
        ],
        [
            ref.format(n=48) + " Street Trading Consents",
            "The committee noted the report.",
            "",
            ref.format(n=49) + " Date of Next Meeting",
            "The next meeting will be held on 7 April 2025.",
        ],
    ]
    meeting = load_pack(write_pdf(tmp_path / "m.pdf", pages), cache_dir=tmp_path / "c")
    assert [(i.number, i.title, i.start_page) for i in meeting.items] == [
        (ref.format(n=45), "Apologies for Absence", 2),
        (ref.format(n=46), "Minutes", 2),
        (ref.format(n=47), "Taxi Licensing Policy Review", 3),
        (ref.format(n=48), "Street Trading Consents", 4),
        (ref.format(n=49), "Date of Next Meeting", 4),
    ]


def test_minutes_with_min_prefix_starting_part_way(tmp_path: Path) -> None:
    text = "\n\n".join(
        [
            "Minutes of the Ordinary Council Meeting, 12 May 2025",
            "MIN 12. Opening and Welcome\nThe Mayor opened the meeting.",
            "MIN 13. Confirmation of Minutes\nMoved and seconded that the minutes be confirmed.",
            "MIN 14. Stormwater Upgrade Tender\nThe tender was awarded. " + "Discussion followed. " * 200,
            "MIN 15. Closure\nThe meeting closed at 8.10 pm.",
        ]
    )
    path = tmp_path / "minutes.txt"
    path.write_text(text)
    meeting = load_pack(path, cache_dir=tmp_path / "c")
    assert [(i.number, i.title) for i in meeting.items] == [
        ("12", "Opening and Welcome"),
        ("13", "Confirmation of Minutes"),
        ("14", "Stormwater Upgrade Tender"),
        ("15", "Closure"),
    ]


def test_markdown_transcript_headings(tmp_path: Path) -> None:
    md = tmp_path / "transcript.md"
    md.write_text(
        "# Transcript: Finance Committee\n\n## 1. Opening\n\nCHAIR: Good evening.\n\n"
        "## 2. Budget\n\n" + "COUNCILLOR: The budget is balanced. " * 120 + "\n\n"
        "## 3. Rates Review\n\nCHAIR: Next item.\n\n## 4. Close\n\nCHAIR: Thank you.\n"
    )
    meeting = load_pack(md, cache_dir=tmp_path / "c")
    assert [(i.number, i.title) for i in meeting.items] == [
        ("1", "Opening"),
        ("2", "Budget"),
        ("3", "Rates Review"),
        ("4", "Close"),
    ]
    assert meeting.items[-1].end_page == len(meeting.pages)


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize(
    "name",
    [
        "kent-cabinet-2025-01-30-reports-pack.pdf",
        "kent-cabinet-2025-01-30-item7-supplementary.pdf",
        "kent-council-2025-02-13-budget-amendments.pdf",
    ],
)
def test_real_pack_without_its_outline_lands_near_the_bookmarks(
    shared_data: Path, tmp_path: Path, name: str
) -> None:
    """Footers, stamps and titles alone put each item within two pages of its bookmark."""
    from pypdf import PdfReader, PdfWriter

    source = shared_data / "packs" / name
    writer = PdfWriter(clone_from=PdfReader(source))
    writer._root_object.pop("/Outlines", None)  # strip the bookmarks
    stripped = tmp_path / name
    with stripped.open("wb") as fh:
        writer.write(fh)
    truth = load_pack(source, cache_dir=tmp_path / "c1")
    meeting = load_pack(stripped, cache_dir=tmp_path / "c2")
    assert [i.number for i in meeting.items] == [i.number for i in truth.items]
    for got, want in zip(meeting.items, truth.items, strict=True):
        if want.start_page is None:
            assert got.start_page is None, got.number
            continue
        assert got.start_page is not None and abs(got.start_page - want.start_page) <= 2, got.number
        assert got.end_page is not None and want.end_page is not None
        assert abs(got.end_page - want.end_page) <= 2, got.number


def test_footers_that_restart_per_report_do_not_number_the_pack() -> None:
    def pages(footers: list[int | None]) -> list[CleanPage]:
        return [CleanPage(text="text", footer=f) for f in footers]

    assert pack_numbered(pages([None, 1, 2, None, 4, 5]))
    assert not pack_numbered(pages([1, 2, 1, 2, 3, 1, 2]))
    assert not pack_numbered(pages([None, None]))


def test_front_sheet_plus_report_files_numbered_in_their_names(tmp_path: Path) -> None:
    front = write_pdf(tmp_path / "agenda.pdf", [build(Style(ref=None, footer=None))[0]])
    files = [
        write_pdf(tmp_path / name, report_pages("Report of the Head of Service", n, paragraph=BODY))
        for name, n in [("Item 3 - draft.pdf", 2), ("agenda_item_04.pdf", 3), ("05 report.pdf", 2)]
    ]
    meeting = load_pack([front, *files], cache_dir=tmp_path / "c")
    assert spans(meeting) == expected([n for n, _, _ in ITEMS])
    assert [i.title for i in meeting.items] == [t for _, t, _ in ITEMS]


def test_long_agenda_listing_runs_past_four_pages(tmp_path: Path) -> None:
    """A US-style agenda: every item described at length, the list running over six pages."""
    places = (
        "Ash Birch Cedar Elm Fir Hazel Holly Juniper Larch Maple Oak Pine Rowan Spruce Willow Yew Alder Beech"
    )
    titles = [f"{place} Street Resurfacing" for place in places.split()]
    front: list[list[str]] = []
    for page in range(6):
        lines = [*HEAD] if page == 0 else []
        for k in range(page * 3, page * 3 + 3):
            lines += [f"{k + 1}. {titles[k]}", "Staff recommend approval of the resolution as presented.", ""]
        front.append(lines)
    reports = [
        *report_pages(titles[15], 2, paragraph=BODY),
        *report_pages(titles[17], 3, paragraph=BODY),
    ]
    meeting = load_pack(write_pdf(tmp_path / "p.pdf", [*front, *reports]), cache_dir=tmp_path / "c")
    assert [i.number for i in meeting.items] == [str(k) for k in range(1, 19)]
    got = {i.number: (i.start_page, i.end_page) for i in meeting.items if i.has_papers}
    assert got == {"16": (7, 8), "18": (9, 11)}


def test_contents_style_sections_with_decimal_items(tmp_path: Path) -> None:
    """Australian/NZ contents pages: bare section numbers, decimal items with dot-leader pages."""
    front = [
        "ORDINARY COUNCIL MEETING",
        "ORDER OF BUSINESS",
        "1   Apologies",
        "2   Declarations of Interest",
        "3   Confirmation of Minutes",
        "     3.1   Minutes of the Previous Meeting ............................ 1",
        "4   Reports",
        "     4.1   Library Service Review ............................ 3",
        "     4.2   Waste Collection Contract Award ............................ 6",
        "5   Urgent Business",
    ]
    reports = [
        *report_pages("3.1 Minutes of the Previous Meeting", 2, paragraph=BODY),
        *report_pages("4.1 Library Service Review", 3, paragraph=BODY),
        *report_pages("4.2 Waste Collection Contract Award", 2, paragraph=BODY),
    ]
    footed = [[*lines, "", f"Page {k}"] for k, lines in enumerate(reports, start=1)]
    meeting = load_pack(write_pdf(tmp_path / "p.pdf", [front, *footed]), cache_dir=tmp_path / "c")
    assert spans(meeting) == [
        ("1", None, None),
        ("2", None, None),
        ("3", 2, 3),
        ("4", 4, 8),
        ("5", None, None),
    ]
    assert [i.title for i in meeting.items][2:4] == ["Confirmation of Minutes", "Reports"]


def test_item_numbers_in_sentences_are_not_headings() -> None:
    lines = [
        "1. Apologies",
        "None.",
        "2. Minutes",
        "Agreed.",
        "Item 3 was deferred to May.",
        "3. Budget",
        "Noted.",
    ]
    text = "\n".join(lines)
    heads = find_headings(flatten([(1, text)]))
    assert [(h.number, h.title) for h in heads] == [("1", "Apologies"), ("2", "Minutes"), ("3", "Budget")]
