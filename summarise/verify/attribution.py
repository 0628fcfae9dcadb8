"""Is a sentence under the right item? Its words against the item's own text and every other item's.

A summary sentence is compared with each item's text (:meth:`~summarise.models.Meeting.item_text`:
the item's pages, cut to its own part where it shares a page) as overlapping runs of three words.
A sentence that is mostly in another item's text and mostly not in its own was taken from the
wrong item, whatever its figures and names: a reader would take it as said about this item.
Short sentences ("Motion carried.") are in many items and prove nothing, so they are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarise.models.meeting import AgendaItem, Meeting
from summarise.text.figures import clean_text
from summarise.text.vocab import FOOTNOTE_MARKER

_WORD = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+")
_N = 3  # words per shingle
# What may stand between two words of a run in an item's text as :meth:`ItemTexts.may_hold` reads it
# (not split into words): anything but a letter or an ASCII digit, a footnote marker, or nothing.
_SEP = r"(?:[^\w]|_|(?![0-9])\d|\[\^\d+\])*"
_NUMBER = r"[0-9][0-9.,]*"
MIN_WORDS = 6  # shorter sentences are not judged
MIN_RUN = 4  # three-word runs in a row (6 words) not in the item's own text that make a passage
OWN_AT_MOST = 0.5  # a sentence this little in its own item's text ...
OTHER_AT_LEAST = 0.8  # ... and this much in another item's text is attributed to that item


def _same_lower(text: str, lower: str) -> bool:
    """Whether lower-casing the whole text lower-cases each word as it would alone: not where a
    letter's lower case is two ("İ") or depends on what follows (a final sigma)."""
    return len(lower) == len(text) and "Σ" not in text


def words(text: str, *, cleaned: bool = False) -> list[str]:
    """Lower-case words and numbers, footnote markers and punctuation dropped. ``cleaned``: the
    text has been through ``clean_text`` already."""
    text = FOOTNOTE_MARKER.sub(lambda m: " " * len(m[0]), text if cleaned else clean_text(text))
    lower = text.lower()
    if not _same_lower(text, lower):  # word by word, as lower case may differ in context
        return [w.lower().replace(",", "") for w in _WORD.findall(text)]
    return [w.replace(",", "") if "," in w else w for w in _WORD.findall(lower)]


def word_spans(text: str) -> list[tuple[str, tuple[int, int]]]:
    """:func:`words`, each with its place in ``clean_text(text)`` (markers blanked, not removed)."""
    text = FOOTNOTE_MARKER.sub(lambda m: " " * len(m[0]), clean_text(text))
    return [(m[0].lower().replace(",", ""), m.span()) for m in _WORD.finditer(text)]


def shingles(tokens: Sequence[str]) -> set[tuple[str, ...]]:
    return set(zip(tokens, tokens[1:], tokens[2:], strict=False))  # _N == 3, unrolled: 40% faster


def coverage(sentence: Sequence[str], text: set[tuple[str, ...]]) -> float:
    """Share of the sentence's three-word runs found in a text's (0..1)."""
    own = shingles(sentence)
    return sum(s in text for s in own) / len(own) if own else 0.0


def _family(item: AgendaItem) -> Iterable[AgendaItem]:
    """The items whose text is the item's: itself when it has pages of its own (its sub-items' text
    is inside it), else its sub-items'."""
    if item.has_papers or not item.sub_items:
        yield item
        return
    for sub in item.sub_items:
        yield from _family(sub)


@dataclass(frozen=True)
class Attribution:
    """Where a sentence's words are: its own item's share, and the best other item's."""

    own: float
    other: float
    other_item: str | None

    @property
    def wrong(self) -> bool:
        return self.own <= OWN_AT_MOST and self.other >= OTHER_AT_LEAST


class ItemTexts:
    """Each top-level item's text as three-word runs (sub-items fold into their parent, as the
    summary's items do), each built the first time it is asked for and kept: a sentence found in
    its own item's text is judged without reading any other item."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self._members: dict[str, list[AgendaItem]] = {}
        for item in meeting.items:
            self._members.setdefault(item.number, []).extend(_family(item))
        self._built: dict[str, set[tuple[str, ...]]] = {}
        self._plain: dict[str, str] = {}
        self._clean: dict[int, str] = {}

    def _cleaned(self, member: AgendaItem) -> str:
        """``clean_text`` of a member item's text, made once for both :meth:`may_hold` and
        :meth:`runs` (NFKC of a 488k-character item is a tenth of a Kent verification)."""
        found = self._clean.get(id(member))
        if found is None:
            found = self._clean[id(member)] = clean_text(self.meeting.item_text(member))
        return found

    def may_hold(self, number: str, gram: tuple[str, ...]) -> bool:
        """False when item ``number``'s text cannot hold the three-word run: its words are not in
        the text in that order with only what may separate two words between them (the text
        normalised and lower case as :func:`words` reads it). Found with a search of the text, so
        an item a passage is plainly not from is never split into words."""
        plain = self._plain.get(number)
        if plain is None:
            # clean_text also makes every dash "-": no matter here, as a dash may separate two words
            text = "\n".join(self._cleaned(m) for m in self._members.get(number, []))
            plain = self._plain[number] = text.lower() if _same_lower(text, text.lower()) else ""
        if not plain:
            return True  # no pre-check: its words may be lower case only word by word
        if not all(w in plain for w in gram if not w[0].isdigit()):
            return False
        return (
            re.search(_SEP.join(_NUMBER if w[0].isdigit() else re.escape(w) for w in gram), plain) is not None
        )

    def runs(self, number: str) -> set[tuple[str, ...]]:
        """Item ``number``'s three-word runs (empty for an unknown item)."""
        found = self._built.get(number)
        if found is None:
            found = set()
            for member in self._members.get(number, []):
                found |= shingles(words(self._cleaned(member), cleaned=True))
            self._built[number] = found
        return found

    def has(self, number: str) -> bool:
        return number in self._members

    def attribute(self, sentence: str, number: str) -> Attribution | None:
        """Where ``sentence``'s words are; None when it is too short to judge or the item unknown."""
        tokens = words(sentence)
        if len(tokens) < MIN_WORDS or number not in self._members:
            return None
        own = coverage(tokens, self.runs(number))
        best, best_item = 0.0, None
        if own <= OWN_AT_MOST:
            grams = shingles(tokens)
            for other in self._members:
                if other == number or not any(self.may_hold(other, g) for g in grams):
                    continue  # coverage 0
                score = coverage(tokens, self.runs(other))
                if score > best:
                    best, best_item = score, other
        return Attribution(own=own, other=best, other_item=best_item)

    def foreign(self, text: str, number: str) -> list[tuple[str, str]]:
        """Passages of ``text`` that are not in item ``number``'s own text but are in another
        item's: (passage, that item). Found as runs of consecutive three-word runs, so they need no
        sentence boundaries (a passage pasted after a sentence with no full stop is still found)."""
        if number not in self._members:
            return []
        runs = self.runs(number)
        spans = word_spans(text)
        tokens = [w for w, _ in spans]
        grams = [tuple(tokens[i : i + _N]) for i in range(len(tokens) - _N + 1)]
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(grams):
            if grams[i] in runs:
                i += 1
                continue
            j = i
            while j < len(grams) and grams[j] not in runs:
                j += 1
            if j - i >= MIN_RUN:
                found = self._source(grams[i:j], number)
                if found is not None:
                    other, first, last = found
                    start, end = spans[i + first][1][0], spans[i + last + _N - 1][1][1]
                    out.append((clean_text(text)[start:end], other))
            i = j
        return out

    def _source(self, run: list[tuple[str, ...]], number: str) -> tuple[str, int, int] | None:
        """The other item whose text holds the run: (item, first, last index of the run that it
        holds), its ends trimmed of the runs that straddle the join with the summary's own words."""
        best: tuple[int, str, int, int] | None = None
        for other in self._members:
            if other == number or sum(self.may_hold(other, g) for g in run) < MIN_RUN:
                continue  # cannot hold enough of it
            runs = self.runs(other)
            held = [g in runs for g in run]
            if True not in held:
                continue
            first = held.index(True)
            last = len(held) - 1 - held[::-1].index(True)
            count = sum(held[first : last + 1])
            enough = count >= MIN_RUN and count / (last - first + 1) >= OTHER_AT_LEAST
            if enough and (best is None or count > best[0]):
                best = (count, other, first, last)
        return None if best is None else (best[1], best[2], best[3])
