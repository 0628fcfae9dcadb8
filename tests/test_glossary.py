"""Definitions found in the source, and footnotes on the first use of each term."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from summarise.glossary import Definition, attach_footnotes, find_definitions
from summarise.glossary.definitions import best_long_form
from summarise.models.meeting import MeetingInfo, Page
from summarise.models.summary import ItemSummary, KeyPoint, MeetingSummary, Paragraph, Provenance


def page(text: str, number: int = 1) -> Page:
    return Page(number=number, text=text, source="x.pdf", source_page=number)


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "term", "definition"),
    [
        ("the three-year Medium Term Financial Plan (MTFP) sets out", "MTFP", "Medium Term Financial Plan"),
        ("the MTFP (Medium Term Financial Plan) sets out", "MTFP", "Medium Term Financial Plan"),
        ("A PSPO stands for Public Spaces Protection Order.", "PSPO", "Public Spaces Protection Order"),
        (
            "ASCH - Adult Social Care and Health CYPE - Children, Young People and Education",
            "CYPE",
            "Children, Young People and Education",
        ),
        (
            "ASCH - Adult Social Care and Health CYPE - Children, Young People and Education",
            "ASCH",
            "Adult Social Care and Health",
        ),
        ("CPI Consumer Price Index - the measure of inflation", "CPI", "Consumer Price Index"),
        (
            "the Association of Directors of Adult Social Services (ADASS) found",
            "ADASS",
            "Association of Directors of Adult Social Services",
        ),
        (
            "from the provisional Local Government Finance Settlement (pLGFS) on",
            "pLGFS",
            "provisional Local Government Finance Settlement",
        ),
        ("the Department for Education (DfE) said", "DfE", "Department for Education"),
        ("of the 40 Key Performance Indicators (KPIs) contained", "KPI", "Key Performance Indicator"),
        (
            'In this policy "relevant area" means the town centre inside the ring road.',
            "relevant area",
            "the town centre inside the ring road",
        ),
    ],
)
def test_find_definitions_patterns(text: str, term: str, definition: str) -> None:
    found = find_definitions([page(text, 4)])
    assert term in found, found
    assert found[term].text == definition
    assert found[term].pages == (4,)
    assert found[term].origin == "source"


@pytest.mark.parametrize(
    "text",
    [
        "costs rose (see page 5) in the year",
        "the budget for 2024-25 (2024) was set",
        "the council's plan (KCP) will help",  # letters do not fit the words before
        "This means that the council must act.",
        "the Cabinet (Item 5) agreed",
    ],
)
def test_find_definitions_rejects_non_definitions(text: str) -> None:
    assert find_definitions([page(text)]) == {}


def test_best_long_form_is_schwartz_hearst() -> None:
    assert best_long_form("HMM", "we used a hidden markov model") == "hidden markov model"
    assert best_long_form("ABC", "nothing fits here") is None


def test_most_common_expansion_wins_and_keeps_its_pages() -> None:
    pages = [
        page("the Strategic Reset Programme (SRP) team", 1),
        page("a Specialist Resource Provision (SRP) place", 2),
        page("another Specialist Resource Provision (SRP) unit", 3),
    ]
    found = find_definitions(pages)["SRP"]
    assert found.text == "Specialist Resource Provision"
    assert found.pages == (2, 3)
    assert ("Strategic Reset Programme", (1,)) in found.senses


# --------------------------------------------------------------------------- footnotes


def make_summary(synopsis: str, items: list[ItemSummary]) -> MeetingSummary:
    return MeetingSummary(
        meeting=MeetingInfo(body="Cabinet"),
        synopsis=synopsis,
        items=items,
        provenance=Provenance(
            engine="test", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


DEFS = {
    "MTFP": Definition("MTFP", "Medium Term Financial Plan", (3,)),
    "DSG": Definition("DSG", "Dedicated Schools Grant", (4,)),
    "PSPO": Definition("PSPO", "Public Spaces Protection Order", (12,)),
}


def sample() -> MeetingSummary:
    return make_summary(
        "Cabinet was scheduled to consider the MTFP and a PSPO.",
        [
            ItemSummary(
                number="5",
                title="Budget",
                start_page=3,
                end_page=10,
                paragraphs=[
                    Paragraph(text="The MTFP covers three years. The DSG deficit grows.", pages=[3]),
                    Paragraph(text="The DSG and the MTFP again; NHS funding is flat.", pages=[4]),
                ],
                key_points=[KeyPoint(text="The DSG deficit is £40m.", pages=[4], kind="figure")],
            ),
            ItemSummary(number="6", title="Apologies", has_papers=False, note="No papers."),
            ItemSummary(
                number="7",
                title="Safety",
                start_page=11,
                end_page=14,
                paragraphs=[Paragraph(text="The PSPO expires in June.", pages=[12])],
            ),
        ],
    )


def markers(summary: MeetingSummary) -> list[int]:
    texts = [summary.synopsis]
    for item in summary.items:
        texts += [p.text for p in item.paragraphs] + [k.text for k in item.key_points]
    return [int(n) for text in texts for n in re.findall(r"\[\^(\d+)\]", text)]


def test_footnotes_number_in_reading_order_once_each() -> None:
    out = attach_footnotes(sample(), DEFS)
    assert out.synopsis == "Cabinet was scheduled to consider the MTFP[^1] and a PSPO[^2]."
    assert out.items[0].paragraphs[0].text == "The MTFP covers three years. The DSG[^3] deficit grows."
    assert out.items[0].paragraphs[1].text == "The DSG and the MTFP again; NHS funding is flat."
    assert out.items[2].paragraphs[0].text == "The PSPO expires in June."  # first use was the synopsis
    assert markers(out) == [1, 2, 3]
    assert [(f.number, f.term, f.definition, f.pages) for f in out.footnotes] == [
        (1, "MTFP", "Medium Term Financial Plan", [3]),
        (2, "PSPO", "Public Spaces Protection Order", [12]),
        (3, "DSG", "Dedicated Schools Grant", [4]),
    ]


def test_every_marker_has_a_footnote_and_every_footnote_a_marker() -> None:
    out = attach_footnotes(sample(), DEFS)
    used = markers(out)
    assert len(used) == len(set(used))
    assert sorted(used) == [f.number for f in out.footnotes]


def test_undefined_terms_get_no_footnote() -> None:
    out = attach_footnotes(sample(), DEFS)
    assert "NHS" not in {f.term for f in out.footnotes}
    assert "NHS funding" in out.items[0].paragraphs[1].text


def test_attaching_twice_changes_nothing() -> None:
    once = attach_footnotes(sample(), DEFS)
    twice = attach_footnotes(once, DEFS)
    assert twice == once
    assert "[^1][^" not in twice.synopsis


def test_input_is_not_modified() -> None:
    original = sample()
    attach_footnotes(original, DEFS)
    assert original == sample()


def test_model_definitions_are_used_but_source_wins() -> None:
    defs = {
        **DEFS,
        "MTFP": Definition("MTFP", "Made-up Plan", (), origin="model"),
        "NHS": Definition("NHS", "National Health Service", (), origin="model"),
    }
    once = attach_footnotes(sample(), DEFS)
    out = attach_footnotes(once, defs)  # the earlier source footnote for MTFP stands
    notes = {f.term: f for f in out.footnotes}
    assert notes["MTFP"].definition == "Medium Term Financial Plan" and notes["MTFP"].origin == "source"
    assert notes["NHS"].origin == "model" and notes["NHS"].pages == []
    assert markers(out) == list(range(1, len(out.footnotes) + 1))


def test_a_term_takes_the_sense_defined_in_its_own_item() -> None:
    srp = Definition(
        "SRP",
        "Strategic Reset Programme",
        (20,),
        senses=(("Strategic Reset Programme", (20,)), ("Specialist Resource Provision", (12,))),
    )
    summary = make_summary(
        "No acronyms here.",
        [
            ItemSummary(
                number="9",
                title="Schools",
                start_page=11,
                end_page=14,
                paragraphs=[Paragraph(text="Pupils in SRPs rose.", pages=[12])],
            )
        ],
    )
    out = attach_footnotes(summary, {"SRP": srp})
    assert out.footnotes[0].definition == "Specialist Resource Provision"
    assert out.footnotes[0].pages == [12]
    assert out.items[0].paragraphs[0].text == "Pupils in SRPs[^1] rose."


def test_a_sense_from_another_item_needs_its_words_in_this_item() -> None:
    kcp = Definition("KCP", "Kent Communities Programme", (40,))
    summary = make_summary(
        "Nothing.",
        [
            ItemSummary(
                number="9",
                title="Schools",
                start_page=1,
                end_page=2,
                paragraphs=[Paragraph(text="The KCP sets out the plan.", pages=[1])],
            )
        ],
    )
    unrelated = [page("The KCP sets out the plan for school places.", 1), page("More text.", 2)]
    assert attach_footnotes(summary, {"KCP": kcp}, unrelated).footnotes == []
    related = [page("The Kent Communities Programme and the KCP sets out the plan.", 1), page("x", 2)]
    out = attach_footnotes(summary, {"KCP": kcp}, related)
    assert [f.term for f in out.footnotes] == ["KCP"]


def test_terms_match_whole_words_only() -> None:
    summary = make_summary("The pLGFS and LGFS and LGFSX differ.", [])
    out = attach_footnotes(summary, {"LGFS": Definition("LGFS", "Local Government Finance Settlement", (1,))})
    assert out.synopsis == "The pLGFS and LGFS[^1] and LGFSX differ."


def test_title_case_spelling_is_preferred_in_every_sense() -> None:
    pages = [
        page("the minimum revenue provision (MRP) is", 1),
        page("the Minimum Revenue Provision (MRP)", 2),
    ]
    found = find_definitions(pages)["MRP"]
    assert found.text == "Minimum Revenue Provision"
    assert found.senses == (("Minimum Revenue Provision", (1, 2)),)


def test_no_footnote_where_the_expansion_is_printed_beside_the_term() -> None:
    mtfp = Definition("MTFP", "Medium Term Financial Plan", (3,))
    summary = make_summary(
        "The Medium Term Financial Plan (MTFP) runs to 2028. The MTFP is balanced.",
        [],
    )
    out = attach_footnotes(summary, {"MTFP": mtfp})
    assert out.footnotes == [] and "[^" not in out.synopsis


def test_an_acronym_every_author_expands_alike_is_explained_anywhere() -> None:
    ehcp = Definition(
        "EHCP",
        "Education Health and Care Plan",
        (105,),
        senses=(("Education Health and Care Plan", (105,)), ("Education, Health, and Care Plans", (271,))),
    )
    srp = Definition(
        "SRP",
        "Strategic Reset Programme",
        (20,),
        senses=(("Strategic Reset Programme", (20,)), ("Specialist Resource Provision", (105,))),
    )
    item = ItemSummary(
        number="9",
        title="Schools",
        start_page=448,
        end_page=460,
        paragraphs=[Paragraph(text="Pupils with EHCPs, many in SRPs, rose.", pages=[449])],
    )
    pages = [page("Pupils with EHCPs, many in SRPs, rose.", n) for n in range(448, 461)]
    out = attach_footnotes(make_summary("Nothing.", [item]), {"EHCP": ehcp, "SRP": srp}, pages)
    assert [f.term for f in out.footnotes] == ["EHCP"]  # SRP means two things in this pack


def test_acts_are_explained_by_what_the_papers_say_of_them() -> None:
    from summarise.glossary import find_acts

    pages = [
        page(
            "Section 25 of the Local Government Act 2003 requires the Chief Finance Officer to report"
            " on the robustness of the estimates.",
            1,
        ),
        page("The plan mentions the Care Act 2014 in passing on this page here.", 2),
    ]
    acts = find_acts(pages)
    assert list(acts) == ["Local Government Act 2003", "section 25 of the Local Government Act 2003"]
    assert acts["Local Government Act 2003"].pages == (1,)
    assert "requires the Chief Finance Officer" in acts["Local Government Act 2003"].text


def test_a_cited_section_gets_its_own_footnote_and_the_act_its_next_use() -> None:
    from summarise.glossary import find_acts

    pages = [
        page(
            "Section 25 of the Local Government Act 2003 requires the Chief Finance Officer to report"
            " on the robustness of the estimates. Section 11 of the Local Government Act 2003 is named.",
            n,
        )
        for n in (1, 2)
    ]
    item = ItemSummary(
        number="1",
        title="Budget",
        start_page=1,
        end_page=2,
        paragraphs=[
            Paragraph(
                text="The report was made under section 25 of the Local Government Act 2003.", pages=[1]
            ),
            Paragraph(text="Borrowing is also governed by the Local Government Act 2003.", pages=[2]),
        ],
    )
    out = attach_footnotes(make_summary("Nothing.", [item]), find_acts(pages), pages)
    assert [f.term for f in out.footnotes] == [
        "section 25 of the Local Government Act 2003",
        "Local Government Act 2003",
    ]
    first, second = (p.text for p in out.items[0].paragraphs)
    assert first.endswith("Act 2003[^1].") and second.endswith("Act 2003[^2].")
    assert "section 11 of the Local Government Act 2003" not in find_acts(pages)  # nothing said of it
