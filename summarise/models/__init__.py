"""The data that flows between stages: what ingest gives (:mod:`.meeting`) and what a user gets
(:mod:`.summary`)."""

from summarise.models.meeting import AgendaItem, Document, Meeting, MeetingInfo, Page, TextSpan
from summarise.models.summary import (
    Finding,
    Footnote,
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Person,
    Presenter,
    Provenance,
    Usage,
    Verification,
)

__all__ = [
    "AgendaItem",
    "Document",
    "Finding",
    "Footnote",
    "ItemSummary",
    "KeyPoint",
    "Meeting",
    "MeetingInfo",
    "MeetingSummary",
    "Page",
    "Paragraph",
    "Person",
    "Presenter",
    "Provenance",
    "TextSpan",
    "Usage",
    "Verification",
]
