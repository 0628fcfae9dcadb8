"""Do the files given together belong to one meeting? Their front sheets say.

Several files make one meeting (an agenda plus separately published reports). Two files that each
open with a meeting's front sheet (a body and a date) naming another date or another body are two
meetings, and merging them would summarise neither: :func:`check_same_meeting` refuses them.
Files with no front sheet of their own (reports, appendices) never count against the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from summarise.errors import DifferentMeetingsError
from summarise.ingest.frontsheet import parse_front_sheet
from summarise.models.meeting import Meeting

_FRONT_PAGES = 2
_NOT_NAME = re.compile(r"[^a-z0-9 ]+")


@dataclass(frozen=True)
class FileMeeting:
    """The meeting a file's own front sheet names."""

    source: str
    body: str | None
    date: dt.date | None

    def describe(self) -> str:
        when = f"{self.date.day} {self.date:%B %Y}" if self.date else "no date"
        return f"{self.source}: {self.body or 'no body'}, {when}"


def file_meetings(meeting: Meeting) -> list[FileMeeting]:
    """Each file's front sheet (its first pages), for the files that have one: a date and a body."""
    firsts: dict[str, list[str]] = {}
    for page in meeting.pages:
        texts = firsts.setdefault(page.source, [])
        if len(texts) < _FRONT_PAGES:
            texts.append(page.text)
    found = []
    for source, texts in firsts.items():
        front = parse_front_sheet("\n".join(texts))
        if front.date and (front.body or front.time):
            found.append(FileMeeting(source, front.body, front.date))
    return found


def _body_key(body: str) -> str:
    words = _NOT_NAME.sub(" ", body.lower()).split()
    return " ".join(w for w in words if w != "the")


def _same(a: FileMeeting, b: FileMeeting) -> bool:
    if a.date != b.date:
        return False
    if not (a.body and b.body):
        return True
    x, y = _body_key(a.body), _body_key(b.body)
    return x in y or y in x  # "Cabinet" and "Kent County Council Cabinet" are one body


def different_meetings(meeting: Meeting) -> list[FileMeeting]:
    """The first file's meeting and every file naming another, or ``[]`` when all agree."""
    found = file_meetings(meeting)
    if len(found) < 2:
        return []
    first = found[0]
    others = [m for m in found[1:] if not _same(first, m)]
    return [first, *others] if others else []


def check_same_meeting(meeting: Meeting) -> None:
    """Raise :class:`~summarise.errors.DifferentMeetingsError` when the files name other meetings."""
    clash = different_meetings(meeting)
    if clash:
        names = ", ".join(m.source for m in clash)
        seen = "; ".join(m.describe() for m in clash)
        raise DifferentMeetingsError(names, f"these look like different meetings ({seen})")
