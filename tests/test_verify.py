"""Verification: figures, names, acronyms, quotations and footnotes checked against cited pages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from meetings import shared_page_agenda

from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page
from summarise.models.summary import (
    Finding,
    Footnote,
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
)
from summarise.text.figures import clean_text, find_figures, normalise_numbers
from summarise.verify import MeetingIndex, verify_summary
from summarise.verify.claims import extract_claims

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

PAGE_1 = """AGENDA
CABINET
Thursday, 30th January, 2025, at 10.00 am
Council Chamber, Sessions House, Maidstone
1. Apologies
2. Draft Revenue Budget 2025-26 (Pages 2 - 3)
3. Transfer of the 18-25 service (Page 4)
"""

PAGE_2 = """Draft Revenue Budget 2025-26 and Medium Term
Financial Plan 2025-28
Mark Scrivener, Head of Risk, introduced the report. The review had occurred
during a challenging and un-
certain time for the sector.
The Kent and Medway Business Fund approved loans of £1,234,567 since July
2023, and 119 long-term empty properties were brought back into use, with
three schools converting to academy status.
Council tax will rise by 4.99 per cent in 2025-26, the Council’s Section 151
officer said. KCC will publish the plan on 30th January 2025.
Page 2 of 40
"""

PAGE_3 = """The settlement includes £232m in social care grants, 15% of the net budget.
The cost of the scheme was $14,429.00 for the year 2025 to 2028 programme.
Total spend is £15.3bn over twenty-five years; the reserve holds 500k.
Roger Gough, Leader of the Council, said the leader's budget was "balanced".
Page 3
"""

PAGE_4 = """As of October 2024, the 18-25 section of the Strengthening Independence
Service was working with 894 young adults. The Adult Social Care and Health
Directorate (ASCH) will take on the service from 1 April 2025.
David Whittle, Director of Strategy, attended.
4
"""

PAGE_5 = """Appendix: the budget book for 2023 shows 2,500 staff. Page 12 of 40
"""


def _meeting() -> Meeting:
    texts = [PAGE_1, PAGE_2, PAGE_3, PAGE_4, PAGE_5]
    pages = [Page(number=i + 1, text=t, source="pack.pdf", source_page=i + 1) for i, t in enumerate(texts)]
    items = [
        AgendaItem(number="1", title="Apologies"),
        AgendaItem(number="2", title="Draft Revenue Budget 2025-26", start_page=2, end_page=3),
        AgendaItem(number="3", title="Transfer of the 18-25 service", start_page=4, end_page=5),
    ]
    info = MeetingInfo(body="Cabinet", date=dt.date(2025, 1, 30), sources=["pack.pdf"])
    return Meeting(info=info, pages=pages, items=items)


MEETING = _meeting()
INDEX = MeetingIndex(MEETING)


def _summary(
    *paragraphs: tuple[str, str, list[int]],
    synopsis: str = "",
    footnotes: list[Footnote] | None = None,
    key_points: Sequence[tuple[str, str, list[int]]] = (),
) -> MeetingSummary:
    items: dict[str, ItemSummary] = {}
    for number, text, pages in paragraphs:
        item = items.setdefault(number, _item(number))
        item.paragraphs.append(Paragraph(text=text, pages=pages))
    for number, text, pages in key_points:
        item = items.setdefault(number, _item(number))
        item.key_points.append(KeyPoint(text=text, pages=pages, kind="figure"))
    return MeetingSummary(
        meeting=MEETING.info,
        synopsis=synopsis,
        items=list(items.values()),
        footnotes=footnotes or [],
        provenance=Provenance(
            engine="test", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


def _item(number: str) -> ItemSummary:
    source = next(i for i in MEETING.items if i.number == number)
    return ItemSummary(
        number=number, title=source.title, start_page=source.start_page, end_page=source.end_page
    )


def _findings(text: str, pages: list[int] | None = None, item: str = "2") -> list[Finding]:
    summary = _summary((item, text, [2, 3] if pages is None else pages))
    return verify_summary(summary, MEETING, index=INDEX).findings


def _problems(text: str, pages: list[int] | None = None, item: str = "2") -> list[Finding]:
    return [f for f in _findings(text, pages, item) if f.severity != "info"]


# --- normalising numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("£1.2m", "money:1200000"),
        ("£1,200,000", "money:1200000"),
        ("£1.2 million", "money:1200000"),
        ("1.2 million", "count:1200000"),
        ("$14,429.00", "money:14429"),
        ("£15.3bn", "money:15300000000"),
        ("500k", "count:500000"),
        ("5%", "percent:5"),
        ("5 per cent", "percent:5"),
        ("5.0%", "percent:5"),
        ("30 January 2025", "date:2025-01-30"),
        ("30th Jan", "date:????-01-30"),
        ("January 30, 2025", "date:2025-01-30"),
        ("2025-26", "range:2025-2026"),
        ("2025/26", "range:2025-2026"),
        ("2025 to 2028", "range:2025-2028"),
        ("2025", "year:2025"),
        ("three", "count:3"),
        ("twenty-five", "count:25"),
        ("10.00 am", "time:10-0"),
    ],
)
def test_normalise_numbers_canonical_forms(text: str, canonical: str) -> None:
    assert normalise_numbers(f"It was {text} in all.") == [canonical]


def test_normalise_numbers_keeps_order_and_ignores_words_inside_words() -> None:
    assert normalise_numbers("often tenants: £1.2m then 7 per cent") == ["money:1200000", "percent:7"]


def test_rounding_unit_follows_the_last_written_digit() -> None:
    [m] = find_figures(clean_text("£1.23m"))
    assert m.value == pytest.approx(1_230_000) and m.unit == pytest.approx(10_000)
    [n] = find_figures(clean_text("about 1,200 people"))
    assert n.unit == 100  # a round number after "about" stands for what rounds to it
    [exact] = find_figures(clean_text("1,200 people"))
    assert exact.unit == 1


# --- figures: supported and unsupported ----------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "Loans of £1.2m were approved.",
        "Loans of £1.23m were approved.",
        "Loans of £1,234,567 were approved.",
        "Loans of 1.2 million pounds were approved.",
        "Grants of £232 million make up 15 per cent of the budget.",
        "Grants of £0.232bn make up 15.0% of the budget.",
        "Council tax rises 4.99% in 2025/26.",
        "Council tax rises by 5% in 2025-26.",
        "The scheme cost $14,429 across the 2025-28 programme.",
        "Spend of £15.3 billion over 25 years.",
        "The reserve holds £500,000.",
        "The plan is published on 30 January 2025.",
        "The plan is published on 30/01/2025.",
        "The plan is published on 30th Jan.",
        "Loans were approved since July 2023.",
        "3 schools will convert and 119 properties are back in use.",
        "Over twenty-five years, as set out on page 3 of item 2.",
    ],
)
def test_supported_figures_raise_no_finding(claim: str) -> None:
    assert _problems(claim) == []


@pytest.mark.parametrize(
    ("claim", "bad"),
    [
        ("Loans of £1.3m were approved.", "£1.3m"),
        ("Loans of £1.2bn were approved.", "£1.2bn"),
        ("Loans of £1,243,567 were approved.", "£1,243,567"),
        ("Grants of £232m make up 18% of the budget.", "18%"),
        ("Grants of £232m make up 15 per cent, rising 6 per cent.", "6 per cent"),
        ("Council tax rises by 4.99% in 2026-27.", "2026-27"),
        ("The plan is published on 31 January 2025.", "31 January 2025"),
        ("The plan is published on 30 March 2025.", "30 March 2025"),
        ("Five schools will convert.", "Five"),  # 4.99 is a percentage, not a count
        ("The scheme cost $14,492.00.", "$14,492.00"),
        ("Spend of £15.3m over twenty-five years.", "£15.3m"),
        ("Spend of £15.3bn over thirty years.", "thirty"),
        ("The reserve holds 600k.", "600k"),
        ("Loans were approved since July 2022.", "July 2022"),
    ],
)
def test_unsupported_figures_are_errors(claim: str, bad: str) -> None:
    errors = [f for f in _findings(claim) if f.severity == "error"]
    assert [f.text for f in errors] == [bad]
    assert errors[0].kind == "figure" and errors[0].item == "2" and errors[0].pages_searched


def test_rounding_accepts_rounded_source_values_but_not_neighbours() -> None:
    assert _problems("Loans of £1.2m.") == []
    assert [f.text for f in _problems("Loans of £1.24m.")] == ["£1.24m"]  # 1,234,567 rounds to 1.23


def test_page_footers_and_lone_page_numbers_are_not_evidence() -> None:
    # "Page 12 of 40" is on page 5 and "4" is page 4's footer: neither supports a figure
    assert [f.text for f in _problems("There are 12 staff.", pages=[5], item="3")] == ["12"]
    assert [f.text for f in _problems("The service has 4 teams.", pages=[4], item="3")] == ["4"]


def test_no_false_alarm_on_references_and_footnote_markers() -> None:
    text = "The KCC[^1] plan (see page 3, pages 2-3, item 7 and appendix 2) covers 2025-28 [2]."
    assert _problems(text) == []


def test_numbers_broken_by_pdf_spacing_are_found_verbatim() -> None:
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[
            Page(
                number=1,
                text="RESOLUTION (201 9-47) Approval of the Consent Agenda",
                source="x",
                source_page=1,
            )
        ],
        items=[AgendaItem(number="1", title="Consent", start_page=1, end_page=1)],
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="Consent", start_page=1, end_page=1)]
    summary.items[0].paragraphs.append(Paragraph(text="Resolution 2019-47 approves the agenda.", pages=[1]))
    assert verify_summary(summary, meeting).findings == []


# --- where to look -------------------------------------------------------------------------------------


def test_without_citations_the_items_pages_are_searched() -> None:
    assert _problems("There are 894 young adults.", pages=[], item="3") == []
    [finding] = _problems("Loans of £1.2m.", pages=[], item="3")  # that figure is in item 2
    assert finding.kind == "figure" and finding.severity == "error"
    assert finding.pages_searched == [4, 5]


def test_figure_elsewhere_in_the_item_is_a_citation_warning() -> None:
    [finding] = _problems("There are 894 young adults.", pages=[5], item="3")
    assert finding.kind == "citation" and finding.severity == "warning"
    assert "page 4" in finding.message


def test_figure_only_on_an_uncited_page_far_from_the_citation_is_an_error() -> None:
    texts = ["Loans of £4.2m were agreed.", "Nothing here.", "Nothing here either.", "Spend of £9.1m."]
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[Page(number=i + 1, text=t, source="x", source_page=i + 1) for i, t in enumerate(texts)],
        items=[AgendaItem(number="1", title="Budget", start_page=1, end_page=4)],
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="Budget", start_page=1, end_page=4)]
    summary.items[0].paragraphs = [Paragraph(text="Spend of £9.1m and loans of £4.2m.", pages=[1])]
    [finding] = verify_summary(summary, meeting).findings
    assert (finding.kind, finding.text, finding.severity) == ("figure", "£9.1m", "error")
    assert "page 4" in finding.message and finding.pages_searched == [1, 2, 3, 4]


def _one_page(text: str, *claims: str) -> list[Finding]:
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[Page(number=1, text=text, source="x", source_page=1)],
        items=[AgendaItem(number="1", title="One", start_page=1, end_page=1)],
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="One", start_page=1, end_page=1)]
    summary.items[0].paragraphs = [Paragraph(text=c, pages=[1]) for c in claims]
    return verify_summary(summary, meeting).findings


def test_ranges_and_quarters_written_another_way() -> None:
    page = "Pupil numbers may fall by between 3% and 7% in Quarter 2, for those aged 18 to 25 (CRC 2019-68)."
    assert _one_page(page, "Numbers may fall 3-7% in Q2 for those aged 18-25 (CRC 2019/68).") == []
    findings = _one_page(page, "Numbers may fall 3-8% in Q3 for those aged 18-24.")
    assert [f.text for f in findings] == ["8%", "Q3", "18-24"]


def test_a_date_the_page_gives_with_another_year_is_not_supported() -> None:
    texts = ["Held on 15 October 2024; the review of 15 October follows in 2023 terms."]
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[Page(number=1, text=texts[0], source="x", source_page=1)],
        items=[AgendaItem(number="1", title="Dates", start_page=1, end_page=1)],
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="Dates", start_page=1, end_page=1)]
    summary.items[0].paragraphs = [
        Paragraph(text="It was held on October 15, 2024.", pages=[1]),
        Paragraph(text="It was held on 15 October 2023.", pages=[1]),
    ]
    findings = verify_summary(summary, meeting).findings
    assert [(f.text, f.severity) for f in findings] == [("15 October 2023", "error")]


def test_synopsis_is_checked_against_the_whole_pack() -> None:
    summary = _summary(synopsis="Cabinet met on 30 January 2025 at 10.00 am; 894 young adults; £9.9m.")
    findings = verify_summary(summary, MEETING, index=INDEX).findings
    assert [(f.text, f.item, f.severity) for f in findings] == [("£9.9m", None, "error")]


def test_items_sharing_a_page_are_checked_against_their_own_part() -> None:
    meeting = shared_page_agenda()
    budget = ItemSummary(number="2", title="Budget Transfer", start_page=1, end_page=1)
    budget.paragraphs = [
        Paragraph(text="The board will consider moving $40,000 to the clinic budget.", pages=[1])
    ]
    # item 3's figure, on the page item 2 shares with it but not in item 2's part of it
    budget.key_points = [KeyPoint(text="The contract is worth up to $14,429.", pages=[1], kind="figure")]
    summary = _summary(synopsis="The contract is worth up to $14,429.")
    summary.meeting, summary.items = meeting.info, [budget]
    result = verify_summary(summary, meeting)
    assert [(f.kind, f.text, f.item, f.severity) for f in result.findings] == [
        ("figure", "$14,429", "2", "error"),
        ("attribution", "The contract is worth up to $14,429", "2", "error"),  # item 3's sentence
    ]
    assert [f.text for f in result.unsupported_figures] == ["$14,429"]
    # the same figure in item 3, and in the synopsis (checked against the whole pack), is supported
    budget.number, budget.title = "3", "Beach Monitoring Contract"
    budget.paragraphs = []
    assert verify_summary(summary, meeting).findings == []


def test_a_parent_without_papers_is_checked_against_its_sub_items_pages() -> None:
    texts = [
        "Front sheet: the fund holds £9.1m.",
        "Roads: repairs cost £2.5m.",
        "Parks: £0.4m for play areas.",
    ]
    pages = [Page(number=i + 1, text=t, source="x", source_page=i + 1) for i, t in enumerate(texts)]
    subs = [
        AgendaItem(number="a", title="Roads", start_page=2, end_page=2),
        AgendaItem(number="b", title="Parks", start_page=3, end_page=3),
    ]
    meeting = Meeting(
        info=MeetingInfo(), pages=pages, items=[AgendaItem(number="5", title="Reports", sub_items=subs)]
    )
    summary = _summary()
    summary.meeting = meeting.info
    # no pages of its own on the summary (as the model engine leaves a parent without papers)
    summary.items = [
        ItemSummary(number="5", title="Reports", note="Repairs cost £2.5m; the fund holds £9.1m.")
    ]
    findings = verify_summary(summary, meeting).findings
    assert [(f.text, f.pages_searched) for f in findings] == [("£9.1m", [2, 3])]


def test_synopsis_may_count_the_agenda_items() -> None:
    items = [AgendaItem(number=c, title=f"Item {c}") for c in "ABC"]
    items += [AgendaItem(number=c, title=f"Report {c}", start_page=1, end_page=1) for c in "DE"]
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[Page(number=1, text="Budget report.", source="x", source_page=1)],
        items=items,
    )
    summary = _summary(synopsis="The agenda had 5 items, 2 with papers.")
    assert verify_summary(summary, meeting).findings == []
    summary.synopsis = "The agenda had 6 items, 2 with papers."
    assert [f.text for f in verify_summary(summary, meeting).findings] == ["6"]


def test_cited_page_outside_the_pack_is_reported() -> None:
    findings = _findings("Loans of £1.2m.", pages=[2, 99])
    assert [(f.kind, f.text) for f in findings] == [("citation", "99")]


def test_cited_pages_without_text_fall_back_to_the_item_with_an_info_finding() -> None:
    pages = [
        Page(number=1, text="Loans of £4.2m were agreed.", source="x", source_page=1),
        Page(number=2, text="", source="x", source_page=2, has_text=False),
    ]
    meeting = Meeting(
        info=MeetingInfo(), pages=pages, items=[AgendaItem(number="1", title="B", start_page=1, end_page=2)]
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="B", start_page=1, end_page=2)]
    summary.items[0].paragraphs = [Paragraph(text="Loans of £4.2m.", pages=[2])]
    [finding] = verify_summary(summary, meeting).findings
    assert (finding.kind, finding.severity) == ("citation", "info")


def test_presenter_and_note_are_checked_against_the_item() -> None:
    summary = _summary(("3", "894 young adults.", [4]))
    summary.items[0].presenter = Presenter(name="David Whittle", role="Director of Strategy")
    summary.items[0].note = "Costs of £3.3m were reported."
    assert [(f.kind, f.text) for f in verify_summary(summary, MEETING, index=INDEX).findings] == [
        ("figure", "£3.3m")
    ]
    summary.items[0].presenter = Presenter(name="Peter Oakford")
    summary.items[0].note = None
    # a presenter is a person, and this one is named nowhere in the pack
    assert [(f.kind, f.text, f.severity) for f in verify_summary(summary, MEETING, index=INDEX).findings] == [
        ("person", "Peter Oakford", "error")
    ]


def test_key_points_are_checked_too() -> None:
    summary = _summary(key_points=[("2", "Loans: £7.7m.", [2])])
    assert [f.text for f in verify_summary(summary, MEETING, index=INDEX).findings] == ["£7.7m"]


def test_value_present_only_in_another_context_is_a_warning() -> None:
    filler = " ".join(f"word{chr(97 + i % 26)}{i}" for i in range(40))
    text = (
        "The library refurbishment opened in 2019 after a public consultation. "
        + filler
        + " Parking charges at the country parks will rise in 2026 to cover maintenance."
    )
    meeting = Meeting(
        info=MeetingInfo(),
        pages=[Page(number=1, text=text, source="x", source_page=1)],
        items=[AgendaItem(number="1", title="Budget", start_page=1, end_page=1)],
    )
    summary = _summary()
    summary.items = [ItemSummary(number="1", title="Budget", start_page=1, end_page=1)]
    summary.items[0].paragraphs = [
        Paragraph(text="Parking charges at country parks rise in 2026.", pages=[1]),
        Paragraph(text="Parking charges at country parks rise in 2019.", pages=[1]),
        Paragraph(text="Parking charges at country parks rise in 2027.", pages=[1]),
    ]
    findings = verify_summary(summary, meeting).findings
    assert [(f.text, f.kind, f.severity) for f in findings] == [
        ("2019", "figure", "warning"),  # on the page, but beside the library, not the parking charges
        ("2027", "figure", "error"),
    ]


# --- names, acronyms and quotations --------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "Mark Scrivener introduced the report.",
        "The report was introduced by Mr Scrivener, Head of Risk.",
        "Council Leader Roger Gough said the budget was balanced.",
        "The Kent and Medway Business Fund's loans were noted by Mark Scrivener's team.",
        "The Medium Term Financial Plan covers 2025-28.",
        "Following the review, Members noted the Kent and Medway Business Fund.",
    ],
)
def test_supported_names_and_acronyms(claim: str) -> None:
    assert _problems(claim) == []


@pytest.mark.parametrize(
    ("claim", "kind", "bad"),
    [
        ("The Surrey and Medway Business Fund approved loans.", "name", "Surrey and Medway Business Fund"),
        ("KCD will publish the plan.", "acronym", "KCD"),
        ("The SEND service will publish the plan.", "acronym", "SEND"),
    ],
)
def test_unsupported_names_and_acronyms_are_warnings(claim: str, kind: str, bad: str) -> None:
    problems = _problems(claim)
    assert [(f.kind, f.text, f.severity) for f in problems] == [(kind, bad, "warning")]


@pytest.mark.parametrize(
    ("claim", "bad"),
    [
        ("Mark Whittle introduced the report.", "Mark Whittle"),  # both words are on the page, apart
        ("Peter Oakford introduced the report.", "Peter Oakford"),
        ("Cllr Tamsin Pellow seconded it.", "Cllr Tamsin Pellow"),
    ],
)
def test_a_person_named_nowhere_in_the_pack_is_an_error(claim: str, bad: str) -> None:
    problems = _problems(claim)
    assert [(f.kind, f.text, f.severity) for f in problems] == [("person", bad, "error")]


def test_a_person_in_the_pack_but_not_on_the_cited_pages_stays_a_warning() -> None:
    # Mark Scrivener is on page 2 (item 2), not on item 3's page or beside it
    problems = _problems("Mark Scrivener introduced the report.", pages=[4], item="3")
    assert [(f.kind, f.severity) for f in problems] == [("name", "warning")]
    assert "named in the pack" in problems[0].message


def test_acronym_defined_by_the_glossary_may_be_spelt_out_on_the_page() -> None:
    note = Footnote(
        number=1, term="MTFP", definition="Medium Term Financial Plan", pages=[2], origin="source"
    )
    summary = _summary(("2", "KCC will publish the MTFP[^1].", [2]), footnotes=[note])
    assert verify_summary(summary, MEETING, index=INDEX).findings == []
    # without the glossary entry, an acronym that is not on the page is reported
    assert [f.text for f in _problems("KCC will publish the MTFP.")] == ["MTFP"]


def test_acronyms_are_matched_as_tokens_not_inside_words() -> None:
    assert [f.text for f in _problems("ASCH takes on the service.", pages=[4], item="3")] == []
    assert [f.text for f in _problems("HEAL takes on the service.", pages=[4], item="3")] == ["HEAL"]


def test_quotes_match_across_line_breaks_and_hyphenation() -> None:
    assert _problems("The review came at “a challenging and uncertain time”.") == []
    assert _problems('Mr Gough said the budget was "balanced".') == []
    assert _problems("He called it ‘a challenging … time for the sector’.") == []
    [finding] = _problems("The review came at “a calm and certain time”.")
    assert (finding.kind, finding.severity, finding.text) == ("quote", "error", "a calm and certain time")


def test_sentence_start_capitals_are_not_names() -> None:
    claims = extract_claims("The Council agreed. Members noted it. In January Cabinet met.")
    assert [c for c in claims if c.kind == "name"] == []


# --- footnotes -----------------------------------------------------------------------------------------


def test_source_footnote_definitions_must_be_supported() -> None:
    good = Footnote(
        number=1,
        term="ASCH",
        definition="Adult Social Care and Health Directorate",
        pages=[4],
        origin="source",
    )
    bad = Footnote(
        number=2, term="KCC", definition="Kent Cricket Club, a sports venue", pages=[2], origin="source"
    )
    model = Footnote(number=3, term="MTFP", definition="A plan invented by the model", origin="model")
    summary = _summary(footnotes=[good, bad, model])
    result = verify_summary(summary, MEETING, index=INDEX)
    assert [(f.kind, f.text, f.severity) for f in result.findings] == [("footnote", "[^2] KCC", "warning")]
    assert result.checked == 2  # model definitions are not claimed to be from the source


def test_source_footnote_without_pages_is_info() -> None:
    note = Footnote(number=1, term="KCC", definition="Kent County Council", pages=[], origin="source")
    [finding] = verify_summary(_summary(footnotes=[note]), MEETING, index=INDEX).findings
    assert finding.severity == "info"


# --- the whole result ----------------------------------------------------------------------------------


def test_verification_counts_claims_and_lists_unsupported_figures() -> None:
    summary = _summary(
        ("2", "Mark Scrivener said loans of £1.2m were approved; KCC expects £4.4m more.", [2]),
        ("3", "894 young adults move to ASCH.", [4]),
    )
    result = verify_summary(summary, MEETING)
    # item 2: a name, two figures, an acronym, a decision ("were approved"); item 3: a figure, an acronym
    assert result.checked == 7
    assert [f.text for f in result.unsupported_figures] == ["£4.4m"]


def test_verify_is_pure() -> None:
    summary = _summary(("2", "Loans of £9.9m.", [2]))
    before = summary.model_dump_json()
    verify_summary(summary, MEETING)
    assert summary.model_dump_json() == before


# --- real packs ----------------------------------------------------------------------------------------


@pytest.mark.shared
def test_faithful_sentences_from_a_real_pack_pass_and_a_changed_figure_fails() -> None:
    pack = DATA / "packs" / "tulsa-city-council-minutes-24-1056-2.pdf"
    if not pack.exists():
        pytest.skip("../shared/data not present: real council packs are not shipped with the repository")
    from summarise.ingest.pack import load_pack

    meeting = load_pack(pack)
    paragraphs = []
    for page in meeting.pages:
        text = re.sub(r"\s*\n\s*", " ", page.text)
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", text):
            if 8 <= len(sentence.split()) <= 60 and re.search(r"\d", sentence):
                paragraphs.append((sentence, page.number))
    assert len(paragraphs) > 20
    summary = _summary()
    summary.meeting = meeting.info
    # "x" would be the pack's sub-item 4.x, which now has its own part of its page
    summary.items = [ItemSummary(number="all", title="all", start_page=1, end_page=len(meeting.pages))]
    summary.items[0].paragraphs = [Paragraph(text=t, pages=[n]) for t, n in paragraphs]
    index = MeetingIndex(meeting)
    result = verify_summary(summary, meeting, index=index)
    assert result.checked > 100
    assert [f for f in result.findings if f.severity == "error"] == []

    text, page = next((t, n) for t, n in paragraphs if re.search(r"\$\d", t))
    changed = re.sub(r"\$(\d)", lambda m: "$" + str((int(m[1]) + 3) % 10 or 7), text, count=1)
    summary.items[0].paragraphs = [Paragraph(text=changed, pages=[page])]
    result = verify_summary(summary, meeting, index=index)
    assert [f.kind for f in result.findings if f.severity == "error"] == ["figure"]
