"""The offline engine: sentences, ranking, key points, presenter, synopsis, determinism."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from meetings import shared_page_agenda

from summarise.engines.extractive import summarise_meeting
from summarise.engines.extractive.engine import ENGINE
from summarise.engines.extractive.presenter import find_presenter
from summarise.engines.extractive.rank import key_sentences
from summarise.models.meeting import AgendaItem, Document, Meeting, MeetingInfo, Page
from summarise.models.summary import MeetingSummary
from summarise.text.sentences import split_sentences

# --------------------------------------------------------------------------- a small pack, built by hand

PAGES = [
    # 1: front sheet
    """AGENDA
CABINET
Thursday, 6th March, 2025, at 10.00 am
1. Apologies
2. Declarations of Interest
3. Highways Maintenance Programme (Pages 2 - 4)
4. Community Safety (Pages 5 - 7)""",
    # 2: item 3 covering report
    """From: Jane Smith, Cabinet Member for Highways and Transport
Tom Brown, Corporate Director Growth
To: Cabinet, 6 March 2025
Subject: Highways Maintenance Programme
Summary:
This report sets out the proposed Highways Maintenance Programme for 2025-26. The
programme is funded through the MTFP and government grant. MTFP stands for Medium Term Financial Plan.
Recommendation(s):
Cabinet is asked to:
a) APPROVE the Highways Maintenance Programme for 2025-26;
b) DELEGATE authority to the Corporate Director Growth to award the contracts.
1. Introduction
1.1 The county road network is the largest asset the council owns and its condition
affects every resident. The programme prioritises roads in the worst condition and
those with the highest traffic flows.
1.2 Road condition has declined over the last five years. Around 18% of A roads now
need structural maintenance, compared with 12% in 2020.""",
    # 3: item 3 continued; a sentence runs over from page 2? no: over to page 4
    """2. Funding
2.1 The programme costs £24.5m in 2025-26, of which £18.2m comes from the Department for
Transport (DfT) and £6.3m from council borrowing under the MTFP. The council will
resurface 145 roads and repair an estimated 30,000 potholes during the year. The
contracts are let through the existing framework, e.g. the Highways Term Maintenance
Contract, and No. 5 on the approved list covers surface dressing.
Table 1: Spend by district
Ashford 2.1 2.3 2.4
Dover 1.9 2.0 2.2
2.2 Members should note that costs have risen by 7.5% since the last programme because
of higher prices for bitumen and aggregates. The programme will be reviewed by the
Environment and Transport Cabinet Committee in September, and any changes to the
priorities will be""",
    # 4
    """reported to Cabinet. Residents will be able to see planned works on the
council website and report defects online.
• Resurfacing of 145 roads across the county.
• Drainage improvements at 40 flood hotspots.""",
    # 5: item 4
    """Report from: Sam Patel (Community Safety Partnership Lead)
Community Safety Update
The Public Spaces Protection Order (PSPO) for the town centre expires in June. The
Community Safety Partnership (CSP) proposes to renew it for three years, after a
public consultation that received 412 responses. Most respondents supported the
renewal, and 68% said anti-social behaviour had fallen since the order began.""",
    # 6
    """The partnership recorded 1,250 incidents of anti-social behaviour in 2024, down
from 1,410 in 2023. Youth outreach work has expanded to two more districts and the
partnership will run a trial of a new reporting app in the spring. The CSP also
plans to train 60 officers in the use of the PSPO powers over the coming year.""",
    # 7: sub-item 4a
    """4a. Night-time economy
The night-time economy scheme placed marshals in three town centres on Friday and
Saturday nights. Reports of violent crime in those areas fell by 15% during the trial,
and the partnership proposes to extend the scheme to a fourth town in 2025-26.""",
]


def make_meeting() -> Meeting:
    pages = [Page(number=i + 1, text=t, source="pack.pdf", source_page=i + 1) for i, t in enumerate(PAGES)]
    items = [
        AgendaItem(number="1", title="Apologies"),
        AgendaItem(number="2", title="Declarations of Interest"),
        AgendaItem(
            number="3",
            title="25/00012 - Highways Maintenance Programme",
            start_page=2,
            end_page=4,
            documents=[Document(title="Highways Maintenance Programme report", start_page=2, end_page=4)],
        ),
        AgendaItem(
            number="4",
            title="Community Safety",
            start_page=5,
            end_page=7,
            sub_items=[AgendaItem(number="a", title="Night-time economy", start_page=7, end_page=7)],
        ),
    ]
    info = MeetingInfo(
        body="Cabinet",
        date=dt.date(2025, 3, 6),
        time="10.00 am",
        venue="Council Chamber",
        sources=["pack.pdf"],
    )
    return Meeting(info=info, pages=pages, items=items)


def _without_time(summary: MeetingSummary) -> str:
    data = json.loads(summary.to_json())
    data["provenance"]["created_at"] = "X"
    return json.dumps(data, sort_keys=True)


@pytest.fixture(scope="module")
def summary() -> MeetingSummary:
    return summarise_meeting(make_meeting())


# --------------------------------------------------------------------------- sentences


def test_split_sentences_keeps_abbreviations_decimals_and_money_together() -> None:
    text = (
        "Cllr. Smith said the cost was £1.2m. The No. 5 route runs e.g. on Mondays. Growth was 3.5% in 2024."
    )
    assert split_sentences(text) == [
        "Cllr. Smith said the cost was £1.2m.",
        "The No. 5 route runs e.g. on Mondays.",
        "Growth was 3.5% in 2024.",
    ]


def test_split_sentences_undoes_pdf_line_breaks_and_separates_list_entries() -> None:
    text = (
        "The council will:\n• build 12 homes\n• spend £3.4m on roads\n1.1 The report sets out\n"
        "the plan for Mr. J. Bloggs. Next year the high-\nneeds block rises."
    )
    assert split_sentences(text) == [
        "The council will:",
        "build 12 homes",
        "spend £3.4m on roads",
        "The report sets out the plan for Mr. J. Bloggs.",
        "Next year the high-needs block rises.",
    ]


def test_split_sentences_does_not_split_a_mid_sentence_number_at_a_line_start() -> None:
    first = "Returns came from all of the district councils across the whole county area, and from"
    text = f"{first}\n12 districts in total."
    assert split_sentences(text) == [f"{first} 12 districts in total."]


def test_key_sentences_returns_central_prose_in_source_order() -> None:
    text = "\n".join(PAGES[1:4])
    picked = key_sentences(text, 3)
    assert 1 <= len(picked) <= 3
    all_sentences = split_sentences(text)
    positions = [all_sentences.index(s) for s in picked]
    assert positions == sorted(positions)
    assert not any(s.startswith("Ashford") for s in picked)  # table rows are not prose
    assert key_sentences(text, 0) == []


# --------------------------------------------------------------------------- the engine


def test_summary_has_every_item_and_provenance(summary: MeetingSummary) -> None:
    assert [i.number for i in summary.items] == ["1", "2", "3", "4"]
    assert summary.provenance.engine == ENGINE == "extractive"
    assert summary.provenance.model is None
    assert summary.provenance.created_at.tzinfo is not None
    assert summary.items[2].title == "25/00012 - Highways Maintenance Programme"  # as the agenda prints it


def test_items_without_papers_get_a_note_and_no_content(summary: MeetingSummary) -> None:
    for item in summary.items[:2]:
        assert not item.has_papers
        assert item.note and len(item.note.splitlines()) == 1
        assert item.paragraphs == [] and item.key_points == [] and item.presenter is None
        assert item.start_page is None


def test_every_cited_page_lies_inside_its_item(summary: MeetingSummary) -> None:
    cited = 0
    for item in summary.items:
        for piece in [*item.paragraphs, *item.key_points]:
            assert piece.pages, piece.text
            assert item.start_page is not None and item.end_page is not None
            assert all(item.start_page <= p <= item.end_page for p in piece.pages)
            cited += 1
    assert cited >= 6


def _flat(text: str) -> str:
    return " ".join(re.sub(r"\[\^\d+\]", "", text).replace("-\n", "-").split())


def test_summary_text_comes_from_its_own_item_and_cited_pages(summary: MeetingSummary) -> None:
    meeting = make_meeting()
    for item in summary.items:
        if not item.has_papers:
            continue
        for paragraph in item.paragraphs:
            pages_text = _flat(" ".join(meeting.page(p).text for p in paragraph.pages))
            for sentence in split_sentences(_flat(paragraph.text)):
                assert sentence in pages_text, sentence


def test_sentence_running_over_a_page_break_cites_both_pages(summary: MeetingSummary) -> None:
    item = summary.items[2]
    texts = [(p.text, p.pages) for p in [*item.paragraphs, *item.key_points]]
    running = [pages for text, pages in texts if "reported to Cabinet" in text]
    if running:  # the sentence was kept: it must cite pages 3 and 4
        assert 3 in running[0] and 4 in running[0]
    joined = " ".join(split_sentences("\n".join(PAGES[2:4])))
    assert "any changes to the priorities will be reported to Cabinet." in joined


def test_recommendations_and_figures_are_key_points(summary: MeetingSummary) -> None:
    points = summary.items[2].key_points
    recs = [p.text for p in points if p.kind == "recommendation"]
    assert recs[:2] == [
        "Cabinet is asked to approve the Highways Maintenance Programme for 2025-26.",
        "Cabinet is asked to delegate authority to the Corporate Director Growth to award the contracts.",
    ]
    figures = [p.text for p in points if p.kind == "figure"]
    assert figures and all(re.search(r"£|%|\d", f) for f in figures)
    assert all(p.pages and p.pages[0] >= 2 for p in points)


def test_presenter_name_and_role(summary: MeetingSummary) -> None:
    presenter = summary.items[2].presenter
    assert presenter is not None
    assert (presenter.name, presenter.role) == ("Jane Smith", "Cabinet Member for Highways and Transport")
    other = summary.items[3].presenter
    assert other is not None
    assert (other.name, other.role) == ("Sam Patel", "Community Safety Partnership Lead")


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        (
            "From: Deputy Leader and Cabinet Member for Finance, Corporate and\n"
            "Traded Services, Peter Oakford\nTo: Cabinet",
            "Peter Oakford",
            "Deputy Leader and Cabinet Member for Finance, Corporate and Traded Services",
        ),
        ("From: Roger Gough, Leader\n  Peter Oakford, Deputy Leader\nTo: Cabinet", "Roger Gough", "Leader"),
        ("By: Mr Ben Jones, Head of Waste\n", "Mr Ben Jones", "Head of Waste"),
        ("Report Author\nDave Shipton (Head of Finance Policy)\n", "Dave Shipton", "Head of Finance Policy"),
    ],
)
def test_find_presenter_layouts(text: str, name: str, role: str) -> None:
    presenter = find_presenter([Page(number=1, text=text, source="x", source_page=1)])
    assert presenter is not None
    assert (presenter.name, presenter.role) == (name, role)


def test_no_presenter_without_a_label() -> None:
    page = Page(number=1, text="By 2027 the council expects to finish the work.", source="x", source_page=1)
    assert find_presenter([page]) is None


def test_sub_items_are_covered_inside_the_parent(summary: MeetingSummary) -> None:
    item = summary.items[3]
    assert (item.start_page, item.end_page) == (5, 7)
    cited = {p for piece in [*item.paragraphs, *item.key_points] for p in piece.pages}
    assert 7 in cited  # the sub-item's page is represented


def test_synopsis_is_in_the_scheduled_tense_and_names_the_topics_and_a_figure(
    summary: MeetingSummary,
) -> None:
    text = summary.synopsis
    assert text.startswith(
        "The Cabinet was scheduled to meet on Thursday 6 March 2025 at 10.00 am to consider"
    )
    assert "Highways Maintenance Programme" in text
    assert 2 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 4
    assert not re.search(r"\b(?:decided|resolved|approved)\b", text, re.IGNORECASE)
    assert re.search(r"£[\d,.]+m?|\b\d[\d,]{2,}\b", text)  # a headline figure


def test_synopsis_of_minutes_reports_outcomes_in_the_past_tense() -> None:
    from summarise.engines.extractive.synopsis import synopsis
    from summarise.models import ItemSummary, KeyPoint

    meeting = make_meeting()
    items = [
        ItemSummary(
            number="1",
            title="Zoning Appeals",
            start_page=1,
            end_page=2,
            key_points=[
                KeyPoint(
                    text="Cllr A moved to approve 1.a; Cllr B seconded. The motion carried.", kind="decision"
                ),
                KeyPoint(
                    text="Cllr B moved to deny 1.b; Cllr A seconded. The motion failed.", kind="decision"
                ),
            ],
        )
    ]
    text = synopsis(meeting, items, kind="minutes")
    assert " met on " in text and "scheduled" not in text
    assert "Of 2 recorded motions, 1 carried and 1 failed." in text


def test_members_were_asked() -> None:
    from summarise.engines.extractive.synopsis import _past_asked

    assert _past_asked("Members are asked to note the report.") == "Members were asked to note the report."
    assert _past_asked("Cabinet is asked to agree the plan.") == "Cabinet was asked to agree the plan."


def test_footnotes_come_from_source_definitions(summary: MeetingSummary) -> None:
    terms = {f.term: f.definition for f in summary.footnotes}
    assert terms.get("MTFP") == "Medium Term Financial Plan"  # used without its expansion beside it
    assert [f.number for f in summary.footnotes] == list(range(1, len(summary.footnotes) + 1))
    assert all(f.origin == "source" and f.pages for f in summary.footnotes)


def test_schema_round_trip(summary: MeetingSummary) -> None:
    data = summary.to_json()
    again = MeetingSummary.from_json(data)
    assert again == summary
    assert again.to_json() == data


def test_deterministic_in_process() -> None:
    a = summarise_meeting(make_meeting())
    b = summarise_meeting(make_meeting())
    assert _without_time(a) == _without_time(b)


_SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_extractive import make_meeting, _without_time
from summarise.engines.extractive import summarise_meeting
print(_without_time(summarise_meeting(make_meeting())))
"""


def test_deterministic_across_hash_seeds() -> None:
    """Set and dict ordering of strings changes with PYTHONHASHSEED; the output must not."""
    script = _SCRIPT.format(tests=str(Path(__file__).parent))
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=60
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1


# --------------------------------------------------------------------------- a real pack


@pytest.mark.shared
def test_real_small_pack(shared_data: Path) -> None:
    from summarise import load_pack

    meeting = load_pack([shared_data / "packs" / "kent-cabinet-2025-03-13-reports-pack.pdf"])
    summary = summarise_meeting(meeting)
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]
    for item in summary.items:
        if not item.has_papers:
            assert not item.paragraphs and not item.key_points and item.note
        for piece in [*item.paragraphs, *item.key_points]:
            assert item.start_page is not None and item.end_page is not None
            assert piece.pages and all(item.start_page <= p <= item.end_page for p in piece.pages)
    assert _without_time(summarise_meeting(meeting)) == _without_time(summary)


def test_items_sharing_a_page_get_only_their_own_text() -> None:
    # Ingest resolves which text is whose, once; engines read it through meeting.item_pages.
    meeting = shared_page_agenda()
    summary = summarise_meeting(meeting)
    first, budget, beach = summary.items
    assert not first.paragraphs and not first.key_points
    assert first.note == "The papers give no detail for this item beyond its title."
    budget_text = " ".join(p.text for p in [*budget.paragraphs, *budget.key_points])
    beach_text = " ".join(p.text for p in [*beach.paragraphs, *beach.key_points])
    assert "travel budget" in budget_text and "beach" not in budget_text.lower()
    assert "bathing beaches" in beach_text and "nurses" not in beach_text


def test_running_headers_and_lead_labels_do_not_reach_the_summary() -> None:
    header = (
        "Numbers are rounded for clarity, including totals, so small differences in the tables may occur."
    )
    body = [
        "Summary: The council plans to spend more on road repairs across the county next year.",
        "The repairs programme is the largest in a decade and covers every district in the county.",
        "Contractors will be appointed through the existing framework agreement this spring.",
        "Residents will be told about planned works through the council website and local press.",
        "The programme will be reviewed by the scrutiny committee before the end of the year.",
    ]
    pages = [
        Page(number=i + 1, text=f"{header}\n{line}\nPage {i + 1}", source="p.pdf", source_page=i + 1)
        for i, line in enumerate(body)
    ]
    meeting = Meeting(
        info=MeetingInfo(body="Cabinet"),
        pages=pages,
        items=[AgendaItem(number="1", title="Road Repairs", start_page=1, end_page=5)],
    )
    item = summarise_meeting(meeting).items[0]
    text = " ".join(p.text for p in item.paragraphs)
    assert "The council plans to spend more on road repairs" in text
    assert "Summary:" not in text and "rounded for clarity" not in text
