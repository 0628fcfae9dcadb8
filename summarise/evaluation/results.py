"""What an evaluation run produced: every fixture meeting's scores, under one engine and prompt set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from summarise.evaluation.cassettes import prompt_set_hash

EvalEngine = Literal["llm", "extractive"]


@dataclass
class MeetingResult:
    name: str
    scores: dict[str, float]
    error: str | None = None
    synthetic: bool = False
    summary_markdown: str | None = None
    """The summary as Markdown: written beside the baseline and by ``--out``."""


@dataclass
class EvalRun:
    engine: EvalEngine
    prompt_versions: dict[str, str]
    meetings: list[MeetingResult]

    @property
    def prompt_set(self) -> str:
        return prompt_set_hash(self.prompt_versions)

    @property
    def synthetic(self) -> bool:
        return bool(self.meetings) and all(m.synthetic for m in self.meetings)
