"""Automatic rules that flag a summary sentence a resident would not accept.

Three families, each a short reason string:

* ``debris``: text that is not prose: a table row (mostly numbers), a record or filing code
  ("[CC 10/16/24] 24-1012-1", "SO6,SO2"), a contents line ("(Pages 11 - 84)", dot leaders), a
  form header glued to a sentence ("Subject:", "Classification:") or an all-capitals heading run
  into one ("EXEMPT ITEMS (At the time ..."), brackets left open;
* ``dangling``: a sentence that needs what was left out: it opens with "this", "these", "it" …
  with nothing before it, or it leads into a list ("as follows:") and the list is gone;
* ``wrong-item``: a sentence under an item whose own text does not contain it but another
  item's does (:mod:`summarise.verify.attribution`).

The bench (``bench/quality.py``) and tests use these; the engines must not (they would learn to
pass the rules rather than write well).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.text.sentences import split_sentences
from summarise.text.vocab import FOOTNOTE_MARKER
from summarise.verify.attribution import ItemTexts

_NUMBER = re.compile(r"^[-+−(]?[£$€]?\d[\d,.]*%?[)]?[kmb]?$", re.I)
_RECORD_CODE = re.compile(
    r"\[[A-Z]{2,5}\s+\d{1,2}/\d{1,2}/\d{2,4}[^\]]*\]"  # "[CC 10/16/24]"
    r"|\b\d{2}[-‐‑–]\d{3,4}[-‐‑–]\d\b"  # "24-1012-1"
    r"|\b[A-Z]{1,4}\d+(?:\s*,\s*[A-Z]{1,4}\d+)+\b"  # "SO6,SO2"
    r"|\(CD[-‐‑–]\d"  # "(CD-4)"
    r"|~"
)
_CONTENTS = re.compile(r"\(\s*Pages?\s+\d+\s*[-–]\s*\d+\s*\)|\.{4,}|…{2,}|\bPage\s+\d+\s+of\s+\d+\b", re.I)
_FORM_HEADER = re.compile(
    r"\b(?:Subject|Classification|From|To|Decision\s+No|Key\s+decision|Past\s+Pathway(?:\s+of\s+report)?|"
    r"Future\s+Pathway(?:\s+of\s+report)?|Electoral\s+Division|Contact\s+details|Background\s+Documents)"
    r"\s*:",
    re.I,
)
_CAPS_RUN = re.compile(r"\b[A-Z]{2,}(?:\s+[A-Z&]{2,}){1,}\b")
_OPENER = re.compile(r"^\W*(?:this|these|those|that|it|they|such|he|she|its|their)\b(?P<next>\s+\w+)?", re.I)
# "This report sets out ..." names what it points at; a reader can follow it.
_SELF_EVIDENT = frozenset(
    """report paper plan strategy document decision meeting item amendment budget proposal
    programme policy appendix agenda pack resolution ordinance motion application""".split()  # noqa: SIM905
)
_LEAD_IN = re.compile(
    r"(?:\bas\s+follows|\bthe\s+following|\bbelow|\binclude|\bincluding)\s*[.:]?\s*$|:\s*$", re.I
)


@dataclass(frozen=True)
class Flag:
    item: str | None
    sentence: str
    family: str  # "debris", "dangling" or "wrong-item"
    reason: str


def _numbers_share(sentence: str) -> tuple[int, float]:
    tokens = sentence.split()
    numbers = sum(bool(_NUMBER.match(t)) for t in tokens)
    return numbers, numbers / len(tokens) if tokens else 0.0


def debris(sentence: str) -> str | None:
    """Why ``sentence`` is debris, or None."""
    numbers, share = _numbers_share(sentence)
    if numbers >= 4 and share >= 0.3:
        return "table row"
    if _RECORD_CODE.search(sentence):
        return "record code"
    if _CONTENTS.search(sentence):
        return "contents line"
    if _FORM_HEADER.search(sentence):
        return "form header glued to a sentence"
    caps = _CAPS_RUN.search(sentence)
    if caps and len(caps[0]) >= 10 and re.search(r"[a-z]{3,}", sentence):
        return "heading glued to a sentence"
    if sentence.count("(") > sentence.count(")") or sentence.count("[") > sentence.count("]"):
        return "bracket left open"
    if len(re.findall(r"[A-Za-z]{2,}", sentence)) < 3:
        return "not a sentence"
    return None


def dangling(sentence: str, first: bool, last: bool) -> str | None:
    """Why ``sentence`` dangles: ``first``/``last`` say whether it starts or ends its paragraph."""
    opener = _OPENER.match(sentence)
    if first and opener:
        following = (opener["next"] or "").strip().lower().rstrip("s")
        if following not in _SELF_EVIDENT:
            return f"opens with {opener[0].strip()!r} and nothing before it"
    if last and _LEAD_IN.search(sentence):
        return "leads into a list that is not there"
    return None


def summary_sentences(summary: MeetingSummary) -> Iterator[tuple[str, str, bool, bool]]:
    """(item number, sentence, first in its paragraph, last in it) for every item's text."""
    for item in summary.items:
        for cited in [*item.paragraphs, *item.key_points]:
            text = FOOTNOTE_MARKER.sub("", cited.text)
            parts = split_sentences(text)
            for i, sentence in enumerate(parts):
                yield item.number, sentence, i == 0, i == len(parts) - 1


def flag_sentences(summary: MeetingSummary, meeting: Meeting | None = None) -> tuple[int, list[Flag]]:
    """Every item sentence checked against the rules: (sentences seen, flags). ``meeting``
    enables the wrong-item rule."""
    texts = ItemTexts(meeting) if meeting is not None else None
    seen = 0
    flags: list[Flag] = []
    for number, sentence, first, last in summary_sentences(summary):
        seen += 1
        why = debris(sentence)
        if why:
            flags.append(Flag(number, sentence, "debris", why))
            continue
        why = dangling(sentence, first, last)
        if why:
            flags.append(Flag(number, sentence, "dangling", why))
            continue
        if texts is not None:
            placed = texts.attribute(sentence, number)
            if placed is not None and placed.wrong:
                flags.append(Flag(number, sentence, "wrong-item", f"from item {placed.other_item}'s text"))
    return seen, flags


# Lines the offline engine writes itself (framing, counts) rather than quotes from the papers.
ENGINE_WRITTEN = re.compile(
    r"^The minutes of the previous meeting were submitted|^The item lists (?:\d+ )?further matters"
    r"|^The amount proposed is|^Public comments were made by"
)
_SENTENCE_CUT = re.compile(r"(?<=[.!?])[)\]\"”’]*\s+(?=[A-Z£$\"“(])")


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[^\w£$%]+", " ", text.lower()).split())


def _quoted_parts(sentence: str) -> list[str]:
    """The sentence, and what follows a label, "is asked to" or an opening quote the engine put before it."""
    parts = [sentence]
    if ": " in sentence and sentence.index(": ") < 200:
        parts.append(sentence.split(": ", 1)[1])
    asked = re.search(r"\basked to ", sentence)
    if asked:
        parts.append(sentence[asked.end() :])
    quote = re.search(r"“([^”]+)”|\"([^\"]+)\"", sentence)
    if quote:
        parts.append(quote.group(1) or quote.group(2))
    return parts


def not_in_own_text(summary: MeetingSummary, meeting: Meeting) -> list[tuple[str, str]]:
    """(item, sentence) for each quoted sentence its own item's text does not hold.

    Engine-written lines and decision key points (outcomes the engine phrases) are not quotes.
    The strict form of the wrong-item rule: a sentence must come from its own item, not only avoid
    another item's text.
    """
    by_number = {item.number: item for item in meeting.items}
    misses: list[tuple[str, str]] = []
    for item in summary.items:
        if item.number not in by_number:
            continue
        own = _flat(meeting.item_text(by_number[item.number]))
        quoted = [k.text for k in item.key_points if k.kind != "decision"]
        for block in [p.text for p in item.paragraphs] + quoted:
            plain = FOOTNOTE_MARKER.sub("", block)
            for sentence in filter(None, _SENTENCE_CUT.split(plain)):
                if ENGINE_WRITTEN.match(sentence):
                    continue
                if not any(_flat(part)[:200] in own for part in _quoted_parts(sentence)):
                    misses.append((item.number, sentence))
    return misses
