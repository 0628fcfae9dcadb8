"""What a model run would cost, worked out before any call.

Counts the source tokens each planned call carries (the same plan the model
engine follows) plus the prompt text around them, and assumes each call's
answer uses a typical share of its output budget. An estimate, not a quote:
the re-asks and retries a run may need are not in it. With ``batch_api`` the
cost is at the Batch API's price (``BATCH_PRICE_MULTIPLIER``), as a run's is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Unpack

from summarise.engines.model.budget import (
    MAX_NOTES,
    item_budget,
    item_values,
    kind_rules,
    meeting_label,
    plan_chunks,
    prompt_tokens,
    room_for_source,
    summary_values,
)
from summarise.engines.model.pricing import BATCH_PRICE_MULTIPLIER, PriceTable, priced_for
from summarise.models.meeting import AgendaItem, Meeting
from summarise.settings import Settings, SettingsOverrides

# Typical answer sizes in tokens, from the step models' shapes (notes list, item draft, ...).
EXPECTED_OUTPUT = {"chunk_notes": 500, "item_summary": 700, "synopsis": 250, "glossary": 600}
NOTES_AS_SOURCE = 200  # one call's notes as the reduce call reads them (text and pages, no JSON)
# One item's paragraphs in the synopsis outline: short papers get short summaries.
OUTLINE_BASE, OUTLINE_SHARE, OUTLINE_MOST = 60, 20, 320
GLOSSARY_SOURCE = 300  # the paragraphs that show how the asked-about terms are used


@dataclass(frozen=True)
class Estimate:
    model: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    price_known: bool
    conditional_calls: int = 0  # counted in ``calls``, made only if the answers need them (glossary)
    left_out_tokens: int = 0  # source tokens not sent: repeated headers, table heads, footers
    batch_api: bool = False  # the cost is at the Batch API's price

    @property
    def fewest_calls(self) -> int:
        return self.calls - self.conditional_calls

    def describe(self) -> str:
        cost = f"${self.cost_usd:.4f}" if self.price_known else "unknown (no price for this model)"
        if self.batch_api and self.price_known:
            cost += f" (Batch API price: {BATCH_PRICE_MULTIPLIER:g}x)"
        calls = f"{self.fewest_calls}-{self.calls}" if self.conditional_calls else str(self.calls)
        return (
            f"model {self.model}: about {calls} calls, {self.input_tokens:,} input tokens, "
            f"{self.output_tokens:,} output tokens; estimated cost {cost}"
            + (
                f"; {self.left_out_tokens:,} tokens of repeated headers and footers not sent"
                if self.left_out_tokens
                else ""
            )
        )


@dataclass
class _Tally:
    calls: Counter[str] = field(default_factory=Counter)
    input_tokens: int = 0
    left_out_tokens: int = 0

    def add(self, step: str, tokens: int, times: int = 1) -> None:
        self.calls[step] += times
        self.input_tokens += tokens


def _item(tally: _Tally, config: Settings, meeting: Meeting, item: AgendaItem) -> int:
    """Add one item's calls, as the engine plans them; return its tokens in the synopsis outline."""
    shared = item_values(meeting, item, config)
    budget = item_budget(config, meeting, item, values=shared)
    chunks, left_out = plan_chunks(config, meeting, item, shared)
    tally.left_out_tokens += left_out
    if not chunks:
        return 0
    outline = min(OUTLINE_BASE + sum(c.tokens for c in chunks) // OUTLINE_SHARE, OUTLINE_MOST)
    summary = prompt_tokens("item_summary", config, **shared, **summary_values(item))
    if len(chunks) == 1:
        tally.add("item_summary", summary + chunks[0].tokens)
        return outline
    notes = prompt_tokens("chunk_notes", config, **shared, chunk_number=9, chunk_count=9, max_notes=MAX_NOTES)
    tally.add("chunk_notes", sum(c.tokens for c in chunks) + notes * len(chunks), len(chunks))
    source = len(chunks) * NOTES_AS_SOURCE
    for _ in range(3):  # condense rounds, as the engine runs them: batches of half the budget
        if source <= budget:
            break
        batches = -(-source // max(budget // 2, 1))
        tally.add("chunk_notes", source + notes * batches, batches)
        source = batches * NOTES_AS_SOURCE
    tally.add("item_summary", summary + min(source, budget))
    return outline


def estimate_run(
    meeting: Meeting, settings: Settings | None = None, **overrides: Unpack[SettingsOverrides]
) -> Estimate:
    """Tokens and cost of a model run over ``meeting``, before any call."""
    config = Settings.from_env(**overrides) if settings is None else settings.with_overrides(**overrides)
    tally = _Tally()
    outline = sum(_item(tally, config, meeting, item) for item in meeting.items)
    label, rules = meeting_label(meeting), kind_rules(config, meeting)
    synopsis = prompt_tokens("synopsis", config, meeting=label, kind_rules=rules, max_words=120)
    tally.add("synopsis", synopsis + min(outline, room_for_source(config, synopsis)))
    tally.add("glossary", prompt_tokens("glossary", config, meeting=label) + GLOSSARY_SOURCE)
    output_tokens = sum(EXPECTED_OUTPUT[step] * n for step, n in tally.calls.items())
    cost = PriceTable(config.prices, config.price_file).estimate(
        config.model, tally.input_tokens, output_tokens
    )
    cost_usd = priced_for(config, cost.cost_usd)
    calls = sum(tally.calls.values())
    # The glossary call is made only for terms the summary uses and the papers never define.
    return Estimate(
        config.model,
        calls,
        tally.input_tokens,
        output_tokens,
        cost_usd,
        cost.known,
        conditional_calls=1,
        left_out_tokens=tally.left_out_tokens,
        batch_api=config.batch_api,
    )
