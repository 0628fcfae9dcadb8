"""Seeded errors: faithful summary text made misleading in the ways point 7 of issue 10 names,
to measure how many of them verification catches and how often it cries wolf on faithful text.

Kinds (:data:`KINDS`):

* ``figure``: one digit of a sum, percentage or count changed (to a value not in the item's text);
* ``status``: a proposal turned into a decision ("is asked to agree" -> "unanimously agreed",
  "proposed" -> "approved"), only in items whose pages record no decision of their own;
* ``attribution``: a sentence from another item's summary added to this item's text;
* ``person``: an invented councillor (a name not in the pack) added doing something.

Each seed changes one paragraph or key point; it is verified on its own, as a one-item summary,
against the whole meeting (:func:`measure`). Deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from summarise.evaluation.quality import debris
from summarise.models.meeting import Meeting
from summarise.models.summary import MISLEADING, Cited, ItemSummary, MeetingSummary, Paragraph
from summarise.text.figures import find_figures
from summarise.text.sentences import sentences_of_pages, split_sentences
from summarise.text.vocab import FOOTNOTE_MARKER
from summarise.verify import MeetingIndex, verify_summary
from summarise.verify.attribution import ItemTexts, words

KINDS = ("figure", "status", "attribution", "person")
_OWN_AT_LEAST = 0.9  # share of a sentence's words in its own item's text for it to be that item's
_FOREIGN_AT_MOST = 0.2  # share of a moved sentence's words that may be in its new item's text

_STATUS_SWAPS = [
    (re.compile(r"\b(?:is|are) (?:being )?asked to (?:consider and )?agree\b", re.I), "unanimously agreed"),
    (re.compile(r"\b(?:is|are) (?:being )?asked to (?:consider and )?approve\b", re.I), "approved"),
    (re.compile(r"\b(?:is|are) (?:being )?asked to (?:consider and )?endorse\b", re.I), "endorsed"),
    (re.compile(r"\b(?:is|are) (?:being )?asked to (?:NOTE|note)\b"), "agreed"),
    (re.compile(r"\bis proposed\b", re.I), "was approved"),
    (re.compile(r"\bare proposed\b", re.I), "were approved"),
    (re.compile(r"\bproposes\b", re.I), "approved"),
    (re.compile(r"\bproposed\b", re.I), "approved"),
    (re.compile(r"\brecommends\b", re.I), "approved"),
    (re.compile(r"\bseeks to\b", re.I), "agreed to"),
    (re.compile(r"\bwas scheduled to consider\b", re.I), "approved"),
    (re.compile(r"\bwill consider\b", re.I), "approved"),
]
_DECISION_RECORD = re.compile(r"\bRESOLVED\b|\b[Mm]otion\s+(?:was\s+)?carried\b|\b[Uu]nanimously\b")
_FIRST = ["Tamsin", "Orlando", "Bridget", "Desmond", "Imogen", "Callum", "Priya", "Fergus", "Delphine"]
_LAST = ["Achterberg", "Pellow", "Quenby", "Marchetti", "Okonjo", "Vassallo", "Threlfall", "Ruddock"]
_PERSON_TEMPLATES = [
    "Councillor {name} seconded the proposal.",
    "Cllr {name} asked how the cost would be met.",
    "Mr {name} proposed the recommendation.",
    "{name}, Cabinet Member for Highways, presented the report.",
    "Mrs {name} said the change had wide support.",
]


@dataclass(frozen=True)
class Seed:
    kind: str
    item: str
    index: int  # which of the item's paragraphs and key points (in that order)
    before: str
    after: str


def _cited(item: ItemSummary) -> list[Cited]:
    return [*item.paragraphs, *item.key_points]


def one_text(
    summary: MeetingSummary, item: ItemSummary, index: int, text: str | None = None
) -> MeetingSummary:
    """A one-item summary holding only the item's ``index``-th text (replaced by ``text``)."""
    paragraphs = item.paragraphs
    key_points = item.key_points
    if index < len(paragraphs):
        chosen = paragraphs[index]
        paragraphs, key_points = [chosen.model_copy(update={"text": text or chosen.text})], []
    else:
        point = key_points[index - len(paragraphs)]
        paragraphs, key_points = [], [point.model_copy(update={"text": text or point.text})]
    alone = item.model_copy(update={"paragraphs": paragraphs, "key_points": key_points, "note": None})
    return summary.model_copy(update={"synopsis": "", "items": [alone], "footnotes": []})


def _digits(text: str) -> set[str]:
    """The numbers in ``text`` as values: "1,200" is "1200", and "34.0" is "34" (the same figure
    to a reader and to the verifier, so a seed that makes 34.0 where the text says 34 is no error)."""
    found = {m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in found}


def _seed_figure(text: str, own: str, rng: random.Random) -> str | None:
    masked = FOOTNOTE_MARKER.sub(lambda m: " " * len(m[0]), text)
    figures = [f for f in find_figures(masked) if f.kind in ("money", "percent", "count") and f.value >= 10]
    rng.shuffle(figures)
    present = _digits(own)
    for fig in figures:
        raw = fig.raw
        spots = [i for i, c in enumerate(raw) if c.isdigit() and not (c == "0" and i == 0)]
        if not spots:
            continue
        at = rng.choice(spots)
        digit = (int(raw[at]) + rng.randint(1, 8)) % 10
        if at == spots[0] and digit == 0:
            digit = 1
        changed = raw[:at] + str(digit) + raw[at + 1 :]
        if _digits(changed) & present - _digits(raw):
            continue  # the new value is in the item's text after all
        start, end = fig.span
        return text[:start] + changed + text[end:]
    return None


def _seed_status(text: str) -> str | None:
    for pattern, strong in _STATUS_SWAPS:
        if pattern.search(text):
            return pattern.sub(strong, text, count=1)
    return None


def _then(text: str, sentence: str) -> str:
    """``sentence`` added after ``text`` as a sentence of its own."""
    text = text.rstrip()
    return f"{text}{'' if text.endswith(('.', '!', '?')) else '.'} {sentence}"


def _from(texts: ItemTexts, sentence: str, number: str) -> bool:
    """The sentence is its own item's text (not a note the engine wrote)."""
    placed = texts.attribute(sentence, number)
    return placed is not None and placed.own >= _OWN_AT_LEAST


def _not_in(texts: ItemTexts, sentence: str, number: str) -> bool:
    placed = texts.attribute(sentence, number)
    return placed is not None and placed.own <= _FOREIGN_AT_MOST


def _seed_person(text: str, pack_text: str, rng: random.Random) -> str | None:
    for _ in range(20):
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name.split()[1].lower() not in pack_text:
            return _then(text, rng.choice(_PERSON_TEMPLATES).format(name=name))
    return None


def with_page_sentences(
    summary: MeetingSummary, meeting: Meeting, rng: random.Random, per_item: int = 4
) -> MeetingSummary:
    """The summary with up to ``per_item`` more faithful paragraphs per item: prose sentences of the
    item's own text, cited to their pages (those that propose or recommend first, so that there
    is something to strengthen). The extractive engine's own output rarely asks for a decision."""
    own = {item.number: item for item in meeting.items}
    items = []
    for item in summary.items:
        source = own.get(item.number)
        extra: list[Paragraph] = []
        if source is not None and source.has_papers:
            found = [
                s
                for s in sentences_of_pages(meeting.item_pages(source))
                if len(words(s.text)) >= 8 and not s.heading and debris(s.text) is None
            ]
            rng.shuffle(found)
            found.sort(key=lambda s: not any(p.search(s.text) for p, _ in _STATUS_SWAPS))
            extra = [Paragraph(text=s.text, pages=list(s.pages)) for s in found[:per_item]]
        items.append(item.model_copy(update={"paragraphs": [*item.paragraphs, *extra]}))
    return summary.model_copy(update={"items": items})


def seeds(summary: MeetingSummary, meeting: Meeting, rng: random.Random, per_kind: int = 40) -> list[Seed]:
    """Up to ``per_kind`` seeds of each kind, spread over the summary's texts."""
    own = {item.number: meeting.item_text(item) for item in meeting.items}
    texts = ItemTexts(meeting)
    pack_text = "\n".join(p.text for p in meeting.pages).lower()
    places = [(item, i) for item in summary.items for i in range(len(_cited(item)))]
    sentences = [
        (item.number, s)
        for item in summary.items
        for c in _cited(item)
        for s in split_sentences(c.text)
        if len(words(s)) >= 8
    ]
    out: list[Seed] = []
    for kind in KINDS:
        order = places[:]
        rng.shuffle(order)
        made = 0
        for item, i in order:
            if made >= per_kind:
                break
            text = _cited(item)[i].text
            item_text = own.get(item.number, "")
            after: str | None = None
            if kind == "figure":
                after = _seed_figure(text, item_text, rng)
            elif kind == "status" and not _DECISION_RECORD.search(item_text):
                after = _seed_status(text)
            elif kind == "attribution":
                # another item's sentence whose words are not in this item's own text
                foreign = [
                    s
                    for n, s in sentences
                    if n != item.number and _from(texts, s, n) and _not_in(texts, s, item.number)
                ]
                if foreign:
                    after = _then(text, rng.choice(foreign))
            elif kind == "person":
                after = _seed_person(text, pack_text, rng)
            if after and after != text:
                out.append(Seed(kind, item.number, i, text, after))
                made += 1
    return out


@dataclass
class SeedScore:
    """Seeded errors caught per kind, and false alarms on the faithful texts."""

    seeded: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    faithful: int = 0
    false_alarms: int = 0
    missed: list[Seed] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def recall(self, kind: str) -> float:
        return self.caught[kind] / self.seeded[kind] if self.seeded[kind] else float("nan")

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.faithful if self.faithful else 0.0

    def add(self, other: SeedScore) -> None:
        self.seeded.update(other.seeded)
        self.caught.update(other.caught)
        self.faithful += other.faithful
        self.false_alarms += other.false_alarms
        self.missed.extend(other.missed)
        self.alarms.extend(other.alarms)


def _errors(summary: MeetingSummary, meeting: Meeting, index: MeetingIndex) -> set[tuple[str, str]]:
    found = verify_summary(summary, meeting, index=index).findings
    return {(f.kind, f.text) for f in found if f.kind in MISLEADING and f.severity == "error"}


def _texts(summary: MeetingSummary) -> Iterator[tuple[ItemSummary, int]]:
    for item in summary.items:
        for i in range(len(_cited(item))):
            yield item, i


def measure(summary: MeetingSummary, meeting: Meeting, rng: random.Random, per_kind: int = 40) -> SeedScore:
    """Verify every faithful text and every seeded one, each as a one-item summary."""
    index = MeetingIndex(meeting)
    score = SeedScore()
    baseline: dict[tuple[str, int], set[tuple[str, str]]] = {}
    for item, i in _texts(summary):
        errors = _errors(one_text(summary, item, i), meeting, index)
        baseline[(item.number, i)] = errors
        score.faithful += 1
        if errors:
            score.false_alarms += 1
            score.alarms.extend(f"item {item.number}: {kind}: {text[:120]}" for kind, text in errors)
    items = {item.number: item for item in summary.items}
    for seed in seeds(summary, meeting, rng, per_kind):
        errors = _errors(one_text(summary, items[seed.item], seed.index, seed.after), meeting, index)
        new = {kind for kind, text in errors - baseline[(seed.item, seed.index)]}
        score.seeded[seed.kind] += 1
        if seed.kind in new:
            score.caught[seed.kind] += 1
        else:
            score.missed.append(seed)
    return score
