"""How much source text one call can carry, and the values every item's prompts share.

A call's window holds its prompt, the source text and the answer's cap. The prompt's own text is
measured (the step's template filled with this item's values, framing included), not guessed, so
the source gets the rest. The answer's cap follows the source it answers (:func:`answer_cap`: a
quarter of it, at least ``ANSWER_FLOOR``, at most ``max_output_tokens``), so a small window is not
held back for an answer that notes or a summary never need. The client still checks each request
before sending it: a schema sent in the prompt shrinks that request's answer cap, never the window.
"""

from __future__ import annotations

from typing import Any

from summarise.engines.model.plan import Chunk, plan_item_counted
from summarise.engines.model.prompts import load_prompt
from summarise.ingest.kinds import item_kind, meeting_kind
from summarise.models.meeting import AgendaItem, Meeting
from summarise.settings import Settings
from summarise.text.tokens import chat_tokens

SAFETY = 32  # tokens of slack for chat templates that frame messages more heavily than OpenAI's
MAX_NOTES = 12
MAX_POINTS = 6
MAX_ITEM_WORDS = 220
# Twelve notes or a 220-word summary with six key points take 600-900 tokens of JSON: every
# answer may have this many, and a quarter of its source when that is more.
ANSWER_FLOOR = 1_024
ANSWER_SHARE = 4


def meeting_label(meeting: Meeting) -> str:
    info = meeting.info
    parts = [info.body or "council meeting", info.date.strftime("%-d %B %Y") if info.date else None]
    return ", ".join(p for p in parts if p)


_KIND_LABELS = {
    "report_pack": "report pack",
    "agenda": "agenda without reports",
    "minutes": "set of minutes",
    "questions": "questions and answers paper",
    "motions": "set of motions and amendments",
    "supplementary": "supplementary pack",
}
# Each kind's writing rules are a prompt file of their own (``prompts/kind_<rules>.md``), so a prompt
# carries only the rules of the paper in hand. Agendas and supplementary packs propose, as report packs do.
_KIND_RULES = {"minutes": "minutes", "questions": "questions", "motions": "motions"}


def paper_kind(meeting: Meeting, item: AgendaItem | None = None) -> str:
    """The kind of paper (:mod:`summarise.ingest.kinds`): the item's own where it differs."""
    kind = meeting_kind(meeting)
    return kind if item is None else item_kind(meeting, item, kind)


def document_kind(meeting: Meeting, item: AgendaItem | None = None) -> str:
    """The kind of paper as the prompts name it."""
    return _KIND_LABELS[paper_kind(meeting, item)]


def kind_rules(settings: Settings, meeting: Meeting, item: AgendaItem | None = None) -> str:
    """The writing rules for this kind of paper (minutes report outcomes; a report pack proposes)."""
    kind = paper_kind(meeting, item)
    rules = load_prompt(f"kind_{_KIND_RULES.get(kind, 'report_pack')}", settings.prompts_dir)
    return rules.render(document_kind=_KIND_LABELS[kind]).strip()


def item_values(meeting: Meeting, item: AgendaItem, settings: Settings) -> dict[str, Any]:
    """The placeholders the item's prompts share."""
    return {
        "meeting": meeting_label(meeting),
        "kind_rules": kind_rules(settings, meeting, item),
        "item_number": item.number,
        "item_title": item.title,
    }


def summary_values(item: AgendaItem) -> dict[str, Any]:
    """The item summary prompt's own placeholders, besides the source."""
    docs = "; ".join(f"{d.title} (pages {d.start_page}-{d.end_page})" for d in item.documents)
    return {
        "pages": f"{item.start_page}-{item.end_page}",
        "documents": docs or "one report",
        "max_words": MAX_ITEM_WORDS,
        "max_points": MAX_POINTS,
    }


def prompt_tokens(step: str, settings: Settings, **values: Any) -> int:
    """Tokens of ``step``'s messages filled with ``values`` and an empty source."""
    prompt = load_prompt(step, settings.prompts_dir)
    filled = {name: "" if name == "source" else values.get(name, "") for name in prompt.placeholders}
    return chat_tokens(prompt.messages(**filled), settings.model)


def answer_cap(settings: Settings, source_tokens: int | None) -> int:
    """The output cap of a call carrying ``source_tokens`` of source (None: ``max_output_tokens``)."""
    if source_tokens is None:
        return settings.max_output_tokens
    return min(settings.max_output_tokens, max(ANSWER_FLOOR, source_tokens // ANSWER_SHARE))


def room_for_source(settings: Settings, overhead: int, *, capped: bool = True, scaled: bool = False) -> int:
    """Source tokens a call whose prompt costs ``overhead`` can carry beside its answer's cap:
    ``max_output_tokens``, or with ``scaled`` the cap that follows the source (:func:`answer_cap`).

    ``chunk_tokens`` caps it unless ``capped`` is False (what the window itself can hold).
    """
    free = settings.context_tokens - overhead - SAFETY
    room = max(free - settings.max_output_tokens, 16)
    if scaled:  # the largest source whose own cap still fits beside it
        room = max(room, min(free - ANSWER_FLOOR, free * ANSWER_SHARE // (ANSWER_SHARE + 1)))
    return room if settings.chunk_tokens is None or not capped else min(settings.chunk_tokens, room)


def item_budget(
    settings: Settings,
    meeting: Meeting,
    item: AgendaItem,
    *,
    capped: bool = True,
    values: dict[str, Any] | None = None,
) -> int:
    """Source tokens of ``item`` that one summary call carries (the answer's full cap beside them);
    also the most its notes may take when handed to that call."""
    shared = item_values(meeting, item, settings) if values is None else values
    summary = prompt_tokens("item_summary", settings, **shared, **summary_values(item))
    return room_for_source(settings, summary, capped=capped)


def notes_budget(settings: Settings, meeting: Meeting, item: AgendaItem, values: dict[str, Any]) -> int:
    """Source tokens per notes call, for an item too long for one summary call: a notes answer is
    capped by its source (:func:`answer_cap`), so it leaves the source more of the window."""
    notes = prompt_tokens(
        "chunk_notes", settings, **values, chunk_number=999, chunk_count=999, max_notes=MAX_NOTES
    )
    return room_for_source(settings, notes, scaled=True)


def plan_chunks(
    settings: Settings, meeting: Meeting, item: AgendaItem, values: dict[str, Any]
) -> tuple[list[Chunk], int]:
    """The item's chunks as the engine sends them, and the tokens left out as furniture: one chunk
    when it fits a summary call, else cut to the notes calls' budget."""
    chunks, left_out = plan_item_counted(
        meeting, item, item_budget(settings, meeting, item, values=values), settings.model
    )
    if len(chunks) > 1:
        chunks, left_out = plan_item_counted(
            meeting, item, notes_budget(settings, meeting, item, values), settings.model
        )
    return chunks, left_out
