"""The meeting's synopsis: two to four sentences naming the topics and the headline figures or
decisions, in the tense the kind of paper allows.

- a report pack or agenda says what the body was scheduled to consider and what it was asked to
  do (the decisive recommendation carrying money first): the pack proposes, it does not decide;
  an agenda adds its notice's remote-attendance (else contact) line and any signed statement on a
  page no item covers (:mod:`.bare`);
- minutes say what the body did: how many recorded motions carried or failed, and the first one;
- motions and amendments say how many were put and what the pack says became of them.

Topics are the items with the most pages, by a short form of their titles, in agenda order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarise.engines.extractive.bare import notice_line, signed_statement
from summarise.ingest.kinds import meeting_kind
from summarise.models.meeting import Meeting
from summarise.models.summary import DocumentKind, ItemSummary
from summarise.text.figures import has_figure

# A "Minutes of ..." item: the previous meeting's record, submitted for approval.
MINUTES = re.compile(r"^\s*minutes\b", re.IGNORECASE)
_DECISIVE = re.compile(r"\basked to (?:\w+ )?(?:agree|approve|endorse|adopt|delegate|recommend)", re.I)
_CONSIDERATION = re.compile(
    r"^Consideration and possible (?:vote for )?approval, adoption, denial, amendment,? or revision of\s+"
    r"(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)
_PLURAL = re.compile(
    r"^(?:Members|Councillors|Councilors|Trustees|Governors|Commissioners|Directors|Officers)\b"
)
_TOPICS = 3


_PROCEDURAL = re.compile(
    r"^\W*(?:call to order|roll call|apologies|declarations?|public comments?|announcements?|adjourn"
    r"|approval of (?:the )?minutes|minutes|other business|any other business|urgent business|votes?$"
    r"|discussions?$)",
    re.IGNORECASE,
)


def _join_words(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    if any("," in p for p in parts):
        return "; ".join(parts[:-1]) + "; and " + parts[-1]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _topic(title: str, words: int = 9) -> str:
    title = _CONSIDERATION.sub("", title).strip(" .")
    if title.isupper():
        title = title.capitalize()
    parts = title.split()
    if len(parts) > words:
        cut = " ".join(parts[:words]).rstrip(",;:–-")
        title = cut + "…"
    return title


def _when(meeting: Meeting) -> str:
    info = meeting.info
    when = ""
    if info.date:
        when += f" on {info.date.strftime('%A')} {info.date.day} {info.date.strftime('%B %Y')}"
    if info.time:
        when += f" at {info.time}"
    return when


def _past_asked(text: str) -> str:
    """'Cabinet is asked to ...' -> 'Cabinet was asked to ...'; 'Members are asked' -> 'were'."""
    plural = bool(_PLURAL.match(text))
    verb = "were" if plural else "was"
    return re.sub(r"\b(?:is|are|were) (asked|recommended|invited|requested)\b", rf"{verb} \1", text, count=1)


def _headline(items: Sequence[ItemSummary]) -> list[str]:
    """Up to two recommendations: decisive ones carrying money first, from the largest items."""
    ranked = sorted(items, key=lambda i: -((i.end_page or 0) - (i.start_page or 0)))
    picks: list[tuple[int, int, str]] = []
    for order, item in enumerate(ranked):
        for point in item.key_points:
            if point.kind != "recommendation" or "attached" in point.text or len(point.text.split()) > 40:
                continue
            score = 2 * bool(_DECISIVE.search(point.text)) + 2 * has_figure(point.text)
            picks.append((-score, order, _past_asked(point.text)))
    picks.sort()
    chosen: list[str] = []
    seen_items: set[int] = set()
    for _, order, text in picks:
        if order in seen_items or len(chosen) == 2:
            continue
        chosen.append(text)
        seen_items.add(order)
    if not any(has_figure(c) for c in chosen):
        figures = [
            p.text
            for item in ranked
            for p in item.key_points
            if p.kind == "figure" and len(p.text.split()) <= 35 and "“" not in p.text
        ]
        chosen += [f"The papers state: {f}" for f in figures[:1]]
    return chosen


def _note(meeting: Meeting) -> str | None:
    """An agenda's own note on why the meeting was called ("Note – Meeting organised to ...")."""
    if not meeting.pages:
        return None
    found = re.search(r"\bNote\s*[–—-]\s*(.+?\.)(?=\s|$)", meeting.pages[0].text, re.DOTALL)
    if not found:
        return None
    text = " ".join(found.group(1).split())
    return text if 6 <= len(text.split()) <= 45 else None


def synopsis(meeting: Meeting, items: Sequence[ItemSummary], kind: DocumentKind | None = None) -> str:
    """Two to four sentences: who met when, on what, and the headline asks, figures or outcomes."""
    kind = kind or meeting_kind(meeting)
    body = meeting.info.body or "The meeting"
    who = body if body.lower().startswith("the ") else f"The {body}"
    when = _when(meeting)
    with_papers = [
        i
        for i in items
        if i.has_papers
        and not MINUTES.match(i.title)
        and not _PROCEDURAL.match(i.title)
        and i.paragraphs + i.key_points
    ]
    largest = sorted(with_papers, key=lambda i: -((i.end_page or 0) - (i.start_page or 0)))[:_TOPICS]
    topics = [_topic(i.title) for i in with_papers if i in largest]
    rest = len(with_papers) - len(topics)
    about = _join_words(topics + ([f"{rest} other item{'s' if rest > 1 else ''}"] if rest else []))

    if kind == "minutes":
        decisions = [p.text for i in items for p in i.key_points if p.kind == "decision"]
        carried = sum(1 for d in decisions if re.search(r"\bmotion (?:carried|passed)\b", d, re.I))
        failed = sum(1 for d in decisions if re.search(r"\bmotion (?:failed|lost|defeated)\b", d, re.I))
        parts = [f"{who} met{when}" + (f" and dealt with {about}." if about else ".")]
        if decisions:
            if carried == len(decisions):
                outcome = f"All {carried} recorded motions carried."
            else:
                outcome = f"Of {len(decisions)} recorded motions, {carried} carried and {failed} failed."
            parts.append(outcome)
        return " ".join(parts)

    if kind == "motions":
        proposals = [p.text for i in items for p in i.key_points if p.text.startswith("Amendment")]
        stated = next((p.text for i in items for p in i.key_points if p.kind == "decision"), None)
        parts = [f"{who} met{when}" + (f" on {about}." if about else ".")]
        if proposals:
            parts.append(
                f"The pack sets out {len(proposals)} amendments, each with its proposer and seconder."
            )
        if stated:
            parts.append(stated)
        return " ".join(parts)

    verb = "were" if re.search(r"\b(?:Members|Trustees|Commissioners)\b", who) else "was"
    parts = [f"{who} {verb} scheduled to meet{when}" + (f" to consider {about}." if about else ".")]
    note = _note(meeting) if kind == "agenda" else None
    if note:
        parts.append(f"The agenda notes: {note}")
    if kind == "agenda" and meeting.pages:  # how to attend, and any statement attached to no item
        covered = {n for i in items if i.start_page for n in range(i.start_page, (i.end_page or 0) + 1)}
        extra = [notice_line(meeting.pages[0].text)]
        extra.append(signed_statement([p.text for p in meeting.pages if p.number not in covered]))
        parts += [e for e in extra if e]
    parts += _headline(with_papers)
    if not with_papers:
        titled = [i.title for i in items]
        more = [f"{len(titled) - 6} more"] if len(titled) > 6 else []
        parts.append(f"The agenda lists {_join_words(titled[:6] + more)}.")
    return " ".join(parts[:4])
