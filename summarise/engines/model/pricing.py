"""Estimated cost of model calls, from a price table the user can override.

Prices are USD per one million tokens, as OpenAI published them when this
table was written; they change, so treat estimates as estimates and override
them (``Settings.prices`` or a JSON file
``{"model": {"input": 0.15, "output": 0.6, "cached_input": 0.075}}``). Input the provider served
from its prompt cache (``usage.prompt_tokens_details.cached_tokens``) costs the cached-input price.
A model the table does not know costs 0 and is flagged, never a crash.

>>> round(PriceTable().estimate("gpt-4o-mini", 1_000_000, 1_000_000).cost_usd, 2)
0.75
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarise.errors import BudgetExceededError, ConfigurationError
from summarise.models.summary import Usage
from summarise.settings import ModelPrice, Settings
from summarise.text.tokens import count_tokens

log = logging.getLogger(__name__)


DEFAULT_PRICES: dict[str, ModelPrice] = {
    name: ModelPrice(input=i, output=o, cached_input=c)
    for name, (i, o, c) in {  # input, output, cached input (None: no cache discount)
        "gpt-4o-mini": (0.15, 0.60, 0.075),
        "gpt-4o": (2.50, 10.00, 1.25),
        "gpt-4.1": (2.00, 8.00, 0.50),
        "gpt-4.1-mini": (0.40, 1.60, 0.10),
        "gpt-4.1-nano": (0.10, 0.40, 0.025),
        "gpt-4-turbo": (10.00, 30.00, None),
        "gpt-4": (30.00, 60.00, None),
        "gpt-3.5-turbo": (0.50, 1.50, None),
        "gpt-5": (1.25, 10.00, 0.125),
        "gpt-5-mini": (0.25, 2.00, 0.025),
        "gpt-5-nano": (0.05, 0.40, 0.005),
        "o1": (15.00, 60.00, 7.50),
        "o1-mini": (1.10, 4.40, 0.55),
        "o3": (2.00, 8.00, 0.50),
        "o3-mini": (1.10, 4.40, 0.55),
        "o4-mini": (1.10, 4.40, 0.275),
    }.items()
}

BATCH_PRICE_MULTIPLIER = 0.5  # the Batch API's discount on OpenAI (settings.batch_api)
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{4})$")


@dataclass(frozen=True)
class CostEstimate:
    cost_usd: float
    known: bool  # False: the model is not in the table and the cost shown is 0


class PriceTable:
    """Default prices, overridden by a JSON file, overridden by explicit prices."""

    def __init__(
        self, overrides: Mapping[str, ModelPrice] | None = None, price_file: Path | None = None
    ) -> None:
        self._prices: dict[str, ModelPrice] = dict(DEFAULT_PRICES)
        if price_file is not None:
            self._prices.update(load_price_file(price_file))
        if overrides:
            self._prices.update(overrides)
        self._warned: set[str] = set()

    def price_for(self, model: str) -> ModelPrice | None:
        """Exact name, then without a date suffix (``gpt-4o-mini-2024-07-18``), then a provider prefix."""
        for name in _candidates(model):
            if name in self._prices:
                return self._prices[name]
        return None

    def is_known(self, model: str) -> bool:
        return self.price_for(model) is not None

    def estimate(
        self, model: str, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0
    ) -> CostEstimate:
        """``cached_input_tokens``: the part of ``input_tokens`` served from the provider's cache."""
        price = self.price_for(model)
        if price is None:
            if model not in self._warned:
                self._warned.add(model)
                log.warning("no price known for model %r; its cost is counted as 0", model)
            return CostEstimate(0.0, known=False)
        cached = min(max(cached_input_tokens, 0), input_tokens)
        cached_price = price.input if price.cached_input is None else price.cached_input
        fresh = input_tokens - cached
        cost = (fresh * price.input + cached * cached_price + output_tokens * price.output) / 1_000_000
        return CostEstimate(round(cost, 9), known=True)  # nano-dollars: sums of small calls stay exact


def _candidates(model: str) -> list[str]:
    names = [model]
    if "/" in model:  # "openai/gpt-4o-mini" as some gateways spell it
        names.append(model.rsplit("/", 1)[1])
    names.extend([_DATE_SUFFIX.sub("", n) for n in names])
    return list(dict.fromkeys(names))


def load_price_file(path: Path) -> dict[str, ModelPrice]:
    """Read ``{"model": {"input": USD_per_1M, "output": USD_per_1M}}``."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("top level must be an object")
        return {str(name): ModelPrice.model_validate(value) for name, value in data.items()}
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"price file {path}: {exc}") from None


def priced_for(settings: Settings, cost_usd: float) -> float:
    """A cost at the price the settings' transport pays: the Batch API's discount with ``batch_api``."""
    return round(cost_usd * BATCH_PRICE_MULTIPLIER, 9) if settings.batch_api else cost_usd


class Budget:
    """``max_cost`` as a running account: a call is refused before it could take the total past it.

    A budget that cannot be counted is no budget: with ``max_cost`` set and no price known for the
    model, it fails closed (a ConfigurationError naming ``--prices``) rather than spend blind.
    """

    def __init__(self, settings: Settings, prices: PriceTable) -> None:
        self.settings = settings
        self.prices = prices
        self.price_known = prices.is_known(settings.model)
        self.reserved = 0.0  # worst cases of the calls in flight
        if settings.max_cost is not None and not self.price_known:
            raise ConfigurationError(
                f"the max_cost setting is set but no price is known for model {settings.model!r}: give "
                f"one in the prices setting ({settings.model}=IN,OUT in USD per 1M tokens) or "
                "SUMMARISE_PRICES (a JSON file)"
            )

    def cost(self, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0) -> float:
        model = self.settings.model
        cost = self.prices.estimate(model, input_tokens, output_tokens, cached_input_tokens).cost_usd
        return priced_for(self.settings, cost)

    def worst_case(self, messages: list[dict[str, Any]], schema: dict[str, Any], max_tokens: int) -> float:
        """The next call's input plus a full output cap, in USD (0 when no budget is set)."""
        if self.settings.max_cost is None:
            return 0.0
        text = json.dumps(messages, ensure_ascii=False) + json.dumps(schema)
        return self.cost(count_tokens(text, self.settings.model), max_tokens)

    def reserve(self, step: str, estimate: float, spent_so_far: Usage, spent: Usage) -> None:
        """Raise before a call that could pass ``max_cost``; else hold its estimate while it runs."""
        limit = self.settings.max_cost
        if limit is not None:
            committed = spent_so_far.estimated_cost_usd + self.reserved
            if committed + estimate > limit:
                raise BudgetExceededError(
                    f"{step}: the next call could cost up to ${estimate:.4f}; with ${committed:.4f} "
                    f"spent or in flight that would pass the max_cost setting ${limit:.4f}",
                    usage=spent,
                )
        self.reserved += estimate

    def release(self, estimate: float) -> None:
        self.reserved -= estimate
