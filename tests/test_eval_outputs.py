"""``summarise eval --out``: each meeting's summary and a readable diff against the baseline's; hints that
repeat the user's own flags."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest

from summarise.cli import main
from summarise.engines.model.prompts import packaged_prompts_dir
from summarise.evaluation import run_eval


@pytest.fixture
def fixtures_copy(fixtures_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """conftest's copy of the eval fixtures, replayed only, as in CI."""
    monkeypatch.setenv("CI", "true")
    return fixtures_copy


@pytest.mark.parametrize("engine", ["llm", "extractive"])
def test_update_baseline_stores_each_meetings_summary_beside_it(fixtures_copy: Path, engine: str) -> None:
    shutil.rmtree(fixtures_copy / "baseline", ignore_errors=True)
    outcome = run_eval(fixtures_copy, engine=engine, update_baseline=True)  # type: ignore[arg-type]
    stored = fixtures_copy / "baseline" / engine / "sample.md"
    assert stored.read_text(encoding="utf-8") == outcome.run.meetings[0].summary_markdown
    assert stored.read_text(encoding="utf-8").startswith("# ")


def test_out_writes_the_summary_and_a_diff_against_the_baselines(
    fixtures_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_eval(fixtures_copy, engine="extractive", update_baseline=True)
    stored = fixtures_copy / "baseline" / "extractive" / "sample.md"
    lines = stored.read_text(encoding="utf-8").splitlines(keepends=True)
    changed = next(i for i, line in enumerate(lines) if line.startswith("- "))
    old_line = lines[changed]
    lines[changed] = "- A point the baseline had and this run does not.\n"
    stored.write_text("".join(lines), encoding="utf-8")

    out = tmp_path / "out"
    code = main(["eval", str(fixtures_copy), "--engine", "extractive", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    summary = (out / "sample.md").read_text(encoding="utf-8")
    assert summary.startswith("# ") and old_line in summary
    diff = (out / "sample.diff").read_text(encoding="utf-8")
    assert diff.startswith("--- baseline/sample.md\n+++ sample.md\n@@ ")
    assert "-- A point the baseline had and this run does not.\n" in diff
    assert f"+{old_line}" in diff
    assert len(diff.splitlines()) < 12  # the change and a little context, not the whole summary
    assert f"sample: +1 -1 lines against the baseline's summary ({out / 'sample.diff'})" in err


def test_out_without_a_baseline_summary_writes_the_summary_and_says_so(
    fixtures_copy: Path, tmp_path: Path
) -> None:
    shutil.rmtree(fixtures_copy / "baseline", ignore_errors=True)
    outcome = run_eval(fixtures_copy, engine="extractive", out=tmp_path / "out")
    assert (tmp_path / "out" / "sample.md").is_file()
    assert not (tmp_path / "out" / "sample.diff").exists()
    assert any("no baseline summary to compare with" in note for note in outcome.notes)


def test_out_unchanged_says_so(fixtures_copy: Path, tmp_path: Path) -> None:
    run_eval(fixtures_copy, update_baseline=True)
    outcome = run_eval(fixtures_copy, out=tmp_path / "out")
    assert (tmp_path / "out" / "sample.diff").read_text(encoding="utf-8") == "(no change)\n"
    assert any("summary unchanged from the baseline's" in note for note in outcome.notes)


def test_re_record_hint_repeats_the_users_own_flags(
    fixtures_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "my prompts"
    shutil.copytree(packaged_prompts_dir(), prompts)
    target = prompts / "item_summary.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nBe brief.\n", encoding="utf-8")
    args = [
        str(fixtures_copy),
        "--prompts",
        str(prompts),
        "--model",
        "gpt-4o-mini",
        "--report",
        str(tmp_path / "r.md"),
    ]
    code = main(["-v", "eval", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert f"`summarise eval {shlex.join(args)} --record`" in err  # quoted: the folder has a space


def test_a_first_local_run_records_a_meeting_never_recorded(
    fixtures_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Record once: outside CI, with a model, a meeting with no recording is recorded, then replayed."""
    from summarise import errors
    from summarise.testing import FakeOpenAIServer

    shutil.rmtree(fixtures_copy / "cassettes")
    monkeypatch.delenv("CI")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(errors.CassetteMissError, match="no recorded model responses"):
        run_eval(fixtures_copy)  # no model to record against: says how
    with FakeOpenAIServer(seed=1) as server:
        first = run_eval(fixtures_copy, base_url=server.base_url, api_key="synthetic")
        assert server.stats.calls > 0
    assert not first.run.meetings[0].error
    assert list((fixtures_copy / "cassettes" / "sample").glob("*.yaml"))
    monkeypatch.setenv("CI", "true")  # now CI replays what was recorded
    again = run_eval(fixtures_copy)
    assert again.run.meetings[0].scores == first.run.meetings[0].scores


def test_in_ci_a_missing_recording_is_never_recorded(fixtures_copy: Path) -> None:
    from summarise import errors
    from summarise.testing import FakeOpenAIServer

    shutil.rmtree(fixtures_copy / "cassettes")
    with FakeOpenAIServer() as server:
        with pytest.raises(errors.CassetteMissError, match="no recorded model responses"):
            run_eval(fixtures_copy, base_url=server.base_url, api_key="synthetic")
        assert server.stats.calls == 0
