"""Each kind of paper told as a reader needs it (see :mod:`summarise.ingest.kinds`).

- minutes: each recorded motion, its mover and seconder, the vote and the outcome, in the past tense,
  and who spoke in public comment on what;
- motions and amendments: each proposal with its proposer and seconder, and the outcome where the
  pack states it (a covering letter's "considered and debated but not agreed by the Council");
  every quoted sentence is attributed to the group whose paper it comes from;
- questions: who asked whom, what was asked and the reply, each quoted in its speaker's mouth;
- report packs and supplementary packs keep "is asked to"; a first-person sentence ("we propose",
  "our residents") is attributed to the report rather than stated as fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from summarise.engines.extractive.outcomes import (
    attributed,
    first_person,
    group_of,
    minutes_outcomes,
    minutes_presenters,
    proposals,
    public_speakers,
    questions,
    stated_outcome,
)
from summarise.engines.extractive.presenter import find_people
from summarise.models.meeting import AgendaItem, Meeting, Page
from summarise.models.summary import DocumentKind, KeyPoint, Person
from summarise.text.sentences import Sentence


def kind_points(
    meeting: Meeting, item: AgendaItem, kind: DocumentKind, pages: Sequence[Page]
) -> tuple[list[KeyPoint], list[Person]]:
    """Decisions (minutes) or proposals (motions) as key points, and the people they name."""
    points: list[KeyPoint] = []
    people: list[Person] = []
    if kind == "minutes" and meeting.pages and item.start_page != meeting.pages[0].number - 1:
        people += minutes_presenters(pages)
        for outcome in minutes_outcomes(pages):
            points.append(KeyPoint(text=outcome.text, pages=list(outcome.pages), kind="decision"))
            people += outcome.people
        for spoken in public_speakers(pages):
            points.append(KeyPoint(text=spoken.text, pages=list(spoken.pages), kind="other"))
            people += spoken.people
    elif kind == "questions":
        for qa in questions(pages):
            points.append(KeyPoint(text=qa.text, pages=list(qa.pages), kind="other"))
            people += qa.people
    elif kind == "motions":
        stated = stated_outcome(meeting.pages[: max(0, (item.start_page or 1) - 1)] or meeting.pages[:1])
        if stated:
            text, page = stated
            points.append(KeyPoint(text=f"The covering letter says: “{text}”", pages=[page], kind="decision"))
        for proposal in proposals(pages):
            points.append(KeyPoint(text=proposal.text, pages=list(proposal.pages), kind="other"))
            people += proposal.people
    return points, _unique(people)


def item_people(meeting: Meeting, item: AgendaItem, kind: DocumentKind) -> list[Person]:
    """Everyone the item's own pages name, with their part: the report's From: line (or its first
    document's), and the movers, seconders, proposers, questioners and speakers its kind records.

    Read from the pages, never from a model's answer, so any engine can name them safely.
    """
    pages = meeting.item_pages(item)
    if not pages:
        return []
    starts = [p for p in pages if any(p.number == d.start_page for d in item.documents)]
    _, named = kind_points(meeting, item, kind, pages)
    return _unique([*(find_people(pages[:2]) or find_people(starts)), *named])


def _unique(people: Sequence[Person]) -> list[Person]:
    seen: dict[tuple[str, str], Person] = {}
    for person in people:
        seen.setdefault((person.name, person.part), person)
    return list(seen.values())


_NAMES_ITS_SOURCE = re.compile(
    r"\bGroup\b|\b(?:amendment|motion)\s+(?:seeks|proposes|would)\b", re.IGNORECASE
)


def attribute(
    sentences: Sequence[Sentence], kind: DocumentKind, item: AgendaItem, default: str = "the report"
) -> list[Sentence]:
    """Sentences with partisan or first-person text put in its author's mouth."""
    out = []
    for s in sentences:
        source = None
        if kind == "motions" and (first_person(s.text) or not _NAMES_ITS_SOURCE.search(s.text)):
            doc = next(
                (d for d in item.documents if s.pages and d.start_page <= s.pages[0] <= d.end_page), None
            )
            group = group_of(doc.title) if doc else None
            source = f"{group}'s paper" if group else "the proposers' paper"
        elif first_person(s.text) and kind in {"report_pack", "supplementary", "questions", "agenda"}:
            source = "the question paper" if kind == "questions" else default
        out.append(replace(s, text=attributed(s.text, source)) if source else s)
    return out
