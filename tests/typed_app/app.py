"""A small app using summarise's typed surface, as a developer would. mypy --strict must accept it."""

from __future__ import annotations

import summarise
from summarise import ItemSummary, MeetingSummary, Settings, Summariser, Usage


def titles(summary: MeetingSummary) -> list[str]:
    return [item.title for item in summary.items]


def cost(usage: Usage) -> float:
    return usage.estimated_cost_usd


def main() -> None:
    finished: list[ItemSummary] = []
    summariser = Summariser(Settings(), engine="extractive", concurrency=2)
    summary = summariser.summarise("examples/sample-pack.pdf", progress=False, on_item=finished.append)
    print(titles(summary), cost(summary.usage), len(finished))
    print(summarise.summarise_pack("examples/sample-pack.pdf", "extractive", max_cost=1.0).synopsis)
