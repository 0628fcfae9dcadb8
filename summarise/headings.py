"""Numbered agenda headings in page text: "1. Apologies", "VI. Adjournment", "a. Minutes...".

Both the agenda front sheet and the body of an agenda or minutes number their
items in sequence. Numbered paragraphs ("1.1", "2. Further to...") also exist,
so a heading only counts as part of a chain 1, 2, 3... (or I, II, III...) in
reading order; the longest such chain wins. Lettered lines between two items
are that item's sub-items when they run a, b, c... (restarting at "a" is
allowed: agendas group resolutions under sub-headings).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_ARABIC = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:(?P<word>(?:agenda\s+)?item|min(?:ute)?\.?)\s*(?:no\.?|number|#)?\s*:?\s*"
    r"(?P<a>\d{1,3})\s*(?:[.):]|\s[-–—])?|\(?(?P<b>\d{1,2})\s*[.)])\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# Minute references carry on from earlier meetings: "45/25 Title", "MIN 45/25. Title", "C/45/25 Title".
_MINUTE = re.compile(
    r"^\s*(?:min(?:ute)?\.?\s*(?:no\.?\s*)?)?(?:[A-Z]{1,4}/)?(\d{1,4})/(\d{1,4})\s*[.:]?\s+(\S.*)$",
    re.IGNORECASE,
)
_BARE = re.compile(r"^\s*(\d{1,2})\s+([A-Z(].*)$")  # "5    Title (Pages 7 - 20)": a table's number column
_ROMAN = re.compile(r"^\s*(?:#{1,6}\s*)?([IVXL]{1,6})\s*[.)]\s+(\S.*)$")
_UPPER = re.compile(r"^\s*(?:#{1,6}\s*)?([A-Z])\s*[.)]\s+(\S.*)$")  # "A. Call to Order": top-level letters
_LETTER = re.compile(r"^\s*\(?([a-z]{1,2}|[A-Z]{1,2})\s*[.)]\s+(\S.*)$")
# A number printed alone, its title on the next line (a table's number column): "5.", "Item 5:", "IV."
_LONE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:(?:agenda\s+)?item\s*(?:no\.?|number|#)?\s*:?\s*\d{1,3}\s*[.):]?"
    r"|\(?\d{1,2}\s*[.)]|[IVXL]{1,6}\s*[.)])\s*$",
    re.IGNORECASE,
)
_RANGE = r"(\d{1,4})(?:\s*(?:-|–|—|to)\s*(\d{1,4}))?"
# "(Pages 12 - 40)", "(pp. 12-40)", "(Page 12)"; unbracketed only at the end of the line: "Pages 12-40";
# a contents line's dot leaders: "Budget ........ 12"
_PAGES_REF = re.compile(
    rf"\(\s*(?:pages?|pp\.?)\s*{_RANGE}\s*\)\s*\.?|\b(?:pages?|pp\.?)\s*{_RANGE}\s*\.?\s*$"
    r"|\s*(?:\.\s?){4,}\s*(\d{1,4})\s*$|\s*…+\s*(\d{1,4})\s*$",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"^\s*\d{1,2}\.\d{1,2}\b")  # "5.1 Title": a sub-item, never a wrapped title's end
_REF_START = re.compile(r"^\(?\s*(?:pages?|pp\.?)\s*\d", re.IGNORECASE)
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


Cand = tuple[int, int, str, str]  # line index, value in its sequence, number as printed, rest of the line


def _candidates(lines: Sequence[Line]) -> dict[str, list[Cand]]:
    """Numbered lines per numbering style.

    "prefixed" ("Item 5", "MIN 12.") and the minute references may start
    anywhere (minutes number on from earlier meetings); the others count from 1.
    """
    styles = ("arabic", "roman", "upper", "prefixed", "min1", "min2", "bare")
    found: dict[str, list[Cand]] = {k: [] for k in styles}
    for i, line in enumerate(lines):
        text = line.text
        if m := _MINUTE.match(text):
            printed = text.split()[0].rstrip(".:")
            found["min1"].append((i, int(m.group(1)), printed, m.group(3)))
            found["min2"].append((i, int(m.group(2)), printed, m.group(3)))
        elif m := _ARABIC.match(text):
            number = m["a"] or m["b"]
            found["arabic"].append((i, int(number), number, m["rest"]))
            if m["word"]:
                found["prefixed"].append((i, int(number), number, m["rest"]))
        elif (m := _ROMAN.match(text)) and (v := roman_value(m.group(1))) is not None:
            found["roman"].append((i, v, m.group(1), m.group(2)))
        elif m := _BARE.match(text):
            found["bare"].append((i, int(m.group(1)), m.group(1), m.group(2)))
        if m := _UPPER.match(text):
            found["upper"].append((i, letter_value(m.group(1)), m.group(1), m.group(2)))
    return found


_MIN_ANY_START = 3  # a chain that does not start at 1 needs this many links


def _best_chain(cands: list[Cand], *, any_start: bool = False) -> list[Cand]:
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


def _capitalised(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if len(w) >= 4]
    return bool(words) and 2 * sum(w[0].isupper() for w in words) > len(words)


def _described(title: str, nxt: str) -> bool:
    """A Title Case heading followed by a sentence-case sentence: its description, not its wrapped end."""
    return nxt.rstrip().endswith(".") and nxt[:1].isupper() and _capitalised(title) and not _capitalised(nxt)


def _ref(m: re.Match[str]) -> tuple[int, int]:
    """First and last page of a page reference (a dot-leader or "Page 12" reference gives the first only)."""
    a = int(next(g for g in (m.group(1), m.group(3), m.group(5), m.group(6)) if g))
    return a, int(m.group(2) or m.group(4) or a)


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
        if any(p.match(nxt.text) for p in (_ARABIC, _ROMAN, _LETTER, _MINUTE, _DECIMAL)):
            break
        unclosed = text.count("(") > text.count(")")
        ref_next = _PAGES_REF.search(nxt.text) is not None
        label = nxt.text.isupper() or (nxt.text.startswith("(") and not _REF_START.match(nxt.text))
        if not unclosed and label:
            break
        wrapped = len(lines[j - 1].text) >= _WRAPPED or nxt.text[:1].islower()
        if not paragraph and not unclosed and not ref_next and (text.endswith(".") or not wrapped):
            break
        if not paragraph and not unclosed and not ref_next and _described(text, nxt.text):
            break
        parts.append(nxt.text)
    text = " ".join(" ".join(parts).split())
    ref: tuple[int, int] | None = None
    if m := _PAGES_REF.search(text):
        ref = _ref(m)
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = text.rstrip(" .:;–-").strip()
    if len(text) > _MAX_TITLE:
        text = text[: _MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return text, ref


def find_headings(lines: Sequence[Line]) -> list[Heading]:
    """The longest 1, 2, 3... (or I, II, III...) chain of numbered lines, with sub-items."""
    lines = _join_lone_numbers(lines)
    cands = _candidates(lines)
    chain = max([_best_chain(cands["arabic"]), _best_chain(cands["roman"])], key=len)
    for style in ("prefixed", "min1", "min2"):
        other = _best_chain(cands[style], any_start=True)
        if len(other) >= _MIN_ANY_START and len(other) > len(chain):
            chain = other
    bare = _best_chain(cands["bare"])
    if len(bare) > len(chain) and _cited(lines, bare):
        chain = bare
    letters = _best_chain(cands["upper"])  # "A. Call to Order": three at least (two are recommendations)
    if len(letters) >= _MIN_ANY_START and (len(chain) < 2 or _nested(chain, letters)):
        chain = letters
    if len(chain) < 2:
        return []
    stop = {c[0] for c in chain}
    heads: list[Heading] = []
    for i, value, printed, rest in chain:
        title, ref = _title(lines, i, rest, stop)
        line = lines[i]
        heads.append(Heading(printed, value, title, line.page, i, ref, line.first_on_page))
    numbered = ("arabic", "roman", "min1")  # lettered lines are sub-items, not the end of a list
    others = sorted(c[0] for style in numbered for c in cands[style] if c[0] not in stop)
    for k, head in enumerate(heads):
        end = heads[k + 1].index if k + 1 < len(heads) else len(lines)
        # A numbered line outside the chain (a schedule's "1.", an appendix) ends the item's lettered list.
        end = min([end, *(i for i in others if i > head.index)])
        head.sub_items = _sub_items(lines, head.index + 1, end)
        if head.ref is None:
            head.ref = _inner_ref(lines, head.index + 1, end)
    return heads


def _cited(lines: Sequence[Line], chain: list[Cand]) -> bool:
    """Whether a chain's items cite pages (on their line or their sub-items'), as a front sheet's do.

    Bare numbers ("5   Title") are often noise (table rows, page numbers) unless they do.
    """
    stop = {c[0] for c in chain}
    ends = [c[0] for c in chain[1:]] + [len(lines)]
    refs = sum(
        1
        for (i, _, _, rest), end in zip(chain, ends, strict=True)
        if _title(lines, i, rest, stop)[1] is not None or _inner_ref(lines, i + 1, end) is not None
    )
    return refs >= min(2, len(chain)) or (refs > 0 and 2 * refs >= len(chain))


def _nested(inner: list[Cand], outer: list[Cand]) -> bool:
    """Whether all of ``inner`` sits between two neighbours of ``outer``: a sub-list ("C. 1. 2. D.")."""
    first, last = inner[0][0], inner[-1][0]
    return any(a[0] < first and last < b[0] for a, b in itertools.pairwise(outer))


def _join_lone_numbers(lines: Sequence[Line]) -> list[Line]:
    """Put a lone "5." and the title on its next line together (same length: the title's line empties)."""
    out = list(lines)
    for i, line in enumerate(out):
        if not _LONE.match(line.text):
            continue
        j = next((j for j in range(i + 1, min(len(out), i + 3)) if out[j].text), None)
        if j is None or out[j].page != line.page or _LONE.match(out[j].text):
            continue
        nxt = out[j].text
        if any(p.match(nxt) for p in (_ARABIC, _ROMAN, _MINUTE)):
            continue
        out[i] = Line(line.page, f"{line.text} {nxt}", line.first_on_page)
        out[j] = Line(out[j].page, "", False)
    return out


def _inner_ref(lines: Sequence[Line], start: int, end: int) -> tuple[int, int] | None:
    """The pages a heading's own lines cite ("3.1 Report (Pages 3 - 5)" under "3. Reports for Decision")."""
    refs: list[tuple[int, int]] = []
    for line in lines[start:end]:
        if line.page != lines[start - 1].page:
            break
        if m := _PAGES_REF.search(line.text):
            refs.append(_ref(m))
    if not refs or any(b < a for a, b in itertools.pairwise(r[0] for r in refs)):
        return None
    return refs[0][0], max(r[1] for r in refs)


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
