"""The meeting's synopsis: what it was scheduled to consider, in that tense.

One line for when the body was to meet, the items with papers (up to eight by
title, then a count), at most two of the recommendations put to it (decisive
ones first, from the items with the most pages, recast in the past tense:
"Cabinet was asked to ..."), and the items without papers. The pack says what
was proposed, not what was decided, so the synopsis never says it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarise.models.meeting import Meeting
from summarise.models.summary import ItemSummary

# A "Minutes of ..." item: the previous meeting's record, submitted for approval.
MINUTES = re.compile(r"^\s*minutes\b", re.IGNORECASE)


def _join_words(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


_SYNOPSIS_TITLES = 8
_DECISIVE = re.compile(r"\basked to (?:\w+ )?(?:agree|approve|endorse|adopt|delegate|recommend)", re.I)


def synopsis(meeting: Meeting, items: Sequence[ItemSummary]) -> str:
    """What the meeting was to consider, in the scheduled tense."""
    info = meeting.info
    body = info.body or "The meeting"
    who = body if body.lower().startswith("the ") else f"The {body}"
    when = ""
    if info.date:
        when += f" on {info.date.strftime('%A')} {info.date.day} {info.date.strftime('%B %Y')}"
    if info.time:
        when += f" at {info.time}"
    parts = [f"{who} was scheduled to meet{when}".rstrip(".") + "."]
    with_papers = [i for i in items if i.has_papers and not MINUTES.match(i.title)]
    if len(with_papers) == 1:
        parts.append(f"The agenda included one item with papers: {with_papers[0].title}.")
    elif with_papers:
        named = [i.title for i in with_papers[:_SYNOPSIS_TITLES]]
        rest = len(with_papers) - len(named)
        listed = "; ".join(named[:-1]) + "; and " + named[-1] if not rest else "; ".join(named)
        more = f"; and {rest} more" if rest else ""
        parts.append(f"The agenda included {len(with_papers)} items with papers: {listed}{more}.")
    asked: list[str] = []
    for item in sorted(with_papers, key=lambda i: -((i.end_page or 0) - (i.start_page or 0))):
        recs = [k for k in item.key_points if k.kind == "recommendation"]
        recs = [k for k in recs if "attached" not in k.text and "proposed decision" not in k.text]
        rec = next((k for k in recs if _DECISIVE.search(k.text)), recs[0] if recs else None)
        if rec and len(asked) < 2:
            text = re.sub(r"\b(is|are) (asked|recommended|invited|requested)\b", r"was \2", rec.text, count=1)
            text = text.replace("were asked", "was asked")
            if len(text.split()) <= 45:
                asked.append(text)
    parts += asked
    procedural = [i.title for i in items if not i.has_papers]
    if len(procedural) > _SYNOPSIS_TITLES:
        parts.append(f"{len(procedural)} further items had no papers.")
    elif procedural:
        parts.append(
            f"{_join_words(procedural)} {'was' if len(procedural) == 1 else 'were'} also on the agenda,"
            " with no papers."
        )
    return " ".join(parts)
