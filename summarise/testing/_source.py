"""What the fake server reads from a request: the source text, its pages, its key sentences.

The source is the text between ``<<<SOURCE`` and ``SOURCE>>>`` (or ``<source>``
and ``</source>``) in the user messages, else the whole user message. Page
markers such as ``[page 12]`` say which pack page the following text is on, so
the server can cite pages the way a model is asked to.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from summarise.engines.extractive.rank import key_sentences as engine_key_sentences
from summarise.text.sentences import split_sentences as engine_split_sentences

_DELIMITED = (
    re.compile(r"<<<SOURCE[^\n]*\n?(.*?)\n?[ \t]*SOURCE>>>", re.DOTALL),
    re.compile(r"<source\b[^>]*>(.*?)</source>", re.DOTALL | re.IGNORECASE),
)
PAGE_MARKER = re.compile(
    r"\[\s*(?:page|p\.)\s*(\d+)\s*\]|^-{2,}\s*page\s+(\d+)\s*-{2,}$", re.IGNORECASE | re.MULTILINE
)
_WS = re.compile(r"\s+")
_LIST_LINE = re.compile(r"\n(?=[ \t]*(?:[-•*]|\d{1,2}[.)])[ \t])")  # before a line that opens a list entry
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}s?\b")
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(\d{4})\b"
)
_NAME = re.compile(
    r"\b(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Sir|Dame)\.?[ \t]+)?[A-Z][a-z'’-]+(?:[ \t]+[A-Z]\.)?"
    r"(?:[ \t]+[A-Z][a-z'’-]+){1,2}\b"
)
_NOT_NAME_START = {
    "The", "This", "That", "These", "Those", "A", "An", "It", "Its", "In", "On", "At", "For", "Of", "To",
    "By", "As", "If", "We", "Our", "Members", "Report", "Appendix", "Page", "Agenda", "Item", "Section",
    "Table", "Annex", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
}  # fmt: skip
# Words that make a capitalised run an organisation, post or heading rather than a person.
_NOT_NAME_WORD = {
    "Council", "County", "Borough", "District", "City", "Cabinet", "Committee", "Board", "Authority",
    "Directorate", "Department", "Service", "Services", "Team", "Plan", "Strategy", "Policy", "Fund",
    "Budget", "Director", "Head", "Member", "Officer", "Executive", "Corporate", "Direct", "Dial", "Email",
    "Tel", "Telephone", "Contact", "Social", "Care", "Health", "Education", "Children", "Young", "Adult",
    "Adults", "People", "Public", "Financial", "Finance", "Medium", "Term", "Road", "Street", "Act",
    "Regulations", "Group", "Partnership", "Trust", "Centre", "School", "Hall", "House", "Room",
    "Draft", "Programme", "General", "Counsel", "Chief", "Analyst", "Government", "Grant", "Local",
    "Provisional", "Deputy", "Leader", "Performance", "Review", "Indicators", "Development", "Economic",
    "Special", "Schools", "Key", "Assurance", "Delivery", "Recovery", "Prevention", "Spending", "Power",
    "From", "Use", "Empty", "Quarterly", "Capital", "Report", "Reports", "Annual", "National", "Office",
}  # fmt: skip
_HONORIFICS = {"Mr", "Mrs", "Ms", "Miss", "Dr", "Cllr", "Councillor", "Sir", "Dame"}
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NO_SOURCE = "No source text was provided."


def message_text(message: dict[str, Any]) -> str:
    """The text of a chat message whose content is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "\n".join(t for t in parts if isinstance(t, str))
    return ""


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class Source:
    """The source text of one request, split on page markers."""

    segments: list[tuple[int | None, str]]
    text: str = field(init=False)

    def __post_init__(self) -> None:
        self.text = "\n\n".join(seg for _, seg in self.segments if seg.strip()).strip()

    @functools.cached_property
    def _norm_segments(self) -> list[tuple[int | None, str]]:
        """The segments with white space collapsed, made when a sentence's page is first looked up."""
        return [(page, _norm(seg)) for page, seg in self.segments]

    @classmethod
    def from_text(cls, raw: str) -> Source:
        segments: list[tuple[int | None, str]] = []
        page: int | None = None
        pos = 0
        for match in PAGE_MARKER.finditer(raw):
            segments.append((page, raw[pos : match.start()]))
            page = int(match.group(1) or match.group(2))
            pos = match.end()
        segments.append((page, raw[pos:]))
        return cls([(p, s.strip()) for p, s in segments if s.strip() or p is not None])

    @property
    def pages(self) -> list[int]:
        return sorted({p for p, _ in self.segments if p is not None})

    def pages_of(self, sentence: str) -> list[int]:
        """The pages a sentence sits on (one, or two when it crosses a marker)."""
        needle = _norm(sentence)
        if not needle:
            return []
        hits = [p for p, seg in self._norm_segments if p is not None and needle in seg]
        if hits:
            return sorted(set(hits))[:1]
        # The sentence may span a page marker, or the engine may have tidied it:
        # take the page whose words overlap it most.
        words = set(needle.lower().split())
        best: tuple[int, int | None] = (0, None)
        for p, seg in self._norm_segments:
            if p is None:
                continue
            score = len(words & set(seg.lower().split()))
            if score > best[0]:
                best = (score, p)
        return [best[1]] if best[1] is not None else []

    def sampled(self, limit: int) -> Source:
        """This source, or of a longer one whole pages spread evenly from its start to its end,
        about ``limit`` characters of them, with their page numbers: what an answer is drawn from.
        Ranking the sentences of a 100k-token source took the server a second of CPU per request,
        longer than the latency it stands for."""
        if len(self.text) <= limit:
            return self
        pages = [(page, seg) for page, seg in self.segments if seg.strip()]
        keep = max(1, min(len(pages), round(len(pages) * limit / len(self.text))))
        share = limit // keep
        last = len(pages) - 1
        picked = [pages[round(i * last / (keep - 1)) if keep > 1 else 0] for i in range(keep)]
        return Source([(page, seg[:share]) for page, seg in picked])

    def acronyms(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in _ACRONYM.finditer(self.text):
            word = m.group(0)
            if word.endswith("s") and word[:-1].isupper():
                word = word[:-1]
            if len(word) >= 2 and not word.isdigit():
                seen.setdefault(word, None)
        return list(seen)

    def names(self) -> list[str]:
        """Runs of capitalised words that look like people's names, in order of appearance."""
        seen: dict[str, None] = {}
        for m in _NAME.finditer(self.text):
            words = m.group(0).split()
            if words[0] in _NOT_NAME_START or any(w in _NOT_NAME_WORD for w in words):
                continue
            seen.setdefault(" ".join(words), None)
        titled = [n for n in seen if n.split()[0] in _HONORIFICS]
        return titled + [n for n in seen if n not in titled]

    def first_date(self) -> str | None:
        iso = _ISO_DATE.search(self.text)
        long = _DATE.search(self.text)
        if long and (not iso or long.start() < iso.start()):
            day, month, year = long.groups()
            return f"{int(year):04d}-{_MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}"
        if iso:
            return iso.group(0)
        return None


def find_source(messages: Sequence[dict[str, Any]]) -> Source:
    """The delimited source in the user messages, else all the user text."""
    user_texts = [message_text(m) for m in messages if m.get("role") == "user"]
    blocks = [b for t in user_texts for pattern in _DELIMITED for b in pattern.findall(t)]
    if blocks:
        return Source.from_text("\n\n".join(blocks))
    whole = "\n\n".join(user_texts)
    found = find_schema_in_text(whole)
    if found is not None:  # JSON mode puts the schema in the prompt: it is not source
        whole = whole[: found[1]] + whole[found[2] :]
    return Source.from_text(whole)


def _looks_like_schema(value: Any) -> dict[str, Any] | None:
    """A dict with "properties", or the first one nested inside it."""
    if isinstance(value, dict):
        if isinstance(value.get("properties"), dict):
            return value
        for key in ("schema", "json_schema", "parameters", "format"):
            inner = _looks_like_schema(value.get(key))
            if inner is not None:
                return inner
    return None


def find_schema_in_text(text: str) -> tuple[dict[str, Any], int, int] | None:
    """The first JSON object in ``text`` that is (or wraps) a schema, with its span."""
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{\s*\"", text):
        try:
            value, end = decoder.raw_decode(text, match.start())
        except json.JSONDecodeError:
            continue
        schema = _looks_like_schema(value)
        if schema is not None:
            return schema, match.start(), end
    return None


def find_schema_in_messages(messages: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The schema a client put in a system or user message for JSON mode."""
    ordered = sorted(messages, key=lambda m: 0 if m.get("role") in ("system", "developer") else 1)
    for message in ordered:
        found = find_schema_in_text(message_text(message))
        if found is not None:
            return found[0]
    return None


def key_sentences(text: str, max_sentences: int) -> list[str]:
    """Key sentences as the offline engine picks them."""
    if not text.strip() or max_sentences < 1:
        return []
    picked = [p for p in (_norm(s) for s in engine_key_sentences(text, max_sentences)) if p]
    # The engine keeps only prose sentences; a source of short lines still needs an answer.
    return picked or split_sentences(text)[:max_sentences]


def split_sentences(text: str) -> list[str]:
    """The text's sentences; each line of a list is one (a map step's notes are a list whose
    lines the engine's splitter would join into one "sentence" of thousands of words, which an
    answer then repeated: a summary longer than its source, cut off at the output cap)."""
    if not text.strip():
        return []
    text = _LIST_LINE.sub("\n\n", text)
    return [n for n in (_norm(s) for s in engine_split_sentences(text)) if n]
