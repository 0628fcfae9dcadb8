"""Evaluating prompt changes: recorded fixtures replayed, scored and compared with a baseline.

>>> outcome = run_eval("tests/fixtures/eval", engine="extractive")  # doctest: +SKIP
>>> print(outcome.table())  # doctest: +SKIP

The modules: :mod:`~summarise.evaluation.fixtures` (the meetings), :mod:`~summarise.evaluation.cassettes`
(which recording replays them; vcrpy's conventions are in :mod:`~summarise.evaluation.recordings`),
:mod:`~summarise.evaluation.run` (summarise and score them), :mod:`~summarise.evaluation.metrics` (the
scores), :mod:`~summarise.evaluation.results`, :mod:`~summarise.evaluation.baseline` (the comparison)
and :mod:`~summarise.evaluation.report` (the outcome, as a table or Markdown).
"""

from summarise.evaluation.baseline import Baseline, Change, compare
from summarise.evaluation.cassettes import (
    Recording,
    cassette_folder,
    describe_prompt_changes,
    find_recording,
    prompt_set_hash,
)
from summarise.evaluation.fixtures import MeetingFixture, load_fixtures, parse_reference
from summarise.evaluation.report import EvalOutcome
from summarise.evaluation.results import EvalRun, MeetingResult
from summarise.evaluation.run import evaluate, run_eval

__all__ = [
    "Baseline",
    "Change",
    "EvalOutcome",
    "EvalRun",
    "MeetingFixture",
    "MeetingResult",
    "Recording",
    "cassette_folder",
    "compare",
    "describe_prompt_changes",
    "evaluate",
    "find_recording",
    "load_fixtures",
    "parse_reference",
    "prompt_set_hash",
    "run_eval",
]
