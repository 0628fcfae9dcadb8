"""Numbered lines and their sequences: "5.", "Item 5", "(5)", "V.", "A.", "45/25", "5   Title".

Each numbering style yields candidates (line, value, number as printed, rest
of the line); a chain is a run of candidates whose values rise by one in
reading order. :mod:`summarise.ingest.agenda.headings` chooses among the styles' chains.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

ARABIC = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:(?P<word>(?:agenda\s+)?item|min(?:ute)?\.?)\s*(?:no\.?|number|#)?\s*:?\s*"
    r"(?P<a>\d{1,3})\s*(?:[.):]|\s[-–—])?|\(?(?P<b>\d{1,2})\s*[.)])\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# Minute references carry on from earlier meetings: "45/25 Title", "MIN 45/25. Title", "C/45/25 Title".
MINUTE = re.compile(
    r"^\s*(?:min(?:ute)?\.?\s*(?:no\.?\s*)?)?(?:[A-Z]{1,4}/)?(\d{1,4})/(\d{1,4})\s*[.:]?\s+(\S.*)$",
    re.IGNORECASE,
)
BARE = re.compile(r"^\s*(\d{1,2})\s+([A-Z(].*)$")  # "5    Title (Pages 7 - 20)": a table's number column
ROMAN = re.compile(r"^\s*(?:#{1,6}\s*)?([IVXL]{1,6})\s*[.)]\s+(\S.*)$")
UPPER = re.compile(r"^\s*(?:#{1,6}\s*)?([A-Z])\s*[.)]\s+(\S.*)$")  # "A. Call to Order": top-level letters
LETTER = re.compile(r"^\s*\(?([a-z]{1,2}|[A-Z]{1,2})\s*[.)]\s+(\S.*)$")
# A number printed alone, its title on the next line (a table's number column): "5.", "Item 5:", "IV."
LONE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:(?:agenda\s+)?item\s*(?:no\.?|number|#)?\s*:?\s*\d{1,3}\s*[.):]?"
    r"|\(?\d{1,2}\s*[.)]|[IVXL]{1,6}\s*[.)])\s*$",
    re.IGNORECASE,
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


@dataclass(frozen=True)
class Line:
    page: int  # 1-based pack page
    text: str
    first_on_page: bool


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


Cand = tuple[int, int, str, str]  # line index, value in its sequence, number as printed, rest of the line


def candidates(lines: Sequence[Line]) -> dict[str, list[Cand]]:
    """Numbered lines per numbering style.

    "prefixed" ("Item 5", "MIN 12.") and the minute references may start
    anywhere (minutes number on from earlier meetings); the others count from 1.
    """
    styles = ("arabic", "roman", "upper", "prefixed", "min1", "min2", "bare")
    found: dict[str, list[Cand]] = {k: [] for k in styles}
    for i, line in enumerate(lines):
        text = line.text
        if m := MINUTE.match(text):
            printed = text.split()[0].rstrip(".:")
            found["min1"].append((i, int(m.group(1)), printed, m.group(3)))
            found["min2"].append((i, int(m.group(2)), printed, m.group(3)))
        elif (m := ARABIC.match(text)) and not (m["word"] and m["rest"][:1].islower()):
            number = m["a"] or m["b"]  # "Item 3 was deferred": a sentence, not a heading
            found["arabic"].append((i, int(number), number, m["rest"]))
            if m["word"]:
                found["prefixed"].append((i, int(number), number, m["rest"]))
        elif (m := ROMAN.match(text)) and (v := roman_value(m.group(1))) is not None:
            found["roman"].append((i, v, m.group(1), m.group(2)))
        elif m := BARE.match(text):
            found["bare"].append((i, int(m.group(1)), m.group(1), m.group(2)))
        if m := UPPER.match(text):
            found["upper"].append((i, letter_value(m.group(1)), m.group(1), m.group(2)))
    return found


MIN_ANY_START = 3  # a chain that does not start at 1 needs this many links


def best_chain(cands: list[Cand], *, any_start: bool = False) -> list[Cand]:
    best: list[Cand] = []
    for k, start in enumerate(cands):
        if start[1] != 1 and not any_start:
            continue
        chain = [start]
        for cand in cands[k + 1 :]:
            if cand[1] == chain[-1][1] + 1:
                chain.append(cand)
        if len(chain) > len(best):
            best = chain
    return best


def nested(inner: list[Cand], outer: list[Cand]) -> bool:
    """Whether all of ``inner`` sits between two neighbours of ``outer``: a sub-list ("C. 1. 2. D.")."""
    first, last = inner[0][0], inner[-1][0]
    return any(a[0] < first and last < b[0] for a, b in itertools.pairwise(outer))


def join_lone_numbers(lines: Sequence[Line]) -> list[Line]:
    """Put a lone "5." and the title on its next line together (same length: the title's line empties)."""
    out = list(lines)
    for i, line in enumerate(out):
        if not LONE.match(line.text):
            continue
        j = next((j for j in range(i + 1, min(len(out), i + 3)) if out[j].text), None)
        if j is None or out[j].page != line.page or LONE.match(out[j].text):
            continue
        nxt = out[j].text
        if any(p.match(nxt) for p in (ARABIC, ROMAN, MINUTE)):
            continue
        out[i] = Line(line.page, f"{line.text} {nxt}", line.first_on_page)
        out[j] = Line(out[j].page, "", False)
    return out
