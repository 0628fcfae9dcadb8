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


@dataclass(frozen=True)
class _Text:
    """A member item's text as :func:`words` reads it: cleaned, with footnote markers blanked, and
    where each of its pages starts and ends in it (pages joined by a blank line, as
    :meth:`~summarise.models.Meeting.item_text` joins them). ``lower``: the text in lower case,
    None where lower case differs word by word (then only :func:`words` reads it)."""

    cleaned: str
    lower: str | None
    pages: tuple[int, ...]
    bounds: tuple[tuple[int, int], ...]


def _text_of(pages: Sequence[tuple[int, str]]) -> _Text:
    parts = [clean_text(text) for _, text in pages]  # as clean_text of the joined text: NFKC stops at "\n"
    bounds, at = [], 0
    for part in parts:
        bounds.append((at, at + len(part)))
        at += len(part) + 2
    cleaned = "\n\n".join(parts)
    blanked = FOOTNOTE_MARKER.sub(lambda m: " " * len(m[0]), cleaned)
    lower = blanked.lower()
    return _Text(
        cleaned, lower if _same_lower(blanked, lower) else None, tuple(n for n, _ in pages), tuple(bounds)
    )


def _tokens(lower: str, start: int = 0, end: int | None = None) -> list[str]:
    """:func:`words` of ``lower[start:end]``, a lower-case text cut where a blank line or a space is."""
    found = _WORD.findall(lower, start, len(lower) if end is None else end)
    return [w.replace(",", "") if "," in w else w for w in found]


def _words_at(lower: str, start: int, n: int) -> list[str]:
    """The ``n`` words of ``lower`` from one that starts at ``start`` ([] if none starts there). Read
    from the last space or line break before it: no word holds one, so words read from there are
    the words read from the start of the text."""
    out: list[str] = []
    for m in _WORD.finditer(lower, max(lower.rfind(" ", 0, start), lower.rfind("\n", 0, start)) + 1):
        if m.start() < start:
            if m.end() > start:
                return []
            continue
        if not out and m.start() > start:
            return []
        out.append(m[0].replace(",", ""))
        if len(out) == n:
            break
    return out


def _gram_pattern(gram: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_SEP.join(_NUMBER if w[0].isdigit() else re.escape(w) for w in gram))


def _holds(lower: str, gram: tuple[str, ...]) -> bool:
    """Whether the words of ``lower`` (:func:`words` of a text) have ``gram`` as three in a row:
    every place the pattern of :meth:`ItemTexts.may_hold` matches, read as words."""
    if not all(w in lower for w in gram if not w[0].isdigit()):
        return False
    pattern, at = _gram_pattern(gram), 0
    while (m := pattern.search(lower, at)) is not None:
        if tuple(_words_at(lower, m.start(), _N)) == gram:
            return True
        at = m.start() + 1
    return False


_HINT_PAGES = 12  # more pages than this given as where a text is from: read the whole item at once
_SEARCHES = 24  # three-word runs searched for in one item's text before it is split into words


class ItemTexts:
    """Each top-level item's text as three-word runs (sub-items fold into their parent, as the
    summary's items do). Read as little as settles the question: a text is first matched against
    its own item's text on the pages it cites; only a passage of six or more words not found there
    is looked for in the rest of the item, and in the other items that may hold it, by searching
    their text for those runs alone. An item whose text is searched often is split into words
    once (:meth:`runs`) and kept, as is every item's ``exhaustive``ly (as before issue 12)."""

    def __init__(self, meeting: Meeting, *, exhaustive: bool = False) -> None:
        self.meeting = meeting
        self.exhaustive = exhaustive
        self._members: dict[str, list[AgendaItem]] = {}
        for item in meeting.items:
            self._members.setdefault(item.number, []).extend(_family(item))
        self._built: dict[str, set[tuple[str, ...]]] = {}
        self._plain: dict[str, str] = {}
        self._texts: dict[int, _Text] = {}
        self._page_words: dict[tuple[int, int], list[str]] = {}
        self._may: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._words: dict[tuple[str, str], bool] = {}
        self._held: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._searches: dict[str, int] = {}

    def _text(self, member: AgendaItem) -> _Text:
        """A member item's text, made once for :meth:`may_hold`, :meth:`holds` and :meth:`runs`."""
        found = self._texts.get(id(member))
        if found is None:
            pages = [(page.number, page.text) for page in self.meeting.item_pages(member)]
            found = self._texts[id(member)] = _text_of(pages)
        return found

    def _item(self, number: str) -> list[_Text]:
        return [self._text(m) for m in self._members.get(number, [])]

    def may_hold(self, number: str, gram: tuple[str, ...]) -> bool:
        """False when item ``number``'s text cannot hold the three-word run: its words are not in
        the text in that order with only what may separate two words between them (the text
        normalised and lower case as :func:`words` reads it). Found with a search of the text, so
        an item a passage is plainly not from is never split into words."""
        key = (number, gram)
        found = self._may.get(key)
        if found is not None:
            return found
        plain = self._plain.get(number)
        if plain is None:
            texts = self._item(number)
            plain = "\n".join(t.lower or "" for t in texts) if all(t.lower is not None for t in texts) else ""
            self._plain[number] = plain
        if not plain:
            found = True  # no pre-check: its words may be lower case only word by word
        elif not all(self._has_word(number, plain, w) for w in gram if not w[0].isdigit()):
            found = False
        else:
            found = _gram_pattern(gram).search(plain) is not None
        self._may[key] = found
        return found

    def _has_word(self, number: str, plain: str, word: str) -> bool:
        """``word`` in item ``number``'s text (kept: the three runs a word is in ask for it in turn)."""
        key = (number, word)
        found = self._words.get(key)
        if found is None:
            found = self._words[key] = word in plain
        return found

    def _may_hold_some(self, number: str, grams: Sequence[tuple[str, ...]], at_least: int) -> bool:
        """Whether item ``number``'s text may hold at least ``at_least`` of the runs (read no further
        once it may, or cannot)."""
        count, left = 0, len(grams)
        for gram in grams:
            if count >= at_least or count + left < at_least:
                break
            count += self.may_hold(number, gram)
            left -= 1
        return count >= at_least

    def holds(self, number: str, gram: tuple[str, ...]) -> bool:
        """Whether the three-word run is in item ``number``'s text: in its :meth:`runs` once they
        are built; until then searched for in the text, the first :data:`_SEARCHES` times."""
        built = self._built.get(number)
        if built is not None:
            return gram in built
        key = (number, gram)
        found = self._held.get(key)
        if found is None:
            texts = self._item(number)
            if not self.may_hold(number, gram):
                found = False
            elif (
                self.exhaustive
                or self._searches.get(number, 0) >= _SEARCHES
                or None in [t.lower for t in texts]
            ):
                return gram in self.runs(number)
            else:
                self._searches[number] = self._searches.get(number, 0) + 1
                found = any(_holds(t.lower, gram) for t in texts if t.lower is not None)
            self._held[key] = found
        return found

    def runs(self, number: str) -> set[tuple[str, ...]]:
        """Item ``number``'s three-word runs (empty for an unknown item)."""
        found = self._built.get(number)
        if found is None:
            found = set()
            for text in self._item(number):
                tokens = _tokens(text.lower) if text.lower is not None else words(text.cleaned, cleaned=True)
                found |= shingles(tokens)
            self._built[number] = found
        return found

    def _runs_on(self, number: str, pages: Iterable[int]) -> set[tuple[str, ...]] | None:
        """Some of item ``number``'s three-word runs: those on the given pages (each stretch of
        consecutive ones read as one text); None when that is most of the item, or it needs
        :func:`words`' reading word by word."""
        wanted = set(pages)
        texts = self._item(number)
        if sum(n in wanted for t in texts for n in t.pages) > _HINT_PAGES or None in [t.lower for t in texts]:
            return None
        found: set[tuple[str, ...]] = set()
        for text in texts:
            assert text.lower is not None
            stretch: list[str] = []
            for i, n in enumerate([*text.pages, 0]):
                if n in wanted:
                    key = (id(text), i)
                    if key not in self._page_words:
                        self._page_words[key] = _tokens(text.lower, *text.bounds[i])
                    stretch += self._page_words[key]
                elif stretch:
                    found |= shingles(stretch)
                    stretch = []
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

    def _own(self, grams: list[tuple[str, ...]], number: str, pages: Iterable[int]) -> list[bool]:
        """Which of the runs are in item ``number``'s own text. Those on the given pages are; a
        stretch of fewer than :data:`MIN_RUN` others between them makes no passage whatever it
        holds, so only the runs of a longer stretch are looked for in the rest of the item."""
        seen = None if self.exhaustive or number in self._built else self._runs_on(number, pages)
        if seen is None:
            runs = self.runs(number)
            return [g in runs for g in grams]
        own = [g in seen for g in grams]
        i = 0
        while i < len(own):
            j = i
            while j < len(own) and not own[j]:
                j += 1
            if j - i >= MIN_RUN:
                own[i:j] = [self.holds(number, g) for g in grams[i:j]]
            i = j + 1
        return own

    def foreign(self, text: str, number: str, pages: Iterable[int] = ()) -> list[tuple[str, str]]:
        """Passages of ``text`` that are not in item ``number``'s own text but are in another
        item's: (passage, that item). Found as runs of consecutive three-word runs, so they need no
        sentence boundaries (a passage pasted after a sentence with no full stop is still found).
        ``pages``: where the text says it is from, read first."""
        if number not in self._members:
            return []
        spans = word_spans(text)
        tokens = [w for w, _ in spans]
        grams = [tuple(tokens[i : i + _N]) for i in range(len(tokens) - _N + 1)]
        own = self._own(grams, number, pages)
        out: list[tuple[str, str]] = []
        i = 0
        while i < len(grams):
            if own[i]:
                i += 1
                continue
            j = i
            while j < len(grams) and not own[j]:
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
            if other == number or not self._may_hold_some(other, run, MIN_RUN):
                continue  # cannot hold enough of it
            held = [self.holds(other, g) for g in run]
            if True not in held:
                continue
            first = held.index(True)
            last = len(held) - 1 - held[::-1].index(True)
            count = sum(held[first : last + 1])
            enough = count >= MIN_RUN and count / (last - first + 1) >= OTHER_AT_LEAST
            if enough and (best is None or count > best[0]):
                best = (count, other, first, last)
        return None if best is None else (best[1], best[2], best[3])
