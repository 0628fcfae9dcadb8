"""The project's evaluation tools: sentence rules, labels and their scoring."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from meetings import shared_page_agenda

from summarise.engines.extractive import summarise_meeting
from summarise.evaluation.labels import (
    PackLabels,
    key_in,
    load_labels,
    normalise,
    same_person,
    score,
    title_ok,
)
from summarise.evaluation.quality import dangling, debris, flag_sentences, not_in_own_text
from summarise.models.meeting import MeetingInfo
from summarise.models.summary import ItemSummary, MeetingSummary, Paragraph, Presenter, Provenance

LABELS = Path(__file__).resolve().parents[1] / "bench" / "labels"


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("SO6,SO2 Proposed Priorities to Improve Health and Wellbeing~ HROD Indicators", "record code"),
        ("(CD‐4) [UED 9/25/24; CC 10/16/24] 24‐927‐1 b. Brandon Rule was reappointed.", "record code"),
        ("Revenue 1,234.5 2,345.6 -3,108.0 0.0 12.5 rose.", "table row"),
        ("Draft Revenue Budget 2025-26 (Pages 85 - 276) is on the agenda.", "contents line"),
        (
            "Classification: Unrestricted Summary: the report sets out the position.",
            "form header glued to a sentence",
        ),
        (
            "EXEMPT ITEMS (At the time of preparing the agenda there were no exempt items.",
            "heading glued to a sentence",
        ),
    ],
)
def test_debris_is_flagged(sentence: str, why: str) -> None:
    assert debris(sentence) == why


@pytest.mark.parametrize(
    "sentence",
    [
        "The forecast revenue overspend is £23.3m, excluding schools.",
        "Cabinet is asked to agree the Commissioning Plan for Education Provision in Kent 2025-29.",
        "Councillor Decter Wright moved to approve 7.a to 7.h; the motion carried 7-0.",
    ],
)
def test_prose_is_not_debris(sentence: str) -> None:
    assert debris(sentence) is None


def test_dangling_openers_and_lost_lists() -> None:
    assert dangling("These will be reviewed in March.", first=True, last=True)
    assert dangling("This report sets out the position.", first=True, last=True) is None
    assert dangling("These will be reviewed in March.", first=False, last=True) is None
    assert dangling("The plan identifies the need for places each year as follows.", first=False, last=True)
    assert dangling("The recommendations are:", first=True, last=True)
    assert dangling("The plan identifies places as follows.", first=True, last=False) is None


def _summary(number: str, text: str) -> MeetingSummary:
    item = ItemSummary(number=number, title="x", paragraphs=[Paragraph(text=text, pages=[1])])
    return MeetingSummary(
        meeting=MeetingInfo(),
        synopsis="",
        items=[item],
        provenance=Provenance(
            engine="t", library_version="0", created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        ),
    )


def test_a_sentence_from_a_neighbours_text_is_flagged_wrong_item() -> None:
    meeting = shared_page_agenda()
    wrong = _summary("2", "The contract is worth up to $14,429 and runs to the end of September.")
    seen, flags = flag_sentences(wrong, meeting)
    assert seen == 1 and [(f.family, f.item) for f in flags] == [("wrong-item", "2")]
    right = _summary("3", "The contract is worth up to $14,429 and runs to the end of September.")
    assert flag_sentences(right, meeting)[1] == []


def test_a_sentence_must_be_in_its_own_items_text_and_engine_framing_is_not_a_quote() -> None:
    meeting = shared_page_agenda()
    sentence = "The contract is worth up to $14,429 and runs to the end of September."
    assert not_in_own_text(_summary("2", sentence), meeting) == [("2", sentence)]
    assert not_in_own_text(_summary("3", sentence), meeting) == []
    framed = "The item lists further matters, not shown here."
    assert not_in_own_text(_summary("2", framed), meeting) == []


def test_the_offline_engine_on_a_shared_page_puts_nothing_under_the_wrong_item() -> None:
    meeting = shared_page_agenda()
    _, flags = flag_sentences(summarise_meeting(meeting), meeting)
    assert [f for f in flags if f.family == "wrong-item"] == []


def test_keys_titles_and_people_match_as_a_reader_would() -> None:
    text = normalise("The forecast overspend is £23.3m; the Council‐wide plan was NOT agreed.")
    assert key_in("£23.3m", text) and key_in("council-wide", text) and key_in("x|not agreed", text)
    assert not key_in("£23.3", text.replace("£23.3m", "£23.35m"))
    assert title_ok("Approval of the Minutes", "Approval of the Minutes of the Regular Board Meeting")
    assert title_ok("RESOLUTION (2019-47) Approval", "RESOLUTION (2019-47) Approval of the Consent Agenda")
    assert not title_ok("RESOLUTION (2019-47) Approval", "RESOLUTION (201 9-47) Approval as se t forth")
    assert title_ok("24/00096 - Commissioning Plan 2025-29", "Commissioning Plan 2025-29")  # a reference
    assert not title_ok("24/00096 - Commissioning Plan 2025-29", "Commissioning Plan")
    assert same_person("Peter Oakford", "Mr P Oakford") and not same_person("Peter Oakford", "Paul Carter")
    assert not same_person("Sarah Hammond", "Richard Hammond")


def test_score_counts_facts_titles_and_presenters() -> None:
    labels = PackLabels.model_validate(
        {
            "pack": "x.pdf",
            "kind": "report_pack",
            "meeting_facts": [{"keys": ["Cabinet"]}],
            "items": [
                {
                    "number": "5",
                    "title": "Budget Monitoring",
                    "presenters": [{"name": "Peter Oakford"}],
                    "facts": [["£23.3m", "overspend"], ["£111.6m"]],
                },
                {"number": "6", "title": "Draft Budget"},
            ],
        }
    )
    summary = _summary("5", "The forecast overspend is £23.3m.")
    summary.synopsis = "The Cabinet met."
    summary.items[0].title = "Budget Monitoring Report – November 2024-25"
    summary.items[0].presenter = Presenter(name="Mr P Oakford", role="Deputy Leader")
    result = score(summary, labels)
    assert (result.facts, result.facts_found) == (3, 2)
    assert result.missed == ["item 5: £111.6m"]
    assert (result.titles, result.titles_ok) == (2, 1)  # item 6 is missing
    assert result.presenter_accuracy == 1.0 and result.people_recall == 1.0
    summary.items[0].presenter = Presenter(name="Paul Carter")
    assert score(summary, labels).presenter_accuracy == 0.0


def test_the_project_labels_load_and_say_what_kind_each_pack_is() -> None:
    kinds = {"report_pack", "agenda", "minutes", "questions", "motions", "supplementary"}
    labels = [load_labels(path) for path in sorted(LABELS.glob("*.toml"))]
    assert len(labels) == 8
    for pack in labels:
        assert pack.kind in kinds and pack.items
        assert all(item.kind is None or item.kind in kinds for item in pack.items)
    assert sum(len(facts) for pack in labels for item in pack.items for facts in [item.facts]) >= 60
