"""A two-file meeting's summary for the HTML tests: citations across both files, every key-point
kind, a footnote, findings on items and on the synopsis, and enough items for a contents list."""

from __future__ import annotations

import datetime as dt

from summarise.models.meeting import MeetingInfo
from summarise.models.summary import (
    Finding,
    Footnote,
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Provenance,
    SourceFile,
    Verification,
)

# agenda.pdf holds pack pages 1-3; reports.pdf holds pack pages 4-10 (its own pages 1-7).
FILES = [
    SourceFile(file="agenda.pdf", first_page=1, pages=3),
    SourceFile(file="reports.pdf", first_page=4, pages=7),
]


def two_file_summary(created: int = 0, items: int = 7) -> MeetingSummary:
    """``created`` varies the creation time (so two copies are two summaries)."""
    made = [
        ItemSummary(
            number=str(n),
            title=f"Report {n}",
            start_page=4,
            end_page=6,
            paragraphs=[Paragraph(text=f"Item {n} uses the HRA[^1] budget.", pages=[2, 5, 6])],
            key_points=[
                KeyPoint(text="£3.2m capital", kind="figure", pages=[5]),
                KeyPoint(text="Approve the plan", kind="recommendation", pages=[3, 4]),
                KeyPoint(text="Agreed", kind="decision", pages=[9]),
                KeyPoint(text="Consulted widely", kind="other", pages=[]),
            ],
        )
        for n in range(1, items + 1)
    ]
    return MeetingSummary(
        meeting=MeetingInfo(body="Cabinet", date=dt.date(2025, 3, 6), sources=["agenda.pdf", "reports.pdf"]),
        synopsis="The meeting covered housing.",
        items=made,
        footnotes=[Footnote(number=1, term="HRA", definition="Housing Revenue Account", pages=[7])],
        verification=Verification(
            checked=12,
            findings=[
                Finding(
                    kind="figure", text="£9m", item="2", pages_searched=[4, 5], message="not on the pages"
                ),
                Finding(
                    kind="name", text="Jo Bloggs", item="3", severity="warning", message="name not found"
                ),
                Finding(kind="figure", text="£1bn", item=None, message="not on the pages"),
            ],
        ),
        provenance=Provenance(
            engine="extractive",
            library_version="0",
            created_at=dt.datetime(2025, 1, 1, 12, created, tzinfo=dt.UTC),
        ),
        source_files=FILES,
    )
