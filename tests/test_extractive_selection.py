"""What the offline engine will not quote: debris, lead-ins without their list, dangling openers."""

from __future__ import annotations

import pytest

from summarise.engines.extractive.prose import is_debris
from summarise.engines.extractive.select import complete
from summarise.text.sentences import sentences_of_text


@pytest.mark.parametrize(
    "text",
    [
        "EXEMPT ITEMS (At the time of preparing the agenda there were no exempt items.",
        "SO6,SO2 Proposed Priorities to Improve Health and Wellbeing~ By 2028, sickness will fall.",
        "(Property owner: Walter Block) (CD-3) (TMAPC voted 9-0-0 to recommend APPROVAL.)",
        "The board approved it. [CC 10/16/24] 24-980-1",
        "Proposed Priorities To Improve Health And Wellbeing Objectively Verifiable Indicators Timescale"
        " Progress by 2028 the rate will fall.",
    ],
)
def test_debris_is_recognised(text: str) -> None:
    assert is_debris(text)


@pytest.mark.parametrize(
    "text",
    [
        "The Kent and Medway Shared Delivery Plan is a key catalyst to encourage action by partners.",
        "Cabinet is asked to agree the Commissioning Plan for Education Provision in Kent 2025-29.",
    ],
)
def test_prose_is_not_debris(text: str) -> None:
    assert not is_debris(text)


def test_a_lead_in_keeps_its_list_or_goes() -> None:
    sentences = sentences_of_text(
        "The plan identifies the need for new places each year as follows:\n"
        "• 120 primary places in Dartford\n• 60 secondary places in Ashford\n\n"
        "The plan also sets out the places needed in special schools as follows.\n\n"
        "Table 1 Places 2025 2026"
    )
    lead, _, _, orphan = sentences[0], sentences[1], sentences[2], sentences[3]
    kept = complete([lead, orphan], sentences)
    assert [s.text for s in kept] == [
        "The plan identifies the need for new places each year as follows: 120 primary places in"
        " Dartford; 60 secondary places in Ashford."
    ]


def test_a_dangling_opener_goes_unless_its_antecedent_is_kept() -> None:
    sentences = sentences_of_text(
        "The council will close two depots next year. This will save £1.2m a year.\n\n"
        "Other text follows here about roads. These are the main changes to the budget."
    )
    kept = complete([sentences[0], sentences[1], sentences[3]], sentences)
    assert [s.text for s in kept] == [sentences[0].text, sentences[1].text]
