"""Synthetic meetings built in code (tests only), the way ingest would resolve them."""

from __future__ import annotations

from summarise.ingest import resolve_spans
from summarise.models import AgendaItem, Meeting, MeetingInfo, Page

SHARED_PAGE = """1. Call to Order
2. Budget Transfer
The board will consider moving $40,000 from the travel budget to the clinic budget for the rest of the year.
The clinic has seen demand rise by 12% since January and needs two more nurses.
3. Beach Monitoring Contract
The board will consider a contract with the state health department to monitor bathing beaches this summer.
The contract is worth up to $14,429 and runs to the end of September."""


def shared_page_agenda() -> Meeting:
    """A one-page agenda whose three items share the page; spans resolved as ingest does."""
    pages = [Page(number=1, text=SHARED_PAGE, source="a.pdf", source_page=1)]
    items = [
        AgendaItem(number="1", title="Call to Order", start_page=1, end_page=1),
        AgendaItem(number="2", title="Budget Transfer", start_page=1, end_page=1),
        AgendaItem(number="3", title="Beach Monitoring Contract", start_page=1, end_page=1),
    ]
    return Meeting(info=MeetingInfo(body="Board of Health"), pages=pages, items=resolve_spans(pages, items))
