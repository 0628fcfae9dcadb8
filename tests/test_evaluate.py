"""``summarise eval``: the project's own fixtures pass; prompt edits, degraded outputs and misses are caught.

Every replay here runs with socket connects forbidden (``no_connect``), so a pass
also proves the harness made no network call, not even to loopback.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from summarise import errors
from summarise.cli.app import EXIT_INPUT, EXIT_OK, EXIT_REGRESSION, main
from summarise.engines.model.prompts import packaged_prompts_dir, prompt_versions
from summarise.evaluation import (
    Baseline,
    EvalRun,
    MeetingResult,
    compare,
    describe_prompt_changes,
    find_recording,
    load_fixtures,
    parse_reference,
    run_eval,
)
from summarise.evaluation.metrics import WHOLE, Tolerance
from summarise.testing import FakeOpenAIServer, is_synthetic

pytest.importorskip("vcr")
pytest.importorskip("rouge_score")
from vcr.serializers import yamlserializer

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "eval"
BASELINE = FIXTURES / "baseline.json"
SAMPLE_PACK = ROOT / "examples" / "sample-pack.pdf"
MONEY = re.compile(r"£\d[\d,.]*(?: million)?")


@pytest.fixture
def no_connect(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fail on any socket connect, loopback included: replay must answer from the cassette alone."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise AssertionError(f"network call during replay: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setenv("CI", "true")
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return attempts


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["eval", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


# --- the committed fixtures ------------------------------------------------------------------------


def test_project_eval_passes_on_committed_fixtures(
    no_connect: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What CI runs (.ci/run): replay the synthetic cassettes, compare with the committed baseline."""
    report = tmp_path / "eval-report.md"
    code, out, err = run_cli(capsys, FIXTURES, "--baseline", BASELINE, "--report", report)
    assert code == EXIT_OK, err
    assert no_connect == []
    assert "agenda_coverage" in out and "regression" not in out
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## summarise eval: pass")
    assert "synthetic" in text and "| sample | rouge1 |" in text


def test_github_step_summary_gets_the_report_and_small_moves_read_as_within_tolerance(
    no_connect: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarise.evaluation.baseline import _status
    from summarise.evaluation.metrics import Tolerance

    step = tmp_path / "step-summary.md"
    step.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step))
    code, _, err = run_cli(capsys, FIXTURES, "--baseline", BASELINE)
    assert code == EXIT_OK, err
    text = step.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## summarise eval: pass")  # appended, as Actions expects
    tolerance = Tolerance("higher", abs=0.05)
    assert _status(tolerance, 0.80, 0.78) == "within tolerance"
    assert _status(tolerance, 0.80, 0.70) == "regression"


def test_committed_fixtures_are_synthetic_and_from_the_example_pack_only() -> None:
    fixtures = load_fixtures(FIXTURES)
    assert [f.packs for f in fixtures] == [(SAMPLE_PACK.resolve(),)]
    cassettes = sorted((FIXTURES / "cassettes").rglob("*.yaml"))
    assert cassettes and all(is_synthetic(c) for c in cassettes)
    assert "synthetic" in (FIXTURES / "README.md").read_text(encoding="utf-8").lower()
    # The committed cassette serves the prompts in the package now: none changed since recording.
    recording = find_recording(FIXTURES, "sample", prompt_versions())
    assert recording.synthetic and is_synthetic(recording.cassette)
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert baseline["engines"]["llm"]["prompt_set"] == recording.prompt_set
    assert {"llm", "extractive"} <= set(baseline["engines"])


def test_extractive_engine_is_scored_by_the_same_harness(
    no_connect: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(capsys, FIXTURES, "--engine", "extractive", "--baseline", BASELINE)
    assert code == EXIT_OK, err
    outcome = run_eval(FIXTURES, engine="extractive")
    scores = outcome.run.meetings[0].scores
    assert scores["schema_valid"] == 1.0 and scores["agenda_coverage"] == 1.0
    assert scores["calls"] == 0 and scores["cost_usd"] == 0  # no model at all
    assert 0 < scores["rouge1"] < 1 and "rougeL" in scores
    assert outcome.compared


# --- a prompt change --------------------------------------------------------------------------------


def test_prompt_edit_names_the_prompt_its_hashes_and_the_re_record_step(
    no_connect: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = tmp_path / "prompts"
    shutil.copytree(packaged_prompts_dir(), prompts)
    before = prompt_versions(prompts)["item_summary"]
    target = prompts / "item_summary.md"
    target.write_text(target.read_text(encoding="utf-8") + "\nKeep every sentence short.\n", encoding="utf-8")
    after = prompt_versions(prompts)["item_summary"]
    assert before != after

    report = tmp_path / "report.md"
    code, out, err = run_cli(
        capsys, FIXTURES, "--baseline", BASELINE, "--prompts", prompts, "--report", report
    )
    assert code == EXIT_INPUT
    assert f"prompt 'item_summary' changed: {before} -> {after}" in err
    assert f"{before} -> {after}" in report.read_text(encoding="utf-8")
    assert "--record" in err and "OPENAI_API_KEY or --base-url" in err
    assert "synopsis" not in err.split("changed:")[0]  # only the edited prompt is named
    assert no_connect == []
    assert out == ""  # nothing was scored


def test_an_added_prompt_alone_still_replays(
    no_connect: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A prompt the recorded calls never used does not invalidate them."""
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "brand_new_step.md").write_text("Say $what.\n", encoding="utf-8")
    assert "brand_new_step" in prompt_versions(prompts)
    code, _, err = run_cli(capsys, FIXTURES, "--baseline", BASELINE, "--prompts", prompts)
    assert code == EXIT_OK, err
    assert no_connect == []


def test_describe_prompt_changes_lists_added_and_removed() -> None:
    lines = describe_prompt_changes({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"})
    assert lines == ["prompt 'b' changed: 2 -> 9", "prompt 'c' removed (was 3)", "prompt 'd' added (4)"]


def test_a_request_the_cassette_lacks_is_a_miss_not_a_network_call(
    no_connect: list[Any], fixtures_copy: Path
) -> None:
    """Same prompts but a setting that changes every request body: CassetteMissError, nothing sent."""
    record = next((fixtures_copy / "cassettes" / "sample").glob("*.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    data["settings"]["max_output_tokens"] = 2048
    record.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        errors.CassetteMissError,
        match=r"the request starting 'Meeting: .* is not in .*ask differently.*--record",
    ):
        run_eval(fixtures_copy)
    assert no_connect == []


def test_no_recording_at_all_says_how_to_record(no_connect: list[Any], fixtures_copy: Path) -> None:
    shutil.rmtree(fixtures_copy / "cassettes")
    with pytest.raises(errors.CassetteMissError, match=r"no recorded model responses.*--record"):
        run_eval(fixtures_copy)


# --- degraded outputs -------------------------------------------------------------------------------


def edit_cassette(folder: Path, edit: Callable[[list[dict[str, Any]]], None]) -> None:
    """Apply ``edit`` to the parsed interactions of the (one) cassette in ``folder``, in place."""
    path = next((folder / "cassettes" / "sample").glob("*.yaml"))
    data = yamlserializer.deserialize(path.read_text(encoding="utf-8"))
    edit(data["interactions"])
    for interaction in data["interactions"]:
        response = interaction["response"]
        size = len(response["body"]["string"].encode("utf-8"))
        for name in list(response["headers"]):
            if name.lower() == "content-length":
                response["headers"][name] = [str(size)]
    path.write_text(yamlserializer.serialize(data), encoding="utf-8")


def request_of(interaction: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(interaction["request"]["body"])
    return body


def item_answer(interactions: list[dict[str, Any]], number: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The item_summary interaction for agenda item ``number`` and its parsed answer."""
    for interaction in interactions:
        user = request_of(interaction)["messages"][-1]["content"]
        if f"Agenda item {number}:" in user:
            body = json.loads(interaction["response"]["body"]["string"])
            return interaction, json.loads(body["choices"][0]["message"]["content"])
    raise AssertionError(f"no item_summary call for item {number}")


def set_answer(interaction: dict[str, Any], answer: dict[str, Any]) -> None:
    body = json.loads(interaction["response"]["body"]["string"])
    body["choices"][0]["message"]["content"] = json.dumps(answer)
    interaction["response"]["body"]["string"] = json.dumps(body)


def edit_requests(interactions: list[dict[str, Any]], old: str, new: str) -> None:
    """Later calls (synopsis, glossary) quote the item's paragraphs: keep them consistent."""
    for interaction in interactions:
        request = request_of(interaction)
        if "Agenda item " in request["messages"][-1]["content"]:
            continue  # an item's own call: its source is the pack, which has not changed
        changed = False
        for message in request["messages"]:
            if old in message["content"]:
                message["content"] = message["content"].replace(old, new)
                changed = True
        if changed:
            interaction["request"]["body"] = json.dumps(request)


def drop_item(number: str) -> Callable[[list[dict[str, Any]]], None]:
    def edit(interactions: list[dict[str, Any]]) -> None:
        interaction, answer = item_answer(interactions, number)
        paragraphs = answer["paragraphs"]
        set_answer(interaction, {**answer, "paragraphs": [], "key_points": []})
        # The synopsis outline lists each item's paragraphs under its title: the item's list goes.
        lines = "\n".join(f"- {p['text']} (pages {', '.join(map(str, p['pages']))})" for p in paragraphs)
        edit_requests(interactions, lines, "")

    return edit


def change_figure(number: str) -> Callable[[list[dict[str, Any]]], None]:
    """Change the first money figure in item ``number``'s answer to one its pages never give."""

    def edit(interactions: list[dict[str, Any]]) -> None:
        interaction, answer = item_answer(interactions, number)
        source = request_of(interaction)["messages"][-1]["content"]
        text = json.dumps(answer, ensure_ascii=False)
        found = MONEY.search(text)
        assert found, f"no money figure in item {number}'s recorded answer"
        old = found.group(0)
        new = next(f"£{d}{old[1:]}" for d in "987654321" if f"£{d}{old[1:]}" not in source)
        set_answer(interaction, json.loads(text.replace(old, new)))
        edit_requests(interactions, old, new)

    return edit


def refuse_item(number: str) -> Callable[[list[dict[str, Any]]], None]:
    """The model refused item ``number``: the run cannot produce a summary for the meeting."""

    def edit(interactions: list[dict[str, Any]]) -> None:
        interaction, _ = item_answer(interactions, number)
        body = json.loads(interaction["response"]["body"]["string"])
        body["choices"][0]["message"].update(content=None, refusal="I can't help with that.")
        interaction["response"]["body"]["string"] = json.dumps(body)

    return edit


@pytest.mark.parametrize(
    ("edit", "metric"),
    [
        (drop_item("5"), "agenda_coverage"),
        (change_figure("4"), "unsupported_figures"),
        (refuse_item("6"), "schema_valid"),
    ],
    ids=["drop-an-item", "change-a-figure", "refusal"],
)
def test_degraded_outputs_fail_naming_the_metric(
    edit: Callable[[list[dict[str, Any]]], None],
    metric: str,
    fixtures_copy: Path,
    no_connect: list[Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    edit_cassette(fixtures_copy, edit)
    report = tmp_path / "report.md"
    baseline = fixtures_copy / "baseline.json"
    code, out, err = run_cli(capsys, fixtures_copy, "--baseline", baseline, "--report", report)
    assert code == EXIT_REGRESSION, err
    assert f"sample: {metric} " in err
    assert any(line.split()[1] == metric and "regression" in line for line in out.splitlines()[1:])
    text = report.read_text(encoding="utf-8")
    assert text.startswith("## summarise eval: REGRESSION") and f"| sample | {metric} |" in text
    assert no_connect == []


# --- recording ------------------------------------------------------------------------------------


def test_record_refuses_without_a_model_or_under_ci(
    fixtures_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CI"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(errors.ConfigurationError, match=r"needs a model.*OPENAI_API_KEY.*--base-url"):
        run_eval(fixtures_copy, record=True)
    monkeypatch.setenv("CI", "true")
    code, _, err = run_cli(capsys, fixtures_copy, "--record", "--base-url", "http://127.0.0.1:9/v1")
    assert code == EXIT_INPUT and "refused under CI" in err


@pytest.mark.slow
def test_a_real_pack_records_into_tmp_path_then_replays(
    shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Real packs are evaluated from cassettes recorded at test time, never committed ones."""
    monkeypatch.delenv("CI", raising=False)
    fixtures = tmp_path / "real"
    (fixtures / "kent").mkdir(parents=True)
    pack = shared_data / "packs" / "kent-cabinet-2025-03-13-reports-pack.pdf"
    (fixtures / "kent" / "meeting.toml").write_text(f'packs = ["{pack.as_posix()}"]\n', encoding="utf-8")
    with FakeOpenAIServer(seed=3) as server:
        recorded = run_eval(
            fixtures, record=True, update_baseline=True, base_url=server.base_url, api_key="test"
        )
        calls = server.stats.calls
    assert calls > 0 and not recorded.failed
    assert recorded.run.meetings[0].scores["calls"] == calls
    cassette = next((fixtures / "cassettes" / "kent").glob("*.yaml"))
    assert is_synthetic(cassette)

    monkeypatch.setenv("CI", "true")
    code, out, err = run_cli(capsys, fixtures, "--baseline", fixtures / "baseline.json")
    assert code == EXIT_OK, err
    assert out.count("same") >= 10


# --- scoring and comparison -------------------------------------------------------------------------


def test_parse_reference_splits_by_item_heading() -> None:
    text = "intro\n\n## 3\nFirst.\n\n## Item 4: Budget\nSecond.\nMore.\n"
    assert parse_reference(text) == {"3": "First.", "4": "Second.\nMore."}
    assert parse_reference("Just prose.") == {WHOLE: "Just prose."}


@pytest.mark.parametrize(
    ("tolerance", "base", "value", "regressed"),
    [
        (Tolerance("higher"), 1.0, 0.99, True),
        (Tolerance("higher", abs=0.02), 0.30, 0.29, False),
        (Tolerance("lower", abs=1.0), 2.0, 3.5, True),
        (Tolerance("lower", rel=0.2), 100, 119, False),
        (Tolerance("lower", rel=0.2), 100, 121, True),
        (Tolerance("either", rel=0.25), 100, 70, True),
        (Tolerance("either", rel=0.25), 100, 124, False),
    ],
)
def test_tolerance_direction_and_size(
    tolerance: Tolerance, base: float, value: float, regressed: bool
) -> None:
    assert tolerance.regressed(base, value) is regressed


def test_compare_flags_missing_meetings_and_metrics_but_not_new_ones() -> None:
    baseline = Baseline.empty()
    baseline.engines["llm"] = {
        "meetings": {"a": {"agenda_coverage": 1.0, "rouge1": 0.3}, "gone": {"calls": 1}}
    }
    run = EvalRun(
        "llm", {}, [MeetingResult("a", {"agenda_coverage": 1.0, "calls": 5}), MeetingResult("b", {})]
    )
    status = {(c.meeting, c.metric): c.status for c in compare(run, baseline)}
    assert status == {
        ("a", "agenda_coverage"): "same",
        ("a", "calls"): "new",
        ("a", "rouge1"): "missing",
        ("gone", "calls"): "missing",
    }


def test_update_baseline_keeps_tolerances_and_other_engines(
    fixtures_copy: Path, no_connect: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = fixtures_copy / "baseline.json"
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["tolerances"]["rouge1"] = {"direction": "higher", "abs": 0.5}
    del data["engines"]["extractive"]
    baseline.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run_cli(capsys, fixtures_copy, "--engine", "extractive", "--update-baseline")
    assert code == EXIT_OK, err
    written = json.loads(baseline.read_text(encoding="utf-8"))
    assert written["tolerances"]["rouge1"] == {"direction": "higher", "abs": 0.5}
    assert written["engines"]["llm"] == data["engines"]["llm"]
    assert written["engines"]["extractive"]["meetings"]["sample"]["agenda_coverage"] == 1.0


def test_bad_baseline_and_fixtures_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigurationError, match="no such baseline"):
        run_eval(FIXTURES, baseline=tmp_path / "none.json", engine="extractive")
    (tmp_path / "bad.json").write_text('{"tolerances": {"calls": {"direction": "up"}}}', encoding="utf-8")
    with pytest.raises(errors.ConfigurationError, match="direction must be"):
        run_eval(FIXTURES, baseline=tmp_path / "bad.json", engine="extractive")
    with pytest.raises(errors.ConfigurationError, match=r"no <meeting>/meeting\.toml"):
        run_eval(tmp_path, engine="extractive")


def test_metrics_follow_the_summary(no_connect: list[Any]) -> None:
    """Coverage, footnote coverage and length move with what the summary holds."""
    from summarise.engines.extractive import summarise_meeting
    from summarise.evaluation.metrics import acronym_footnote_coverage, agenda_coverage, score_summary
    from summarise.ingest.pack import load_pack

    meeting = load_pack(SAMPLE_PACK)
    summary = summarise_meeting(meeting)
    assert agenda_coverage(summary, meeting) == 1.0
    assert acronym_footnote_coverage(summary, meeting) == 1.0
    full = score_summary(summary, meeting)

    shorter = summary.model_copy(deep=True)
    shorter.footnotes = []
    shorter.items = shorter.items[:-2]
    for item in shorter.items:
        item.key_points = []
    scores = score_summary(shorter, meeting)
    assert scores["agenda_coverage"] == round((len(meeting.items) - 2) / len(meeting.items), 4)
    # without footnotes only the acronyms printed beside their expansion stay explained
    assert 0.0 < scores["acronym_footnote_coverage"] < full["acronym_footnote_coverage"]
    assert scores["compression_ratio"] > full["compression_ratio"]
    assert "rouge1" not in scores  # no reference, no ROUGE


def test_summarise_prompts_env_gets_the_same_prompt_change_check_as_the_flag(
    no_connect: list[Any], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts = tmp_path / "prompts"
    assert main(["prompts", "export", str(prompts)]) == 0
    with (prompts / "synopsis.md").open("a", encoding="utf-8") as edited:
        edited.write("\nOne more synthetic rule.\n")
    monkeypatch.setenv("SUMMARISE_PROMPTS", str(prompts))
    code, _, err = run_cli(capsys, FIXTURES, "--baseline", BASELINE)
    assert code == 2 and "prompt 'synopsis' changed" in err
    assert no_connect == []
