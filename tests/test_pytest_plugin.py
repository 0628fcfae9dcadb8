"""The pytest plugin: users' own suites get the eval checks through the ``summary_checks`` fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarise.engines.extractive import summarise_meeting
from summarise.evaluation import pytest_plugin
from summarise.evaluation.pytest_plugin import SummaryChecks, assert_summary_ok
from summarise.ingest.pack import load_pack
from summarise.models.meeting import Meeting
from summarise.models.summary import KeyPoint, MeetingSummary

pytest_plugins = ["pytester"]
summary_checks = pytest_plugin.summary_checks  # what the pytest11 entry point provides once installed

SAMPLE_PACK = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


@pytest.fixture(scope="module")
def meeting() -> Meeting:
    return load_pack(SAMPLE_PACK)


@pytest.fixture(scope="module")
def summary(meeting: Meeting) -> MeetingSummary:
    return summarise_meeting(meeting)


def test_a_good_summary_passes_and_returns_its_scores(
    summary_checks: SummaryChecks, summary: MeetingSummary, meeting: Meeting
) -> None:
    scores = summary_checks.assert_ok(summary, meeting, min_coverage=1.0, max_findings_per_1000=20)
    assert scores["agenda_coverage"] == 1.0 and scores["unsupported_figures"] == 0
    # A pack path works as well as a loaded meeting, and JSON read back is checked the same way.
    again = MeetingSummary.from_json(summary.to_json())
    assert summary_checks.scores(again, SAMPLE_PACK)["agenda_coverage"] == 1.0


def test_every_failed_check_is_named_with_its_value(summary: MeetingSummary, meeting: Meeting) -> None:
    bad = summary.model_copy(deep=True)
    bad.items = [i for i in bad.items if i.number != "4"]
    bad.items[0].key_points.append(KeyPoint(text="The scheme will cost £9.75 million.", pages=[]))
    with pytest.raises(AssertionError) as failed:
        assert_summary_ok(bad, meeting, min_rouge1=0.1)
    message = str(failed.value)
    assert "agenda_coverage = 0.8571, below the minimum 1" in message
    assert "unsupported_figures = 1, above the maximum 0" in message
    assert "no reference text" in message


def test_installed_plugin_gives_the_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the pytest11 entry point loads it; autoload is off so it is not registered twice."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(
        f"""
        from summarise.engines.extractive import summarise_meeting
        from summarise.ingest.pack import load_pack

        def test_pack(summary_checks):
            meeting = load_pack({str(SAMPLE_PACK)!r})
            summary_checks.assert_ok(summarise_meeting(meeting), meeting, min_coverage=1.0)
        """
    )
    plugin = "summarise.evaluation.pytest_plugin"
    result = pytester.runpytest_inprocess("-p", plugin, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
