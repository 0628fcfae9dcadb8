"""``summarise batch --batch-api``: the run's calls as Batch API rounds, its index at the batch price,
resuming, and a run killed after its first batch was created picking that batch up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_runs import FAST, jobs, killed_after_first_batch
from test_batch import make_meeting

from summarise.cli import app as cli
from summarise.cli import batch as cli_batch
from summarise.engines.model.pricing import BATCH_PRICE_MULTIPLIER, PriceTable
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]
# The command in a child process, polling its batches as quickly as the tests' settings do.
CHILD = """
import sys
sys.path[:0] = [{root!r}, {tests!r}]
from batch_runs import FAST
from summarise.cli import app, batch
made = batch.cli_settings
batch.cli_settings = lambda args: made(args).with_overrides(**FAST)
raise SystemExit(app.main(sys.argv[1:]))
"""


@pytest.fixture()
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        running.prefixes.cached_tokens = lambda token_ids: 0  # type: ignore[method-assign]
        yield running


@pytest.fixture()
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    made = cli_batch.cli_settings
    monkeypatch.setattr(cli_batch, "cli_settings", lambda args: made(args).with_overrides(**FAST))


def papers(folder: Path, count: int) -> Path:
    for n in range(count):
        make_meeting(folder / f"meeting-{n}.pdf", 200 + n)
    return folder


def argv(papers: Path, out: Path, cache: Path, server: FakeOpenAIServer) -> list[str]:
    return [
        "batch", str(papers), "-o", str(out), "--engine", "llm", "--base-url", server.base_url,
        "--cache-dir", str(cache), "--batch-api",
    ]  # fmt: skip


def index(out: Path) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in json.loads((out / "index.json").read_text())["meetings"]}


@pytest.mark.usefixtures("fast")
def test_batch_api_run_writes_outputs_and_an_index_at_the_batch_price_and_resumes(
    server: FakeOpenAIServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = argv(papers(tmp_path / "papers", 4), out, cache, server)
    code, err = cli.main(command), capsys.readouterr().err
    assert code == 0, err
    rows = index(out)
    assert set(rows) == {f"meeting-{n}" for n in range(4)}
    for name, row in rows.items():
        assert row["status"] == "ok" and row["items"] == 3
        assert all((out / f"{name}.{suffix}").is_file() for suffix in ("json", "md", "html"))
    batches = list(server.batches.batches.values())
    assert 2 <= len(batches) <= 4  # the pipeline's stages, each holding every meeting's calls
    assert all(b.counts["total"] % 4 == 0 for b in batches)
    assert set(server.batches.lines_by_custom_id.values()) == {1}  # each distinct request: one line
    model = Settings.build().model
    for row in rows.values():
        full = PriceTable().estimate(model, row["input_tokens"], row["output_tokens"])
        assert row["cost_usd"] == pytest.approx(full.cost_usd * BATCH_PRICE_MULTIPLIER, abs=2e-6)
    totals = json.loads((out / "index.json").read_text())["totals"]
    assert totals["calls"] == sum(server.batches.lines_by_custom_id.values())
    assert totals["cost_usd"] == pytest.approx(sum(r["cost_usd"] for r in rows.values()))

    # Run again: every meeting finished, nothing redone, no batch made.
    made = len(batches)
    assert cli.main(command) == 0
    err = capsys.readouterr().err
    assert "4 finished earlier, not redone" in err and "] meeting-" not in err
    assert len(server.batches.batches) == made and len(index(out)) == 4


@pytest.mark.slow
def test_a_batch_run_killed_after_its_first_batch_picks_that_batch_up_when_run_again(
    server: FakeOpenAIServer, tmp_path: Path, fast: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = argv(papers(tmp_path / "papers", 3), out, cache, server)
    server.batches.delay = 3600.0  # the first batch stays in progress while the run is killed
    script = CHILD.format(root=str(ROOT), tests=str(ROOT / "tests"))
    first = killed_after_first_batch(server, script, command, ROOT)
    assert first.counts["total"] > 0 and not list((out / ".batch").glob("*.json"))  # nothing finished
    server.batches.delay = 0.0

    code, err = cli.main(command), capsys.readouterr().err
    assert code == 0, err
    assert all(row["status"] == "ok" for row in index(out).values()) and len(index(out)) == 3
    # The first round's requests were answered by the killed run's batch: none sent again.
    assert set(server.batches.lines_by_custom_id.values()) == {1}
    assert server.batches.batches[first.id].status == "completed"
    recorded = jobs(cache)
    assert first.id in {batch_id for _, _, batch_id in recorded}
    assert all(state == "done" for _, state, _ in recorded)
