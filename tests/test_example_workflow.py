"""The copyable GitHub Actions workflow in examples/ works: its summarise commands run here as written."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from summarise.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "examples" / "github-eval-workflow.yml"


def summarise_commands(workflow: dict[str, Any]) -> list[tuple[list[str], dict[str, str]]]:
    found = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            command = step.get("run", "")
            if command.startswith("summarise "):
                found.append((shlex.split(command)[1:], dict(step.get("env", {}))))
    return found


def test_the_workflow_runs_the_eval_replay_and_passes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    commands = summarise_commands(workflow)
    assert commands, "the workflow runs no summarise command"
    monkeypatch.chdir(ROOT)
    step_summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(tmp_path / "cache"))
    for argv, env in commands:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        outputs = {"eval-report.md", "eval-out"}
        argv = [str(tmp_path / a) if a in outputs else a for a in argv]  # outputs into tmp_path
        code = main(argv)
        assert code == 0, capsys.readouterr().err
    assert (tmp_path / "eval-report.md").read_text(encoding="utf-8").startswith("## summarise eval: pass")
    assert "## summarise eval: pass" in step_summary.read_text(encoding="utf-8")
    assert (tmp_path / "eval-out" / "sample.md").read_text(encoding="utf-8").startswith("# ")
    assert (tmp_path / "eval-out" / "sample.diff").is_file()  # the committed baseline has its summaries
    uploaded = workflow["jobs"]["eval"]["steps"][-1]["with"]["path"].split()
    assert uploaded == ["eval-report.md", "eval-out/"]
