"""A pytest plugin: the checks ``summarise eval`` makes, for your own test suites.

Installed with summarise (a ``pytest11`` entry point), it gives every test the
``summary_checks`` fixture; :func:`assert_summary_ok` works without pytest's fixtures too::

    def test_budget_pack(summary_checks):
        summary = summarise.summarise_pack("pack.pdf", engine="extractive")
        summary_checks.assert_ok(summary, "pack.pdf", min_coverage=1.0, max_findings_per_1000=5)

Every check that fails is listed in one AssertionError with the measured value.
The summary is verified again against the pack, so a summary read from JSON is
checked as strictly as a fresh one. Its imports are the library's own, which
``import summarise`` loads anyway; the optional ``rouge-score`` is imported only
when a reference is scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from summarise.evaluation.metrics import score_summary
from summarise.ingest.pack import load_pack
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.verify.checks import verify_summary


def _meeting(meeting: Meeting | str | Path | Sequence[str | Path]) -> Meeting:
    if isinstance(meeting, Meeting):
        return meeting
    return load_pack(meeting if isinstance(meeting, str | Path) else list(meeting))


def summary_scores(
    summary: MeetingSummary,
    meeting: Meeting | str | Path | Sequence[str | Path],
    references: Mapping[str, str] | None = None,
) -> dict[str, float]:
    """The ``summarise eval`` metrics of ``summary`` (verified afresh) against its meeting or pack files."""
    loaded = _meeting(meeting)
    verified = summary.model_copy(update={"verification": verify_summary(summary, loaded)})
    return score_summary(verified, loaded, references)


def assert_summary_ok(
    summary: MeetingSummary,
    meeting: Meeting | str | Path | Sequence[str | Path],
    *,
    min_coverage: float = 1.0,
    max_unsupported_figures: int | None = 0,
    max_findings_per_1000: float | None = None,
    min_acronym_coverage: float | None = None,
    references: Mapping[str, str] | None = None,
    min_rouge1: float | None = None,
) -> dict[str, float]:
    """Fail (AssertionError) unless ``summary`` passes every given threshold; returns the scores.

    ``None`` skips a check. Schema validity is always checked. ``references`` maps item numbers
    (or ``"*"`` for the whole meeting) to reference text, for ``min_rouge1``.
    """
    __tracebackhide__ = True
    scores = summary_scores(summary, meeting, references)
    problems: list[str] = []

    def at_least(metric: str, limit: float | None) -> None:
        if limit is not None and metric in scores and scores[metric] < limit:
            problems.append(f"{metric} = {scores[metric]:g}, below the minimum {limit:g}")

    def at_most(metric: str, limit: float | None) -> None:
        if limit is not None and scores[metric] > limit:
            problems.append(f"{metric} = {scores[metric]:g}, above the maximum {limit:g}")

    if scores["schema_valid"] < 1.0:
        problems.append("the summary does not validate against the output schema")
    at_least("agenda_coverage", min_coverage)
    at_most("unsupported_figures", max_unsupported_figures)
    at_most("findings_per_1000_words", max_findings_per_1000)
    at_least("acronym_footnote_coverage", min_acronym_coverage)
    if min_rouge1 is not None:
        if "rouge1" not in scores:
            problems.append("min_rouge1 given but no reference text to score against")
        at_least("rouge1", min_rouge1)
    if problems:
        raise AssertionError("summary checks failed:\n- " + "\n- ".join(problems))
    return scores


class SummaryChecks:
    """What the ``summary_checks`` fixture gives: :func:`assert_summary_ok` and :func:`summary_scores`."""

    assert_ok = staticmethod(assert_summary_ok)
    scores = staticmethod(summary_scores)


@pytest.fixture
def summary_checks() -> SummaryChecks:
    """Check a summary the way ``summarise eval`` does: coverage, unsupported figures, findings, ROUGE."""
    return SummaryChecks()
