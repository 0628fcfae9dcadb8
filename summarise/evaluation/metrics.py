"""Scores for one summary of one meeting: what ``summarise eval`` compares with its baseline.

Every metric is a plain float so a baseline file can hold it and a tolerance
can be applied to it. ROUGE comes from Google's ``rouge-score`` package (the
``eval`` extra), imported only when a reference is present.

>>> words("The Cabinet is asked[^1] to approve £1.2m.")
7
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from summarise.errors import ConfigurationError
from summarise.glossary import find_definitions, strip_markers
from summarise.models.meeting import Meeting
from summarise.models.summary import ItemSummary, MeetingSummary, Verification

Direction = Literal["higher", "lower", "either"]
ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]s?\b")
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
WHOLE = "*"
"""Reference key for a whole-meeting reference (not split by item)."""


@dataclass(frozen=True)
class Tolerance:
    """How far a metric may move the wrong way before it counts as a regression.

    ``abs`` is in the metric's units, ``rel`` a fraction of the baseline value; the larger wins.
    ``either`` means any move beyond the tolerance is a regression (length, compression).
    """

    direction: Direction
    abs: float = 0.0
    rel: float = 0.0

    def allowed(self, baseline: float) -> float:
        return max(self.abs, self.rel * abs(baseline))

    def regressed(self, baseline: float, value: float) -> bool:
        slack = self.allowed(baseline) + 1e-9
        if self.direction == "higher":
            return value < baseline - slack
        if self.direction == "lower":
            return value > baseline + slack
        return abs(value - baseline) > slack

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"direction": self.direction}
        if self.abs:
            out["abs"] = self.abs
        if self.rel:
            out["rel"] = self.rel
        return out

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> Tolerance:
        direction = data.get("direction")
        if direction not in ("higher", "lower", "either"):
            raise ConfigurationError(
                f"baseline tolerance for {name!r}: direction must be higher, lower or either, "
                f"got {direction!r}"
            )
        try:
            return cls(direction=direction, abs=float(data.get("abs", 0.0)), rel=float(data.get("rel", 0.0)))
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"baseline tolerance for {name!r}: abs and rel must be numbers"
            ) from None


DEFAULT_TOLERANCES: dict[str, Tolerance] = {
    "schema_valid": Tolerance("higher"),
    "agenda_coverage": Tolerance("higher"),
    "unsupported_figures": Tolerance("lower"),
    "findings_per_1000_words": Tolerance("lower", abs=1.0),
    "acronym_footnote_coverage": Tolerance("higher", abs=0.05),
    "compression_ratio": Tolerance("either", rel=0.25),
    "words_per_item": Tolerance("either", rel=0.25),
    "calls": Tolerance("lower", rel=0.2),
    "input_tokens": Tolerance("lower", rel=0.2),
    "output_tokens": Tolerance("lower", rel=0.2),
    "cost_usd": Tolerance("lower", abs=0.0001, rel=0.2),
    "rouge1": Tolerance("higher", abs=0.02),
    "rouge2": Tolerance("higher", abs=0.02),
    "rougeL": Tolerance("higher", abs=0.02),
}
METRIC_ORDER: tuple[str, ...] = tuple(DEFAULT_TOLERANCES)


def words(text: str) -> int:
    """Words in ``text``, footnote markers left out."""
    return len(strip_markers(text).split())


def item_text(item: ItemSummary) -> str:
    return "\n".join([p.text for p in item.paragraphs] + [k.text for k in item.key_points])


def summary_text(summary: MeetingSummary) -> str:
    """The prose a reader gets: synopsis, paragraphs and key points (not notes or footnotes)."""
    return "\n".join([summary.synopsis, *(item_text(i) for i in summary.items)])


def has_section(item: ItemSummary) -> bool:
    """An item is covered when it says something: prose, key points, or a note (no papers)."""
    return bool(item.paragraphs or item.key_points or (item.note and item.note.strip()))


def agenda_coverage(summary: MeetingSummary, meeting: Meeting) -> float:
    """Share of the meeting's agenda items that have a section in the summary."""
    if not meeting.items:
        return 1.0
    covered = {i.number for i in summary.items if has_section(i)}
    return sum(item.number in covered for item in meeting.items) / len(meeting.items)


def acronyms_used(text: str) -> set[str]:
    return set(ACRONYM.findall(strip_markers(text)))


def acronym_footnote_coverage(summary: MeetingSummary, meeting: Meeting) -> float | None:
    """Share of the acronyms the summary uses, and the source defines, that a reader gets explained:
    by a footnote, or by the expansion printed beside the term ("Fixed Penalty Notice (FPN)").

    None when the summary uses no acronym the source defines (nothing to cover).
    """
    definitions = find_definitions(meeting.pages)
    text = summary_text(summary)
    used = acronyms_used(text) & set(definitions)
    if not used:
        return None
    footnoted = {f.term for f in summary.footnotes}
    flat = " " + " ".join(re.sub(r"[^\w]+", " ", strip_markers(text).lower()).split()) + " "

    def beside(term: str) -> bool:
        d = definitions[term]
        for expansion, _ in d.senses or ((d.text, d.pages),):
            long = " ".join(re.sub(r"[^\w]+", " ", expansion.lower()).split())
            if f" {long} {term.lower()} " in flat or f" {term.lower()} {long} " in flat:
                return True
        return False

    return sum(term in footnoted or beside(term) for term in used) / len(used)


def error_findings(verification: Verification) -> int:
    return sum(f.severity == "error" for f in verification.findings)


def schema_valid(summary: MeetingSummary) -> bool:
    """The summary survives a JSON round trip through the published schema."""
    try:
        MeetingSummary.model_validate_json(summary.to_json())
    except ValidationError:
        return False
    return True


def rouge(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1/2/L F-measures (stemmed), via the ``rouge-score`` package."""
    try:
        from rouge_score import rouge_scorer  # noqa: PLC0415 - optional dependency, eval extra
    except ImportError:  # pragma: no cover - the eval extra is missing
        raise ConfigurationError(
            "ROUGE needs the rouge-score package: pip install 'summarise[eval]'"
        ) from None
    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    scores = scorer.score(strip_markers(reference), strip_markers(candidate))
    return {name: round(float(scores[name].fmeasure), 4) for name in ROUGE_TYPES}


def rouge_against(summary: MeetingSummary, references: Mapping[str, str]) -> dict[str, float]:
    """Mean per-item ROUGE over the items a reference covers; else whole summary vs ``references["*"]``."""
    per_item = {k: v for k, v in references.items() if k != WHOLE and v.strip()}
    pairs: list[tuple[str, str]] = []
    if per_item:
        by_number = {i.number: i for i in summary.items}
        for number, reference in per_item.items():
            item = by_number.get(number)
            pairs.append((item_text(item) if item is not None else "", reference))
    elif references.get(WHOLE, "").strip():
        pairs.append((summary_text(summary), references[WHOLE]))
    if not pairs:
        return {}
    scored = [rouge(candidate, reference) for candidate, reference in pairs]
    return {name: round(sum(s[name] for s in scored) / len(scored), 4) for name in ROUGE_TYPES}


def score_summary(
    summary: MeetingSummary, meeting: Meeting, references: Mapping[str, str] | None = None
) -> dict[str, float]:
    """Every metric for one summary; ``summary.verification`` must already be filled."""
    summary_words = words(summary_text(summary))
    source_words = sum(len(p.text.split()) for p in meeting.pages)
    with_papers = [i for i in summary.items if i.has_papers] or summary.items
    item_words = sum(words(item_text(i)) for i in with_papers)
    usage = summary.usage
    scores: dict[str, float] = {
        "schema_valid": float(schema_valid(summary)),
        "agenda_coverage": round(agenda_coverage(summary, meeting), 4),
        "unsupported_figures": float(len(summary.verification.unsupported_figures)),
        "findings_per_1000_words": round(
            1000 * error_findings(summary.verification) / max(summary_words, 1), 3
        ),
        "compression_ratio": round(source_words / max(summary_words, 1), 2),
        "words_per_item": round(item_words / max(len(with_papers), 1), 1),
        "calls": float(usage.calls),
        "input_tokens": float(usage.input_tokens),
        "output_tokens": float(usage.output_tokens),
        "cost_usd": round(usage.estimated_cost_usd, 6),
    }
    coverage = acronym_footnote_coverage(summary, meeting)
    if coverage is not None:
        scores["acronym_footnote_coverage"] = round(coverage, 4)
    if references:
        scores.update(rouge_against(summary, references))
    return {name: scores[name] for name in ordered(scores)}


def failed_scores() -> dict[str, float]:
    """What a meeting scores when the pipeline could not produce a valid summary at all."""
    return {"schema_valid": 0.0, "agenda_coverage": 0.0}


def ordered(names: Sequence[str] | Mapping[str, Any]) -> list[str]:
    """Metric names in the report order; unknown ones last, alphabetically."""
    known = [n for n in METRIC_ORDER if n in names]
    return known + sorted(n for n in names if n not in DEFAULT_TOLERANCES)


def format_metric(value: float | None) -> str:
    """A metric value as reports print it: whole numbers without a point, else 4 significant figures."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4g}"
