"""Numbered agenda headings in page text: "1. Apologies", "VI. Adjournment", "a. Minutes...".

Both the agenda front sheet and the body of an agenda or minutes number their
items in sequence. Numbered paragraphs ("1.1", "2. Further to...") also exist,
so a heading only counts as part of a chain 1, 2, 3... (or I, II, III...) in
reading order; the longest such chain wins. Lettered lines between two items
are that item's sub-items when they run a, b, c... (restarting at "a" is
allowed: agendas group resolutions under sub-headings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_ARABIC = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:(?:agenda\s+)?item\s+(\d{1,2})\s*(?:[.):]|\s[-–—])|(\d{1,2})\s*[.)])\s+(\S.*)$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^\s*(?:#{1,6}\s*)?([IVXL]{1,6})\s*[.)]\s+(\S.*)$")
_LETTER = re.compile(r"^\s*\(?([a-z]{1,2}|[A-Z]{1,2})\s*[.)]\s+(\S.*)$")
_PAGES_REF = re.compile(r"\(\s*pages?\s+(\d{1,4})(?:\s*(?:-|–|—|to)\s*(\d{1,4}))?\s*\)\s*\.?", re.IGNORECASE)
_MAX_TITLE = 240
_MAX_CONTINUATION = 3
_WRAPPED = 40  # a heading line this long was probably wrapped onto the next
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


@dataclass(frozen=True)
class Line:
    page: int  # 1-based pack page
    text: str
    first_on_page: bool


@dataclass
class Heading:
    number: str  # as printed
    value: int  # position in its sequence (1-based)
    title: str
    page: int
    index: int  # position in the flat line list
    ref: tuple[int, int] | None = None  # "(Pages a - b)" as printed on a front sheet
    at_top: bool = False  # first line of its page
    sub_items: list[Heading] = field(default_factory=list)


def flatten(pages: Iterable[tuple[int, str]]) -> list[Line]:
    out: list[Line] = []
    for number, text in pages:
        first = True
        for raw in text.split("\n"):
            if raw.strip():
                out.append(Line(number, raw.strip(), first))
                first = False
            else:
                out.append(Line(number, "", False))
    return out


def roman_value(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total if total > 0 else None


def letter_value(s: str) -> int:
    """a=1 ... z=26, aa=27, ab=28 ... (the way long agendas run on past z)."""
    s = s.lower()
    return (ord(s[0]) - 96) if len(s) == 1 else 26 * (ord(s[0]) - 96) + (ord(s[1]) - 96)


def _candidates(lines: Sequence[Line]) -> dict[str, list[tuple[int, int, str, str]]]:
    """(line index, value, number as printed, rest) per numbering style."""
    found: dict[str, list[tuple[int, int, str, str]]] = {"arabic": [], "roman": []}
    for i, line in enumerate(lines):
        if m := _ARABIC.match(line.text):
            number = m.group(1) or m.group(2)
            found["arabic"].append((i, int(number), number, m.group(3)))
        elif (m := _ROMAN.match(line.text)) and (v := roman_value(m.group(1))) is not None:
            found["roman"].append((i, v, m.group(1), m.group(2)))
    return found


def _best_chain(cands: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    best: list[tuple[int, int, str, str]] = []
    for k, start in enumerate(cands):
        if start[1] != 1:
            continue
        chain = [start]
        for cand in cands[k + 1 :]:
            if cand[1] == chain[-1][1] + 1:
                chain.append(cand)
        if len(chain) > len(best):
            best = chain
    return best


def _title(
    lines: Sequence[Line], index: int, first: str, stop: set[int], *, paragraph: bool = False
) -> tuple[str, tuple[int, int] | None]:
    """The heading's text, joined with wrapped continuation lines, and its page reference.

    A heading runs on only where it was wrapped (a long line, or the next line
    starts in lower case) or its page reference follows, and ends at a full
    stop; with ``paragraph`` (sub-items) it runs to the blank line.
    """
    parts = [first]
    for j in range(index + 1, min(len(lines), index + 1 + _MAX_CONTINUATION)):
        text = " ".join(parts)
        if _PAGES_REF.search(text) or text.rstrip().endswith(":"):
            break
        nxt = lines[j]
        if not nxt.text or j in stop or nxt.page != lines[index].page:
            break
        if _ARABIC.match(nxt.text) or _ROMAN.match(nxt.text) or _LETTER.match(nxt.text):
            break
        unclosed = text.count("(") > text.count(")")
        label = nxt.text.isupper() or (nxt.text.startswith("(") and "page" not in nxt.text.lower())
        if not unclosed and label:
            break
        ref_next = re.search(r"\(\s*pages?\b", nxt.text, re.IGNORECASE)
        wrapped = len(lines[j - 1].text) >= _WRAPPED or nxt.text[:1].islower()
        if not paragraph and not unclosed and not ref_next and (text.endswith(".") or not wrapped):
            break
        parts.append(nxt.text)
    text = " ".join(" ".join(parts).split())
    ref: tuple[int, int] | None = None
    if m := _PAGES_REF.search(text):
        a = int(m.group(1))
        ref = (a, int(m.group(2) or a))
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = text.rstrip(" .:;–-").strip()
    if len(text) > _MAX_TITLE:
        text = text[: _MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return text, ref


def find_headings(lines: Sequence[Line]) -> list[Heading]:
    """The longest 1, 2, 3... (or I, II, III...) chain of numbered lines, with sub-items."""
    cands = _candidates(lines)
    chains = [_best_chain(cands["arabic"]), _best_chain(cands["roman"])]
    chain = max(chains, key=len)
    if len(chain) < 2:
        return []
    stop = {c[0] for c in chain}
    heads: list[Heading] = []
    for i, value, printed, rest in chain:
        title, ref = _title(lines, i, rest, stop)
        line = lines[i]
        heads.append(Heading(printed, value, title, line.page, i, ref, line.first_on_page))
    others = sorted(c[0] for style in cands.values() for c in style if c[0] not in stop)
    for k, head in enumerate(heads):
        end = heads[k + 1].index if k + 1 < len(heads) else len(lines)
        # A numbered line outside the chain (a schedule's "1.", an appendix) ends the item's lettered list.
        end = min([end, *(i for i in others if i > head.index)])
        head.sub_items = _sub_items(lines, head.index + 1, end)
    return heads


def _sub_items(lines: Sequence[Line], start: int, end: int) -> list[Heading]:
    subs: list[Heading] = []
    upper: bool | None = None
    for i in range(start, end):
        m = _LETTER.match(lines[i].text)
        if not m:
            continue
        letters = m.group(1)
        if upper is not None and letters.isupper() != upper:
            continue
        value = letter_value(letters)
        expected = subs[-1].value + 1 if subs else 1
        if value not in (expected, 1):
            continue
        upper = letters.isupper()
        title, _ = _title(lines, i, m.group(2), set(), paragraph=True)
        line = lines[i]
        subs.append(Heading(letters, value, title, line.page, i, None, line.first_on_page))
    return subs if len(subs) >= 2 or (subs and subs[0].value == 1) else []
