"""Hand-written labels for real packs, and a summary scored against them.

A label file (TOML, one per PDF; the project's own are in ``bench/labels``, described in its
README) gives a pack's document kind, its items with their titles, presenters, people and
must-mention facts. :func:`score` reports must-mention recall, title accuracy and presenter
accuracy for one summary.

>>> labels = load_labels(Path("bench/labels/tulsa-city-council-minutes-24-1056-2.toml"))  # doctest: +SKIP
>>> score(summary, labels).fact_recall  # doctest: +SKIP
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from summarise.models.summary import ItemSummary, MeetingSummary
from summarise.text.figures import clean_text
from summarise.text.vocab import FOOTNOTE_MARKER, TITLES


class Person(BaseModel):
    name: str
    role: str | None = None


class Fact(BaseModel):
    id: str = ""
    keys: list[str]


class ItemLabel(BaseModel):
    number: str
    title: str
    papers: bool = True
    kind: str | None = None
    presenters: list[Person] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    outcome: str | None = None
    subitems: list[str] = Field(default_factory=list)
    facts: list[list[str]] = Field(default_factory=list)


class PackLabels(BaseModel):
    pack: str
    kind: str
    body: str | None = None
    date: Any = None
    meeting_facts: list[Fact] = Field(default_factory=list)
    items: list[ItemLabel]


def load_labels(path: Path) -> PackLabels:
    with path.open("rb") as handle:
        return PackLabels.model_validate(tomllib.load(handle))


# --- matching ----------------------------------------------------------------------------------------

_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"'})


def normalise(text: str) -> str:
    """Lower case, one kind of dash and quote, single spaces, no footnote markers."""
    text = FOOTNOTE_MARKER.sub("", clean_text(text)).translate(_DASHES).lower()
    return re.sub(r"\s+", " ", text).strip()


def key_in(key: str, text: str) -> bool:
    """A fact key (``a|b``: either) in normalised text, not inside a longer word or number."""
    for alt in key.split("|"):
        needle = normalise(alt)
        if not needle:
            continue
        pattern = (r"(?<![\w])" if needle[0].isalnum() else "") + re.escape(needle)
        pattern += r"(?![\w])" if needle[-1].isalnum() else ""
        if re.search(pattern, text):
            return True
    return False


def _tokens(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", normalise(text))


def title_ok(label: str, given: str) -> bool:
    """The summary's title is the agenda's: the same words (punctuation aside; a word broken by a
    stray space, "se t forth", is wrong), or the label's words followed by more (a label may be
    the short form of a long agenda title)."""
    want, got = _tokens(label), _tokens(given)
    return bool(want) and got[: len(want)] == want


def _name_parts(name: str) -> list[str]:
    words = [w.lower().strip(".,") for w in re.findall(r"[A-Za-z][A-Za-z'’.-]*", name)]
    return [w for w in words if w not in TITLES and len(w.rstrip(".")) > 1]


def same_person(label: str, given: str) -> bool:
    """Same surname, and the first name agrees where both give one ("Mr P Oakford" matches)."""
    a, b = _name_parts(label), _name_parts(given)
    if not a or not b or a[-1] != b[-1]:
        return False
    return len(a) == 1 or len(b) == 1 or a[0][0] == b[0][0]


def item_text(item: ItemSummary) -> str:
    parts = [p.text for p in item.paragraphs] + [k.text for k in item.key_points]
    if item.note:
        parts.append(item.note)
    for person in presenters_of(item):
        parts.append(f"{person.name}, {person.role or ''}")
    return normalise("\n".join(parts))


def presenters_of(item: ItemSummary) -> list[Person]:
    """The presenters a summary item gives (one today; a list if the schema grows one)."""
    many = getattr(item, "presenters", None)
    if isinstance(many, list) and many:
        return [Person(name=p.name, role=getattr(p, "role", None)) for p in many]
    if item.presenter is not None:
        return [Person(name=item.presenter.name, role=item.presenter.role)]
    return []


# --- the score ---------------------------------------------------------------------------------------


@dataclass
class PackScore:
    pack: str
    facts: int = 0
    facts_found: int = 0
    titles: int = 0
    titles_ok: int = 0
    presenter_items: int = 0
    presenter_items_ok: int = 0
    people: int = 0
    people_found: int = 0
    kind: str | None = None  # the summary's document kind, where the schema has one
    kind_ok: bool | None = None
    missed: list[str] = field(default_factory=list)

    @property
    def fact_recall(self) -> float:
        return self.facts_found / self.facts if self.facts else 1.0

    @property
    def title_accuracy(self) -> float:
        return self.titles_ok / self.titles if self.titles else 1.0

    @property
    def presenter_accuracy(self) -> float:
        return self.presenter_items_ok / self.presenter_items if self.presenter_items else 1.0

    @property
    def people_recall(self) -> float:
        return self.people_found / self.people if self.people else 1.0


def _summary_kind(summary: MeetingSummary) -> str | None:
    for holder in (summary, summary.meeting):
        for name in ("kind", "document_kind"):
            value = getattr(holder, name, None)
            if isinstance(value, str):
                return value
    return None


def score(summary: MeetingSummary, labels: PackLabels) -> PackScore:
    """Must-mention facts, titles, presenters and people of one summary against its labels."""
    result = PackScore(pack=labels.pack)
    by_number = {item.number.strip().rstrip(".").upper(): item for item in summary.items}
    everything = normalise(summary.synopsis + "\n" + "\n".join(item_text(i) for i in summary.items))
    for fact in labels.meeting_facts:
        result.facts += 1
        if all(key_in(k, everything) for k in fact.keys):
            result.facts_found += 1
        else:
            result.missed.append(f"meeting: {' + '.join(fact.keys)}")
    for label in labels.items:
        item = by_number.get(label.number.upper())
        text = item_text(item) if item is not None else ""
        result.titles += 1
        result.titles_ok += item is not None and title_ok(label.title, item.title)
        for keys in label.facts:
            result.facts += 1
            if all(key_in(k, text) for k in keys):
                result.facts_found += 1
            else:
                result.missed.append(f"item {label.number}: {' + '.join(keys)}")
        given = presenters_of(item) if item is not None else []
        if label.presenters or given:
            result.presenter_items += 1
            right = all(any(same_person(p.name, g.name) for p in label.presenters) for g in given)
            result.presenter_items_ok += bool(given) and right
        for person in [*label.presenters, *label.people]:
            result.people += 1
            surname = _name_parts(person.name)[-1:]
            named = any(same_person(person.name, g.name) for g in given)
            result.people_found += named or (bool(surname) and key_in(surname[0], text))
    result.kind = _summary_kind(summary)
    if result.kind is not None:
        result.kind_ok = result.kind == labels.kind
    return result
