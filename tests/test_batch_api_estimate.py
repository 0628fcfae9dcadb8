"""``summarise estimate --batch-api`` and ``estimate_run(batch_api=True)``: the Batch API's price."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import summarise
from summarise import Summariser
from summarise.cli import app as cli
from summarise.engines.model.estimate import estimate_run
from summarise.engines.model.pricing import BATCH_PRICE_MULTIPLIER

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


def test_the_estimate_through_the_batch_api_is_at_the_batch_price() -> None:
    meeting = summarise.load_pack(EXAMPLE)
    direct = estimate_run(meeting, model="gpt-4o-mini")
    batch = estimate_run(meeting, model="gpt-4o-mini", batch_api=True)
    assert direct.cost_usd > 0
    assert batch.cost_usd == pytest.approx(direct.cost_usd * BATCH_PRICE_MULTIPLIER, abs=1e-6)
    assert (batch.calls, batch.input_tokens, batch.output_tokens) == (
        direct.calls, direct.input_tokens, direct.output_tokens,
    )  # fmt: skip
    assert "Batch API price" in batch.describe() and "Batch API" not in direct.describe()
    through_api = Summariser(engine="llm", model="gpt-4o-mini", batch_api=True).estimate(EXAMPLE)
    assert through_api.cost_usd == batch.cost_usd


def test_estimate_batch_api_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    def cost(*extra: str) -> float:
        assert cli.main(["estimate", str(EXAMPLE), "--model", "gpt-4o-mini", *extra]) == 0
        found = re.search(r"estimated cost \$([0-9.]+)", capsys.readouterr().out)
        assert found is not None
        return float(found.group(1))

    assert cost("--batch-api") == pytest.approx(cost() * BATCH_PRICE_MULTIPLIER, abs=1e-4)
