"""The command line: one-line errors with the right exit codes, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarise.api import summarise_pack
from summarise.cli import app as cli
from summarise.models.summary import Finding

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_schema_prints_the_output_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    schema = json.loads(out)
    assert code == 0
    assert schema["title"] == "MeetingSummary"
    assert {"meeting", "synopsis", "items", "footnotes", "provenance"} <= set(schema["properties"])


def test_missing_pack_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.pdf"
    code, _, err = run(["ingest", str(missing)], capsys)
    assert code == 2
    assert str(missing) in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unwritable_output_fails_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_work(*args: object, **kwargs: object) -> None:
        raise AssertionError("work started before the output path was checked")

    monkeypatch.setattr("summarise.api.summarise_pack", no_work)
    target = tmp_path / "no-such-folder" / "out.md"
    code, _, err = run(["run", str(EXAMPLE), "-o", str(target), "--engine", "extractive"], capsys)
    assert code == 2
    assert "does not exist" in err
    code, _, err = run(["run", str(EXAMPLE), "-o", str(tmp_path), "--engine", "extractive"], capsys)
    assert code == 2
    assert "is a folder" in err


def test_unknown_engine_is_a_configuration_error() -> None:
    from summarise.api import resolve_engine
    from summarise.errors import ConfigurationError

    with pytest.raises(ConfigurationError):
        resolve_engine("gpt", {})


def test_auto_engine_depends_on_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    from summarise.api import resolve_engine

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    assert resolve_engine("auto", {}) == "extractive"
    assert resolve_engine("auto", {"base_url": "http://127.0.0.1:9/v1"}) == "llm"
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-synthetic")
    assert resolve_engine("auto", {}) == "llm"
    assert resolve_engine("extractive", {}) == "extractive"


def test_output_format_follows_suffix() -> None:
    assert cli.output_format(None, Path("a.html")) == "html"
    assert cli.output_format(None, Path("a.json")) == "json"
    assert cli.output_format(None, None) == "markdown"
    assert cli.output_format("json", Path("a.md")) == "json"
    assert cli.output_format("html", Path("a.pdf")) == "html"  # the user said which format


def test_an_output_suffix_that_names_no_format_is_refused_before_any_work(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(["run", str(EXAMPLE), "-o", str(tmp_path / "summary.pdf")], capsys)
    assert code == 2 and not (tmp_path / "summary.pdf").exists()
    assert err.count("\n") == 1 and ".md, .html or .json" in err and "Traceback" not in err


def test_quiet_short_flag_and_no_bars_when_stderr_is_not_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(["run", str(EXAMPLE), "-q", "-o", str(tmp_path / "s.md")], capsys)
    assert code == 0 and err == ""
    code, _, err = run(["run", str(EXAMPLE), "-o", str(tmp_path / "s.md")], capsys)  # stderr captured
    assert code == 0 and "it/s" not in err and "%|" not in err
    assert err.startswith("summarise: using the") and "7 items" in err


def test_help_gives_examples_and_every_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = capsys.readouterr().out
    assert "``" not in text  # no developer docstring
    assert "examples:" in text and "summarise run examples/sample-pack.pdf" in text
    for code in ("0 done", "1 evaluation regression", "2 bad input", "3 misleading", "4 the model", "5 done"):
        assert code in text
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    run_help = capsys.readouterr().out
    assert "a PDF (or several files of one meeting" in run_help and "output format" in run_help
    assert "extractive: offline" in run_help


def test_verify_exits_3_when_a_figure_is_unsupported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.json"
    assert cli.main(["run", str(EXAMPLE), "-o", str(out), "--engine", "extractive", "--quiet"]) == 0
    code, stdout, _ = run(["verify", str(out), str(EXAMPLE)], capsys)
    assert code == 0, stdout

    data = json.loads(out.read_text())
    paragraph = next(p for item in data["items"] for p in item["paragraphs"] if "£" in p["text"])
    paragraph["text"] += " The plan also costs £777.7 million."
    out.write_text(json.dumps(data))
    code, stdout, err = run(["verify", str(out), str(EXAMPLE)], capsys)
    assert code == 3
    assert "777.7" in stdout
    assert "unsupported claim" in err and "figure" in err


@pytest.mark.parametrize(
    ("added", "kind"),
    [
        (" Councillor Tamsin Pellow seconded the proposal.", "person"),  # nowhere in the pack
        (" The Cabinet unanimously agreed the plan.", "status"),  # the papers record no decision
    ],
)
def test_verify_exits_3_on_a_misleading_claim(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], added: str, kind: str
) -> None:
    out = tmp_path / "summary.json"
    assert cli.main(["run", str(EXAMPLE), "-o", str(out), "--engine", "extractive", "--quiet"]) == 0
    data = json.loads(out.read_text())
    paragraph = next(p for item in data["items"] for p in item["paragraphs"])
    paragraph["text"] += added
    out.write_text(json.dumps(data))
    code, stdout, err = run(["verify", str(out), str(EXAMPLE)], capsys)
    assert code == 3
    assert f"error   {kind}" in stdout
    assert f" {kind}: " in err


def test_verify_rejects_a_file_that_is_not_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}')
    code, _, err = run(["verify", str(bogus), str(EXAMPLE)], capsys)
    assert code == 2
    assert "bogus.json" in err and "Traceback" not in err


def test_estimate_prints_tokens_and_cost_without_calls(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["estimate", str(EXAMPLE), "--model", "gpt-4o-mini"], capsys)
    assert code == 0
    assert "gpt-4o-mini" in out and "input tokens" in out and "$" in out
    code, out, _ = run(["estimate", str(EXAMPLE), "--model", "some-local-model"], capsys)
    assert code == 0 and "unknown" in out


def test_max_cost_stops_before_exceeding(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from summarise.testing import FakeOpenAIServer

    with FakeOpenAIServer() as server:
        argv = ["run", str(EXAMPLE), "--engine", "llm", "--base-url", server.base_url, "--quiet"]
        code, _, err = run(
            [*argv, "--model", "gpt-4o", "--max-cost", "0.001", "--cache-dir", str(tmp_path)], capsys
        )
        served = server.stats.calls
        budget = ["--model", "gpt-4o", "--max-cost", "0.001", "--cache-dir", str(tmp_path)]
        strict, _, strict_err = run([*argv, *budget, "--no-fallback"], capsys)
    # Items past the budget are written by the offline engine, named on stderr (exit 5) ...
    assert code == 5
    assert "max-cost" in err.lower() and "fallback: item" in err and "Traceback" not in err
    assert served < 7  # it stopped before paying for the whole run
    # ... or, with --no-fallback, the run fails naming the item (exit 4).
    assert strict == 4 and "error: item " in strict_err and "max-cost" in strict_err


def test_every_model_option_reaches_the_settings() -> None:
    from summarise.settings import Settings

    args = cli.build_parser().parse_args(
        ["run", "x.pdf", "--model", "m", "--base-url", "http://127.0.0.1:1/v1", "--prompts", "p",
         "--concurrency", "3", "--max-cost", "0.5", "--structured", "json_object", "--timeout", "9",
         "--temperature", "0.2", "--seed", "4", "--max-reasks", "1", "--cache-dir", "c", "--no-cache"]
    )  # fmt: skip
    settings = cli.model_settings(args)
    assert set(settings) <= set(Settings.model_fields)
    assert len(settings) == 12 and settings["use_cache"] is False and settings["prompts_dir"] == Path("p")


def test_run_strict_exits_3_on_a_misleading_claim_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def misleading(*args: object, **kwargs: object) -> object:
        summary = summarise_pack(*args, **kwargs)  # type: ignore[arg-type]
        summary.verification.findings.append(
            Finding(
                kind="status", text="Cabinet unanimously agreed the plan.", item="2", message="no decision"
            )
        )
        return summary

    monkeypatch.setattr(cli, "summarise_pack", misleading)
    argv = ["run", str(EXAMPLE), "-o", str(tmp_path / "s.md"), "--engine", "extractive", "--quiet"]
    assert run(argv, capsys)[0] == 0  # without --strict the finding is listed, not fatal
    assert "Cabinet unanimously agreed the plan." in (tmp_path / "s.md").read_text()
    code, _, err = run([*argv, "--strict"], capsys)
    assert code == 3 and "item 2 status: 'Cabinet unanimously agreed the plan.'" in err


def test_prompts_export_copies_the_shipped_prompts_and_never_overwrites_by_accident(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from summarise.engines.model.prompts import packaged_prompts_dir, prompt_versions

    target = tmp_path / "my-prompts"
    code, out, _ = run(["prompts", "export", str(target)], capsys)
    shipped = sorted(packaged_prompts_dir().glob("*.md"))
    assert code == 0 and "--prompts" in out
    assert [f.name for f in shipped] == sorted(f.name for f in target.glob("*.md"))
    assert prompt_versions(target) == prompt_versions()  # same text, same hashes: the eval still replays
    (target / "synopsis.md").write_text("edited", encoding="utf-8")
    code, _, err = run(["prompts", "export", str(target)], capsys)
    assert code == 2 and "--force" in err and (target / "synopsis.md").read_text() == "edited"
    code, _, _ = run(["prompts", "export", str(target), "--force"], capsys)
    assert (
        code == 0
        and (target / "synopsis.md").read_bytes() == (packaged_prompts_dir() / "synopsis.md").read_bytes()
    )


def test_estimate_help_lists_only_the_options_that_change_an_estimate(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["estimate", "--help"])
    text = capsys.readouterr().out
    assert "--model" in text and "--prices" in text and "--context-tokens" in text
    for unrelated in (
        "--concurrency",
        "--timeout",
        "--temperature",
        "--structured",
        "--max-reasks",
        "--max-cost",
    ):
        assert unrelated not in text
