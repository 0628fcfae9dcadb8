"""The model engine: map over chunks, reduce per item, then synopsis and glossary.

Items run concurrently (bounded by ``Settings.concurrency``); the synopsis
waits for them. An item that fits the budget takes one call; a longer one is
cut into chunks (see :mod:`summarise.engines.model.plan`) whose notes are reduced once per
item, in batches if the notes themselves pass the budget: no quadratic refine.
Output cut off by the token limit is never re-sent as is: the chunk is halved.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal, TypeVar

import openai
from pydantic import BaseModel

from summarise._version import __version__
from summarise.engines.base import MODEL
from summarise.engines.model.budget import (
    MAX_NOTES,
    answer_cap,
    item_budget,
    item_values,
    kind_rules,
    meeting_label,
    plan_chunks,
    prompt_tokens,
    room_for_source,
    summary_values,
)
from summarise.engines.model.client import ModelClient
from summarise.engines.model.meter import Meter
from summarise.engines.model.plan import Chunk, halve
from summarise.engines.model.prompts import load_prompt, prompt_versions
from summarise.engines.model.protocol import fence, format_source, neutralise, notes_source
from summarise.engines.model.steps import ChunkNotes, GlossaryDraft, ItemDraft, Note, SynopsisDraft, TermDraft
from summarise.engines.model.terms import (
    PackTerms,
    pack_terms,
    retrieved,
    summary_text,
    term_contexts,
    undefined_acronyms,
)
from summarise.errors import TruncatedOutputError
from summarise.glossary import Definition, attach_footnotes
from summarise.models.meeting import AgendaItem, Meeting
from summarise.models.summary import (
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
    Usage,
)
from summarise.settings import Settings
from summarise.text.tokens import count_tokens, split_to_budget

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
ENGINE = MODEL

NO_PAPERS_NOTE = "No papers were published with the agenda for this item."
MAX_HALVINGS = 3
MAX_SYNOPSIS_WORDS = 120


def clamp_pages(pages: Sequence[int], item: AgendaItem) -> list[int]:
    """Keep the cited pages that lie inside the item; the rest would be false citations."""
    allowed = item.page_range
    return sorted({p for p in pages if p in allowed})


class ModelEngine:
    """The model engine (``engine="llm"``): one per run, holding one client and its concurrency limit."""

    name = ENGINE

    def __init__(
        self,
        settings: Settings,
        *,
        client: openai.AsyncOpenAI | None = None,
        model_client: ModelClient | None = None,
    ) -> None:
        """``client``: your own ``AsyncOpenAI`` (left open); ``model_client``: a prepared one, shared
        with other engines (a batch's meetings) and left open: its owner closes it."""
        self.settings = settings
        self.client = model_client or ModelClient(settings, openai_client=client)
        self._owns_client = model_client is None
        self.meter = Meter()  # this engine's own calls, when the client serves other engines too
        self.left_out_tokens = 0  # repeated page furniture not sent (see engines.model.furniture)
        # Per-meeting memos, by id(meeting) (and item number): an engine asked about two meetings
        # never gives one meeting's item the other's values, papers or terms. _meetings keeps each
        # meeting seen (_seen), so that its id is not reused.
        self._meetings: dict[int, Meeting] = {}
        self._values: dict[tuple[int, str], dict[str, Any]] = {}
        self._plans: dict[tuple[int, str], tuple[list[Chunk], int]] = {}
        self._planned: set[int] = set()
        self._terms: dict[int, asyncio.Future[PackTerms]] = {}  # read_terms_soon

    @property
    def usage(self) -> Usage:
        return self.meter.usage

    def provenance(self) -> Provenance:
        return Provenance(
            engine=self.name,
            model=self.settings.model,
            prompt_hashes=prompt_versions(self.settings.prompts_dir),
            library_version=__version__,
            created_at=dt.datetime.now(dt.UTC),
            source_tokens_left_out=self.left_out_tokens,
        )

    def _seen(self, meeting: Meeting) -> int:
        self._meetings.setdefault(id(meeting), meeting)
        return id(meeting)

    def _key(self, meeting: Meeting, item: AgendaItem) -> tuple[int, str]:
        return self._seen(meeting), item.number

    def values(self, meeting: Meeting, item: AgendaItem) -> dict[str, Any]:
        """The item's prompt values, worked out once per run: finding the kind of paper reads the
        whole pack (about 30 ms on 460 pages), and every call for the item needs them."""
        key = self._key(meeting, item)
        if key not in self._values:
            self._values[key] = item_values(meeting, item, self.settings)
        return self._values[key]

    def plan(self, meeting: Meeting, item: AgendaItem) -> tuple[list[Chunk], int]:
        """The item's chunks. The first item asked plans every item of the meeting (CPU only), so
        the items' first calls go out together rather than spread by each other's planning: the
        wall time of the model phase stays near its critical path."""
        if self._seen(meeting) not in self._planned:
            self._planned.add(id(meeting))
            for other in [item, *meeting.items]:
                key = self._key(meeting, other)
                if key not in self._plans:
                    self._plans[key] = plan_chunks(self.settings, meeting, other, self.values(meeting, other))
        planned = self._plans.pop(self._key(meeting, item), None)  # asked again (a repair): planned again
        return planned or plan_chunks(self.settings, meeting, item, self.values(meeting, item))

    async def aclose(self) -> None:
        if self._owns_client:
            await self.client.aclose()

    async def call(
        self,
        step: str,
        response_model: type[T],
        *,
        feedback: str | None = None,
        source_tokens: int | None = None,
        **values: Any,
    ) -> T:
        """One step's answer. ``source_tokens``: the size of the source it carries, which sets the
        answer's cap (:func:`~summarise.engines.model.budget.answer_cap`)."""
        prompt = load_prompt(step, self.settings.prompts_dir)
        # Titles, labels and terms come from the pack: neutralised like the fenced source itself.
        safe = {k: neutralise(v) if isinstance(v, str) and k != "source" else v for k, v in values.items()}
        messages: list[dict[str, Any]] = list(prompt.messages(**safe))
        version = prompt.version
        if feedback:
            repair = load_prompt("repair", self.settings.prompts_dir)
            messages.append({"role": "user", "content": repair.render(findings=neutralise(feedback))})
            version = f"{version}+{repair.version}"
        # The client bounds requests in flight (adaptively) and holds a slot only while one is
        # being answered, never through a retry's wait.
        with self.meter.active():
            result, _ = await self.client.structured(
                step=step,
                messages=messages,
                response_model=response_model,
                prompt_version=version,
                answer_tokens=answer_cap(self.settings, source_tokens),
            )
        return result

    # -- map ------------------------------------------------------------------------------------

    async def notes_for(
        self, meeting: Meeting, item: AgendaItem, chunk: Chunk, chunk_count: int, depth: int = 0
    ) -> list[Note]:
        try:
            notes = await self.call(
                "chunk_notes",
                ChunkNotes,
                **self.values(meeting, item),
                chunk_number=chunk.index + 1,
                chunk_count=chunk_count,
                max_notes=MAX_NOTES,
                source=chunk.source,
                source_tokens=chunk.tokens,
            )
        except TruncatedOutputError:
            pieces = halve(chunk, self.settings.model)
            if depth >= MAX_HALVINGS or len(pieces) < 2:
                raise
            log.info("item %s chunk %s: output truncated; halving the input", item.number, chunk.index)
            # Each piece is still "part N of M" of the item's papers.
            results = await asyncio.gather(
                *(
                    self.notes_for(meeting, item, replace(p, index=chunk.index), chunk_count, depth + 1)
                    for p in pieces
                )
            )
            return [n for group in results for n in group]
        return notes.notes

    # -- reduce ---------------------------------------------------------------------------------

    async def summarise_item(
        self, meeting: Meeting, item: AgendaItem, feedback: str | None = None
    ) -> ItemSummary:
        base = ItemSummary(
            number=item.number,
            title=item.title,
            start_page=item.start_page,
            end_page=item.end_page,
            has_papers=item.has_papers,
            documents=[d.title for d in item.documents],
        )
        chunks, left_out = self.plan(meeting, item)
        self.read_terms_soon(meeting)
        self.left_out_tokens += left_out
        if not chunks:
            base.has_papers = False
            base.note = NO_PAPERS_NOTE
            return base
        if len(chunks) == 1:
            try:
                source = chunks[0].source
                draft = await self.reduce(meeting, item, source, feedback)
            except TruncatedOutputError:
                # Never resend the same request: take notes on halves of the papers, then reduce those.
                log.info("item %s: summary truncated; summarising it in halves", item.number)
                halves = halve(chunks[0], self.settings.model)
                if len(halves) < 2:
                    raise
                draft = await self.reduce_notes(meeting, item, halves, feedback)
        else:
            draft = await self.reduce_notes(meeting, item, chunks, feedback)
        return self.apply_draft(base, draft, item)

    async def reduce_notes(
        self, meeting: Meeting, item: AgendaItem, chunks: Sequence[Chunk], feedback: str | None
    ) -> ItemDraft:
        groups = await asyncio.gather(*(self.notes_for(meeting, item, c, len(chunks)) for c in chunks))
        source = await self.condense(meeting, item, [n for g in groups for n in g])
        return await self.reduce(meeting, item, source, feedback)

    async def reduce(
        self, meeting: Meeting, item: AgendaItem, source: str, feedback: str | None
    ) -> ItemDraft:
        return await self.call(
            "item_summary",
            ItemDraft,
            **self.values(meeting, item),
            **summary_values(item),
            source=source,
            feedback=feedback,
        )

    async def condense(self, meeting: Meeting, item: AgendaItem, notes: list[Note]) -> str:
        """Notes as source text for the reduce call, re-noted in batches while over budget."""
        text = notes_source(notes)
        rounds = 0
        size = count_tokens(text, self.settings.model)
        budget = item_budget(self.settings, meeting, item, values=self.values(meeting, item))
        while size > budget and rounds < 3:
            rounds += 1
            batches = batch_notes(notes, budget, self.settings.model)
            results = await asyncio.gather(
                *(
                    self.call(
                        "chunk_notes",
                        ChunkNotes,
                        **self.values(meeting, item),
                        chunk_number=i + 1,
                        chunk_count=len(batches),
                        max_notes=MAX_NOTES,
                        source=notes_source(batch),
                    )
                    for i, batch in enumerate(batches)
                )
            )
            notes = [n for r in results for n in r.notes]
            text = notes_source(notes)
            smaller = count_tokens(text, self.settings.model)
            if smaller >= size:  # a round that does not shrink the notes will not shrink them later
                log.info("item %s: notes did not shrink (%d -> %d tokens)", item.number, size, smaller)
                break
            size = smaller
        window = item_budget(self.settings, meeting, item, capped=False, values=self.values(meeting, item))
        if size > window:  # too long for any call: keep what fits, in order
            kept = batch_notes(notes, window * 2, self.settings.model)[0]
            log.warning("item %s: %d of %d notes fit the window", item.number, len(kept), len(notes))
            text = notes_source(kept)
        return text

    def apply_draft(self, base: ItemSummary, draft: ItemDraft, item: AgendaItem) -> ItemSummary:
        base.paragraphs = [
            Paragraph(text=p.text.strip(), pages=clamp_pages(p.pages, item))
            for p in draft.paragraphs
            if p.text.strip()
        ]
        base.key_points = [
            KeyPoint(text=k.text.strip(), kind=k.kind, pages=clamp_pages(k.pages, item))
            for k in draft.key_points
            if k.text.strip()
        ]
        if draft.presenter and draft.presenter.name.strip():
            base.presenter = Presenter(name=draft.presenter.name.strip(), role=draft.presenter.role)
        return base

    # -- synopsis and glossary ------------------------------------------------------------------

    async def synopsis(self, meeting: Meeting, items: Sequence[ItemSummary]) -> str:
        max_words = MAX_SYNOPSIS_WORDS
        label, rules = meeting_label(meeting), kind_rules(self.settings, meeting)
        overhead = prompt_tokens(
            "synopsis", self.settings, meeting=label, kind_rules=rules, max_words=max_words
        )
        outline = synopsis_outline(items, room_for_source(self.settings, overhead), self.settings.model)
        while True:
            try:
                draft = await self.call(
                    "synopsis",
                    SynopsisDraft,
                    meeting=label,
                    kind_rules=rules,
                    max_words=max_words,
                    source=fence(neutralise(outline)),
                )
            except TruncatedOutputError:
                if max_words <= MAX_SYNOPSIS_WORDS // 4:
                    raise
                max_words //= 2  # a shorter answer: a different request, never the same one again
                log.info("synopsis truncated; asking for at most %d words", max_words)
                continue
            return draft.synopsis.strip()

    def read_terms_soon(self, meeting: Meeting) -> asyncio.Future[PackTerms]:
        """The pack's own definitions and words (:func:`pack_terms`), read once per meeting in a
        worker thread. Started as soon as the items are planned, so the half second of CPU it takes
        on a 460-page pack runs while the items wait for the model, not between the synopsis
        request and the glossary's (in the event loop it also held back the synopsis request)."""
        held = self._terms.get(self._seen(meeting))
        if held is not None and held.get_loop() is asyncio.get_running_loop():
            return held
        reading = self._terms[id(meeting)] = asyncio.ensure_future(asyncio.to_thread(pack_terms, meeting))
        reading.add_done_callback(retrieved)
        return reading

    async def definitions(self, meeting: Meeting, summary: MeetingSummary) -> dict[str, Definition]:
        """Source definitions first; the model's own only for terms the source never defines."""
        terms = await self.read_terms_soon(meeting)
        definitions = dict(terms.definitions)
        text = summary_text(summary)
        undefined = undefined_acronyms(text, definitions, terms.words)
        if not undefined:
            return definitions
        pack_pages = range(1, len(meeting.pages) + 1)
        for term in await self.define(meeting, undefined):
            name = term.term.strip()
            if name not in undefined:  # only what we asked about: no glossary of ordinary words
                continue
            pages = tuple(p for p in term.pages if p in pack_pages)
            # A definition the model says the source gives is checked against those pages by verify.
            origin: Literal["source", "model"] = "source" if term.defined_in_source and pages else "model"
            definitions[name] = Definition(
                term=name,
                text=term.definition.strip(),
                pages=pages if origin == "source" else (),
                origin=origin,
            )
        return definitions

    async def define(self, meeting: Meeting, terms: list[str]) -> list[TermDraft]:
        """The model's definitions of ``terms``; asked in halves when the answer is cut off."""
        try:
            draft = await self.call(
                "glossary",
                GlossaryDraft,
                meeting=meeting_label(meeting),
                terms=", ".join(terms),
                source=format_source(await asyncio.to_thread(term_contexts, meeting, terms)),
            )
        except TruncatedOutputError:
            if len(terms) < 2:
                log.warning("no model definition for %s: the answer was cut off", terms[0])
                return []
            half = len(terms) // 2
            parts = await asyncio.gather(
                self.define(meeting, terms[:half]), self.define(meeting, terms[half:])
            )
            return [t for part in parts for t in part]
        return draft.terms


def batch_notes(notes: Sequence[Note], budget: int, model: str | None) -> list[list[Note]]:
    batches: list[list[Note]] = [[]]
    used = 0
    for note in notes:
        cost = count_tokens(note.text, model) + 12
        if batches[-1] and used + cost > budget // 2:
            batches.append([])
            used = 0
        batches[-1].append(note)
        used += cost
    return batches


async def repair_with_model(
    summary: MeetingSummary,
    meeting: Meeting,
    findings: Mapping[str, str],
    settings: Settings,
    *,
    client: openai.AsyncOpenAI | None = None,
) -> MeetingSummary:
    """Re-ask once for each item in ``findings`` (item number -> what the check could not find)."""
    engine = ModelEngine(settings, client=client)
    try:
        by_number = {item.number: item for item in meeting.items}
        numbers = [n for n in findings if n in by_number]
        redone = await asyncio.gather(
            *(engine.summarise_item(meeting, by_number[n], feedback=findings[n]) for n in numbers)
        )
        replaced = dict(zip(numbers, redone, strict=True))
        items = [replaced.get(item.number, item) for item in summary.items]
        repaired = summary.model_copy(update={"items": items, "usage": summary.usage + engine.usage})
        return attach_footnotes(repaired, await engine.definitions(meeting, repaired), meeting.pages)
    finally:
        await engine.aclose()


def synopsis_outline(items: Sequence[ItemSummary], budget: int, model: str | None) -> str:
    """Each item's title and paragraphs for the synopsis call, cut to ``budget`` tokens.

    Over the budget, each item keeps only its first paragraph; still over, each paragraph is cut
    to an equal share, so every item stays in view whatever the window.
    """

    def outline(paragraphs_of: Callable[[ItemSummary], list[str]]) -> str:
        return "\n\n".join(
            f"Item {s.number}: {s.title}\n" + "\n".join(f"- {p}" for p in paragraphs_of(s)) + (s.note or "")
            for s in items
        )

    def cited(s: ItemSummary) -> list[str]:
        return [f"{p.text} (pages {', '.join(map(str, p.pages))})" for p in s.paragraphs]

    text = outline(cited)
    if count_tokens(text, model) <= budget:
        return text
    text = outline(lambda s: cited(s)[:1])
    if count_tokens(text, model) <= budget:
        return text
    share = max(16, budget // max(1, len(items)) - 24)
    return outline(lambda s: [split_to_budget(c, share, model)[0] for c in cited(s)[:1]])
