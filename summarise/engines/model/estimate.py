"""What a model run would cost, worked out before any call.

Counts the source tokens each planned call carries (the same plan the model
engine follows) plus the prompt text around them, and assumes each call's
answer uses a typical share of its output budget. An estimate, not a quote:
the re-asks and retries a run may need are not in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Unpack

from summarise.engines.model.plan import plan_item
from summarise.engines.model.pricing import PriceTable
from summarise.engines.model.prompts import load_prompt
from summarise.models.meeting import Meeting
from summarise.settings import Settings, SettingsOverrides
from summarise.text.tokens import count_tokens

# Typical answer sizes in tokens, from the step models' shapes (notes list, item draft, ...).
EXPECTED_OUTPUT = {"chunk_notes": 500, "item_summary": 700, "synopsis": 250, "glossary": 600}


@dataclass(frozen=True)
class Estimate:
    model: str
    calls: int
    input_tokens: int
    output_tokens: int
    cost_usd: float
    price_known: bool

    def describe(self) -> str:
        cost = f"${self.cost_usd:.4f}" if self.price_known else "unknown (no price for this model)"
        return (
            f"model {self.model}: about {self.calls} calls, {self.input_tokens:,} input tokens, "
            f"{self.output_tokens:,} output tokens; estimated cost {cost}"
        )


def prompt_overhead(step: str, settings: Settings) -> int:
    """Tokens of a step's prompt with empty placeholders."""
    prompt = load_prompt(step, settings.prompts_dir)
    return count_tokens(prompt.render(**dict.fromkeys(prompt.placeholders, "")), settings.model)


def estimate_run(
    meeting: Meeting, settings: Settings | None = None, **overrides: Unpack[SettingsOverrides]
) -> Estimate:
    """Tokens and cost of a model run over ``meeting``, before any call."""
    config = Settings.from_env(**overrides) if settings is None else settings.with_overrides(**overrides)
    overhead = {step: prompt_overhead(step, config) for step in EXPECTED_OUTPUT}
    calls = {step: 0 for step in EXPECTED_OUTPUT}
    source_in = 0
    for item in meeting.items:
        chunks = plan_item(meeting, item, config.source_budget, config.model)
        if not chunks:
            continue
        source_in += sum(c.tokens for c in chunks)
        if len(chunks) > 1:
            calls["chunk_notes"] += len(chunks)
            source_in += len(chunks) * EXPECTED_OUTPUT["chunk_notes"]  # the notes feed the reduce call
        calls["item_summary"] += 1
    calls["synopsis"] = 1
    calls["glossary"] = 1
    item_calls = calls["item_summary"]
    source_in += item_calls * EXPECTED_OUTPUT["item_summary"] * 2  # synopsis and glossary read the drafts
    input_tokens = source_in + sum(overhead[s] * n for s, n in calls.items())
    output_tokens = sum(EXPECTED_OUTPUT[s] * n for s, n in calls.items())
    cost = PriceTable(config.prices, config.price_file).estimate(config.model, input_tokens, output_tokens)
    return Estimate(config.model, sum(calls.values()), input_tokens, output_tokens, cost.cost_usd, cost.known)
