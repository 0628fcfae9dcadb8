"""The offline engine (``extractive``): a summary built from the pack's own sentences.

No model, no network, no downloads. Per agenda item we split the item's pages
into sentences (:mod:`summarise.text.sentences`), keep the ones that read as
prose (:mod:`.prose`), rank them (:mod:`.rank`) and keep the most central ones
within a word budget, in source order, each citing the pages it came from
(:mod:`.select`, which also finds the key points: recommendations and figures).
Sentences never cross items. The presenter comes from the item's first pages
(:mod:`.presenter`); the synopsis says what the meeting was scheduled to
consider (:mod:`.synopsis`).

Items with no papers get a one-line note and nothing else. An item with
sub-items is summarised over the parent's pages (or the sub-items' span when
the parent has none), plus one key point for each sub-item not already
represented. A "Minutes of ..." item gets one line saying the minutes were
submitted for approval: summarising the previous meeting's decisions would
read as this meeting's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

from summarise.engines.base import OFFLINE
from summarise.engines.extractive.bare import (
    action_titles,
    front_note,
    listed_entries,
    minutes_topics,
    table_rows,
)
from summarise.engines.extractive.presenter import find_people, find_presenter
from summarise.engines.extractive.prose import is_prose
from summarise.engines.extractive.rank import ANAPHOR, ANAPHOR_PENALTY, TERM_BONUS, Scorer, rank, term_pattern
from summarise.engines.extractive.select import complete, figure_points, paragraphs, recommendations, select
from summarise.engines.extractive.synopsis import MINUTES, synopsis
from summarise.engines.extractive.voice import attribute, kind_points
from summarise.glossary.definitions import Definition, find_definitions
from summarise.ingest.kinds import item_kind, meeting_kind
from summarise.ingest.spans import clean_title
from summarise.models.meeting import AgendaItem, Meeting, Page
from summarise.models.summary import ItemSummary, KeyPoint, Paragraph, Person, Presenter
from summarise.text.sentences import TERMINAL, Sentence, sentences_of_pages

# The engine's interface (the synopsis is written in its own module and used from here).
__all__ = ["ENGINE", "clean_title", "summarise_item", "synopsis"]

log = logging.getLogger(__name__)

ENGINE = OFFLINE


def _budget_words(n_pages: int) -> int:
    return max(100, min(350, 80 + 3 * n_pages))


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


# Agenda boilerplate before what a US agenda item is about.
_CONSIDERATION = re.compile(
    r"^Consideration and possible (?:vote for )?approval, adoption, denial, amendment,? or revision of\s+"
    r"(?:an?\s+|the\s+)?",
    re.IGNORECASE,
)


# In minutes, motions are reported as decisions (with their vote), not quoted again.
_MOVED = re.compile(r"\bmoved\s+to\b|\bseconded\b")


def _short(title: str, words: int = 8) -> str:
    title = _CONSIDERATION.sub("", title)
    title = title[:1].upper() + title[1:]
    parts = title.split()
    return title if len(parts) <= words else " ".join(parts[:words]) + "…"


def _within(pages: Iterable[int], start: int, end: int) -> list[int]:
    return sorted({p for p in pages if start <= p <= end})


def _merge_people(first: list[Person], more: list[Person]) -> list[Person]:
    names = {(p.name, p.part) for p in first}
    return first + [p for p in more if (p.name, p.part) not in names]


def _as_sentence(point: KeyPoint) -> Sentence:
    return Sentence(point.text, tuple(point.pages), -1, -1, False, "", False)


_SUB_ITEM_LINES = 12
_LABEL = re.compile(r"^\s*(?:[A-Za-z]{1,2}|\d{1,2})[.)]\s+")
_CODES = re.compile(r"(?:\s*\[[^\]]*\])+(?:\s*[\d‐-]+)?\s*$|\s*\(CD[‐-]\d+\)")


def _sub_item_line(meeting: Meeting, sub: AgendaItem) -> str | None:
    """A sub-item's own heading paragraph, without its label, agenda boilerplate or filing codes."""
    text = meeting.item_text(sub).strip()
    if not text:
        return None
    first = " ".join(text.split("\n\n")[0].split())
    first = _CODES.sub("", _LABEL.sub("", first)).strip()
    first = re.sub(r"(?:\s*\([^()]*\)\.?)+$", "", first).strip()  # "(Emergency Clause)" and asides
    first = _CONSIDERATION.sub("", first)
    words = first.split()
    if len(words) < 3:
        return None
    if len(words) > 45:
        first = " ".join(words[:45]).rstrip(",;:") + " …"
    if first.count("(") > first.count(")"):
        first = first[: first.rfind("(")].rstrip(" ,;") + " …"
    first = first[:1].upper() + first[1:]
    return first if first.endswith((".", "…", "?", "!")) else first + "."


def _break_at_sub_items(item: AgendaItem, pages: list[Page]) -> list[Page]:
    """``pages`` with a blank line where each sub-item begins, so no sentence runs from one
    sub-item into the next (minutes and agendas put many on one page)."""
    offsets: dict[int, set[int]] = {}
    base = {span.page: span.start for span in item.spans}
    stack = list(item.sub_items)
    while stack:
        sub = stack.pop()
        stack.extend(sub.sub_items)
        for span in sub.spans:
            offsets.setdefault(span.page, set()).add(span.start - base.get(span.page, 0))
    out = []
    for page in pages:
        text = page.text
        for at in sorted(offsets.get(page.number, ()), reverse=True):
            if 0 < at < len(text):
                text = f"{text[:at]}\n\n{text[at:]}"
        out.append(page.model_copy(update={"text": text}) if text != page.text else page)
    return out


def summarise_item(
    meeting: Meeting,
    item: AgendaItem,
    scorer: Scorer | None = None,
    position: bool = True,
    definitions: Mapping[str, Definition] | None = None,
) -> ItemSummary:
    """One item's summary from its own pages only (``scorer``/``position``: see :func:`rank`).

    ``definitions``: the pack's, from :func:`~summarise.glossary.definitions.find_definitions`
    (found here when not given).
    """
    span = item.pages_span
    title = " ".join(item.title.split())  # as the agenda prints it, decision number included
    documents = [d.title for d in item.documents]
    if span is None:
        return ItemSummary(
            number=item.number,
            title=title,
            has_papers=False,
            note="No papers were published for this item.",
        )
    start, end = span
    pages = meeting.item_pages(item)  # cut where it shares a page with another item
    starts = [p for p in pages if any(p.number == d.start_page for d in item.documents)]
    presenter = find_presenter(pages[:2]) or find_presenter(starts)
    people = find_people(pages[:2]) or find_people(starts)
    pack_kind = meeting_kind(meeting)
    kind = item_kind(meeting, item, pack_kind)
    summary = ItemSummary(
        number=item.number,
        title=title,
        start_page=start,
        end_page=end,
        presenter=presenter,
        people=people,
        kind=kind,
        documents=documents,
    )
    if MINUTES.match(title) and pack_kind != "minutes":  # the previous meeting's record
        topics = minutes_topics(meeting.item_text(item))
        text = "The minutes of the previous meeting were submitted for approval as a correct record"
        cited = list(range(start, end + 1)) if topics else [start]  # the headings are on any page
        summary.paragraphs = [Paragraph(text=f"{text}; {topics}." if topics else f"{text}.", pages=cited)]
        return summary

    sentences = sentences_of_pages(_break_at_sub_items(item, pages))
    early = {n for n in range(start, start + 3)} | {
        n for d in item.documents for n in range(d.start_page, d.start_page + 2)
    }
    recs, rec_used = recommendations(sentences)
    recs = [(text, pages) for text, pages in recs if pages and pages[0] in early]
    candidates = [
        s
        for s in sentences
        if is_prose(s)
        and (not s.listed or TERMINAL.search(s.text))
        and s.index not in rec_used
        and _plain(s.text) not in _plain(item.title)  # the item's own heading
        and not (kind == "minutes" and (_MOVED.search(s.text) or _CONSIDERATION.match(s.text)))
    ]
    scores = rank(candidates, scorer=scorer, position=position)
    if definitions is None:
        definitions = find_definitions(meeting.pages)
    local = {
        term: d
        for term, d in definitions.items()
        if any(start <= p <= end for _, sense_pages in d.senses or ((d.text, d.pages),) for p in sense_pages)
    }
    defined = term_pattern(local)
    scores = [
        score
        * (ANAPHOR_PENALTY if ANAPHOR.match(s.text) else 1.0)
        * (TERM_BONUS if defined and defined.search(s.text) else 1.0)
        for score, s in zip(scores, candidates, strict=True)
    ]
    selected = complete(
        select(candidates, scores, _budget_words(len(pages)), [t for t, _ in recs]), sentences
    )
    selected = attribute(selected, kind, item)
    decided, named = kind_points(meeting, item, kind, pages)
    summary.people = _merge_people(summary.people, named)
    if summary.presenter is None and summary.presenters:
        first = summary.presenters[0]
        summary.presenter = Presenter(name=first.name, role=first.role)
    summary.paragraphs = [
        Paragraph(text=p.text, pages=_within(p.pages, start, end)) for p in paragraphs(selected)
    ]
    points = decided
    points += [KeyPoint(text=t, pages=_within(p, start, end), kind="recommendation") for t, p in recs[:6]]
    taken = {s.index for s in selected}
    figures = figure_points(candidates, scores, taken, limit=4)
    for point in figures:
        point.text = next((s.text for s in attribute([_as_sentence(point)], kind, item)), point.text)
    points += figures
    listed = kind in {"agenda", "minutes"} and bool(item.sub_items)
    if listed:  # an agenda's sub-items are its content: what each one is, in its own words
        lines = [(line, sub) for sub in item.sub_items if (line := _sub_item_line(meeting, sub))]
        for line, sub in lines[:_SUB_ITEM_LINES]:
            span = sub.pages_span or (start, start)
            points.append(KeyPoint(text=line, pages=_within(range(span[0], span[0] + 1), start, end)))
        if len(lines) > _SUB_ITEM_LINES:
            # no count: a number the pages do not print would read to the verifier as an unsupported figure
            points.append(KeyPoint(text="The item lists further matters, not shown here."))
    for sub in item.sub_items if not listed else ():
        if sub.pages_span is None:
            continue
        s_start, s_end = sub.pages_span
        own = _plain(meeting.item_text(sub))
        inside = [
            (score, s)
            for score, s in zip(scores, candidates, strict=True)
            if s_start <= min(s.pages) <= s_end and _plain(s.text) in own
        ]
        if inside and not any(
            s_start <= min(p.pages, default=0) <= s_end for p in points + summary.paragraphs
        ):
            _, best = sorted(inside, key=lambda x: (-x[0], x[1].index))[0]
            points.append(
                KeyPoint(
                    text=f"{_short(clean_title(sub.title))}: {best.text}",
                    pages=_within(best.pages, start, end),
                )
            )
    if kind == "agenda":  # an agenda's attachments: numbered rows with amounts, resolution titles
        attached = [*table_rows(meeting.item_text(item)), *action_titles(meeting.item_text(item))]
        points += [KeyPoint(text=t, pages=_within(range(start, end + 1), start, end)) for t in attached]
    if not summary.paragraphs and not points:  # a list under the heading, or the front sheet's note
        entries = listed_entries(meeting.item_text(item))
        points += [KeyPoint(text=t, pages=[start]) for t in entries]
    summary.key_points = points
    if not summary.paragraphs and not points:
        words = sum(len(p.text.split()) for p in pages)
        summary.note = (
            "The papers give no detail for this item beyond its title."
            if words < 40
            else "The papers for this item have no prose to summarise (tables or images only)."
        )
        front = front_note(meeting, title)
        if front:
            summary.note = summary.note[:-1] + f"; the agenda's front sheet notes: {front}"
    return summary
