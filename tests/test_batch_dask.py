"""``--dask``: ingest and the offline engine on Dask distributed, model calls through one client."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_batch import make_meeting

import summarise
from summarise.batch import cluster as batch_cluster
from summarise.cli import app as cli
from summarise.errors import ConfigurationError, InputNotFoundError
from summarise.testing import FakeOpenAIServer

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("papers")
    for n in range(3):
        make_meeting(folder / f"meeting-{n}.pdf", 200 + n)
    return folder


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """A small LocalCluster of worker processes, as a scheduler address to connect to."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def test_meetings_are_read_on_the_workers_and_the_model_is_called_from_here(
    papers: Path, scheduler: str, tmp_path: Path
) -> None:
    entries: list[Any] = [*sorted(papers.glob("*.pdf")), papers / "missing.pdf"]
    with FakeOpenAIServer(seed=6) as server:
        results = list(
            summarise.summarise_many(
                entries, engine="llm", base_url=server.base_url, cache_dir=tmp_path, dask=scheduler
            )
        )
        served = server.stats.calls
    by_id = {r.meeting_id: r for r in results}
    assert isinstance(by_id.pop("missing").error, InputNotFoundError)  # raised on a worker, typed here
    assert all(r.status == "ok" and r.usage.calls > 0 for r in by_id.values())
    assert served == sum(r.usage.calls for r in by_id.values())  # one client, every call counted once
    with distributed.Client(scheduler) as client:
        read_there = client.run(lambda: "summarise.batch.reading" in sys.modules)
    assert any(read_there.values())


def test_the_cli_runs_an_offline_batch_on_a_local_cluster(
    papers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    on_workers: list[str] = []
    submit = batch_cluster.Cluster.summarise_offline

    async def counted(self: batch_cluster.Cluster, spec: Any, settings: Any) -> Any:
        on_workers.append(spec.meeting_id)
        return await submit(self, spec, settings)

    monkeypatch.setattr(batch_cluster.Cluster, "summarise_offline", counted)
    out = tmp_path / "out"
    argv = ["batch", str(papers), "-o", str(out), "--engine", "extractive", "--dask", "local", "-q"]
    assert cli.main([*argv, "--cache-dir", str(tmp_path)]) == 0
    assert sorted(on_workers) == ["meeting-0", "meeting-1", "meeting-2"]
    rows = json.loads((out / "index.json").read_text())["meetings"]
    assert [r["status"] for r in rows] == ["ok"] * 3 and all(r["items"] == 3 for r in rows)
    assert capsys.readouterr().err == ""  # distributed's INFO lines stay quiet without -v


def test_an_unreachable_scheduler_is_a_one_line_configuration_error(
    papers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_cluster, "CONNECT_TIMEOUT", "1s")  # distributed retries until then
    with pytest.raises(ConfigurationError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"):
        next(summarise.summarise_many([papers / "meeting-0.pdf"], engine="extractive",
                                      dask="tcp://127.0.0.1:9"))  # fmt: skip
