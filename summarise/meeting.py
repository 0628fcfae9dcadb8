"""Moved to :mod:`summarise.models.meeting`; this re-export stays for one release."""

from summarise.models.meeting import AgendaItem, Document, Meeting, MeetingInfo, Page

__all__ = ["AgendaItem", "Document", "Meeting", "MeetingInfo", "Page"]
