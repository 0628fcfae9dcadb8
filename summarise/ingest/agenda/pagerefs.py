"""A heading's title and the pages it cites: "5. Budget (Pages 12 - 40)", "4.1 Review ...... 3".

A title runs on over wrapped lines but not into the description under it; the
page reference is taken off the title and kept as (first, last).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from summarise.ingest.agenda.numbering import ARABIC, LETTER, MINUTE, ROMAN, Line

_RANGE = r"(\d{1,4})(?:\s*(?:-|–|—|to)\s*(\d{1,4}))?"
# "(Pages 12 - 40)", "(pp. 12-40)", "(Page 12)"; unbracketed only at the end of the line: "Pages 12-40";
# a contents line's dot leaders: "Budget ........ 12"
PAGES_REF = re.compile(
    rf"\(\s*(?:pages?|pp\.?)\s*{_RANGE}\s*\)\s*\.?|\b(?:pages?|pp\.?)\s*{_RANGE}\s*\.?\s*$"
    r"|\s*(?:\.\s?){4,}\s*(\d{1,4})\s*$|\s*…+\s*(\d{1,4})\s*$",
    re.IGNORECASE,
)
_DECIMAL = re.compile(r"^\s*\d{1,2}\.\d{1,2}\b")  # "5.1 Title": a sub-item, never a wrapped title's end
_REF_START = re.compile(r"^\(?\s*(?:pages?|pp\.?)\s*\d", re.IGNORECASE)
_MAX_TITLE = 240
_MAX_CONTINUATION = 3
_WRAPPED = 40  # a heading line this long was probably wrapped onto the next


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


def heading_title(
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
        if PAGES_REF.search(text) or text.rstrip().endswith(":"):
            break
        nxt = lines[j]
        if not nxt.text or j in stop or nxt.page != lines[index].page:
            break
        if any(p.match(nxt.text) for p in (ARABIC, ROMAN, LETTER, MINUTE, _DECIMAL)):
            break
        unclosed = text.count("(") > text.count(")")
        ref_next = PAGES_REF.search(nxt.text) is not None
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
    if m := PAGES_REF.search(text):
        ref = _ref(m)
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = text.rstrip(" .:;–-").strip()
    if len(text) > _MAX_TITLE:
        text = text[: _MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return text, ref


def inner_ref(lines: Sequence[Line], start: int, end: int) -> tuple[int, int] | None:
    """The pages a heading's own lines cite ("3.1 Report (Pages 3 - 5)" under "3. Reports for Decision")."""
    refs: list[tuple[int, int]] = []
    for line in lines[start:end]:
        if line.page != lines[start - 1].page:
            break
        if m := PAGES_REF.search(line.text):
            refs.append(_ref(m))
    if not refs or any(b < a for a, b in itertools.pairwise(r[0] for r in refs)):
        return None
    return refs[0][0], max(r[1] for r in refs)
