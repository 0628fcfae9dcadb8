"""Moved to :mod:`summarise.models.summary`; this re-export stays for one release."""

from summarise.models.summary import (
    Cited,
    Finding,
    Footnote,
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
    Usage,
    Verification,
    json_schema,
)

__all__ = [
    "Cited",
    "Finding",
    "Footnote",
    "ItemSummary",
    "KeyPoint",
    "MeetingSummary",
    "Paragraph",
    "Presenter",
    "Provenance",
    "Usage",
    "Verification",
    "json_schema",
]
