"""Repeated page furniture is sent to the model once, counted, and never real content."""

from __future__ import annotations

from summarise.engines.model.furniture import trim_furniture
from summarise.engines.model.plan import plan_item_counted
from summarise.models.meeting import AgendaItem, Meeting, MeetingInfo, Page

HEADER = "APPENDIX B - SYNTHETIC CAPITAL SUMMARY 2025-26"
FOOTER = "Figures rounded for clarity including totals and subtotals"
OUTCOME = "Motion carried unanimously."
MID = "The synthetic committee heard the same repeated phrase here"


def page(n: int, body: str) -> Page:
    text = (
        f"{HEADER}\n{body}\nline two of page {n}\nline three of page {n}\n{MID}\n{OUTCOME}\nmore text {n}\n"
    )
    text += f"and more {n}\nstill more {n}\nfinal body {n}\n{FOOTER}\n{n}"
    return Page(number=n, text=text, source="synthetic.pdf", source_page=n)


def meeting_of(pages: list[Page]) -> tuple[Meeting, AgendaItem]:
    item = AgendaItem(number="5", title="Capital", start_page=1, end_page=len(pages))
    return Meeting(info=MeetingInfo(), pages=pages, items=[item]), item


def test_headers_and_footers_repeated_at_page_edges_are_sent_once_and_counted() -> None:
    pages = [page(n, f"Body of page {n} with £{n}.5m for roads.") for n in range(1, 6)]
    trimmed = trim_furniture(pages)
    sent = "\n".join(text for _, text in trimmed.pages)
    assert sent.count(HEADER) == 1 and sent.count(FOOTER) == 1
    assert trimmed.left_out_tokens > 0
    for n in range(1, 6):  # every page's own content still goes
        assert f"£{n}.5m" in sent and f"final body {n}" in sent


def test_sentences_and_mid_page_repeats_are_content_and_always_sent() -> None:
    pages = [page(n, f"Body {n}.") for n in range(1, 6)]
    sent = "\n".join(text for _, text in trim_furniture(pages).pages)
    assert sent.count(OUTCOME) == 5  # an outcome on every page is news each time
    assert sent.count(MID) == 5


def test_a_line_on_two_pages_is_not_furniture() -> None:
    pages = [page(n, f"Body {n}.") for n in range(1, 3)]
    trimmed = trim_furniture(pages)
    assert trimmed.left_out_tokens == 0
    assert "\n".join(t for _, t in trimmed.pages).count(HEADER) == 2


def test_the_plan_and_the_estimate_report_the_same_tokens_left_out() -> None:
    from summarise.engines.model.estimate import estimate_run
    from summarise.settings import Settings

    meeting, item = meeting_of([page(n, f"Body of page {n}.") for n in range(1, 8)])
    chunks, left_out = plan_item_counted(meeting, item, budget=4_000)
    assert left_out > 0 and chunks
    estimate = estimate_run(meeting, Settings())
    assert estimate.left_out_tokens == left_out
    assert "not sent" in estimate.describe()
