"""Clean raw page text: drop pack furniture, keep what the footers and stamps said.

Report packs stamp every page with furniture that is noise to a reader but
signal to segmentation: "Page N" footers (the pack's own numbering, which the
agenda front sheet cites) and "Agenda Item N" stamps. We remove them from the
text and keep their values on the page. Running headers are lines repeated at
the top or bottom of most pages of a file (digits ignored, so "11599" and
"11600" count as the same header).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, replace

from summarise.text.vocab import PAGE_FOOTER

_STAMP = re.compile(r"^\s*agenda\s+item\s+(\d{1,3}[a-z]?|[ivxlc]{1,6})\s*\.?\s*$", re.IGNORECASE)
# "Item No: 5", "ITEM 5", "Agenda Item No. 5": a stamp only alone at a page's edge (a front sheet lists many)
_WEAK_STAMP = re.compile(
    r"^\s*(?:agenda\s+)?item\s*(?:no\.?|number)?\s*:?\s*(\d{1,3}[a-z]?|[ivxlc]{1,6})\s*[.:]?\s*$",
    re.IGNORECASE,
)
_BLANK = re.compile(
    r"^\W*this\s+page\s+(is\s+)?(has\s+been\s+)?(intentionally|deliberately)\s+(left\s+)?blank\W*$",
    re.IGNORECASE,
)
# Weaker footers, trusted only when their numbers run on with the pages: "12", "- 12 -", "Page 12 of 80".
_WEAK_FOOTER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:page\s+)?(\d{1,4})(?:\s*[-–—])?(?:\s+of\s+\d{1,4})?\s*$", re.IGNORECASE
)
_WEAK_AGREE = 0.8  # share of consecutive footers whose numbers step with the pages
_EDGE_LINES = 4
_HEADER_SHARE = 0.5
_HEADER_MIN_PAGES = 3


# Control characters that are not layout (tab, newline, form feed and CR are turned into layout
# below), C1 controls, and the noncharacters U+FFFE/U+FFFF; none of them is text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_LINE_CHARS = 4_000  # a page holds ~5,000 characters: longer lines are folded at spaces


def valid_text(text: str) -> str:
    """Text every later stage can trust: valid Unicode, no control characters, no absurd lines.

    A PDF's text layer can decode to lone surrogates (which cannot be written as UTF-8), NULs and
    other controls, or one line of megabytes; each is repaired here, once, at extraction.

    >>> valid_text("a\\ud800b\\x00c\\x0cd")
    'a\\ufffdbc\\nd'
    """
    if _SURROGATE.search(text):  # join valid pairs, replace lone halves
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL.sub("", text)
    if len(text) > MAX_LINE_CHARS and any(len(line) > MAX_LINE_CHARS for line in text.split("\n")):
        text = "\n".join(_fold(line) for line in text.split("\n"))
    return text


def _fold(line: str) -> str:
    """A line cut into pieces of at most :data:`MAX_LINE_CHARS`, at a space where there is one."""
    pieces: list[str] = []
    start, end = 0, len(line)
    while end - start > MAX_LINE_CHARS:
        cut = line.rfind(" ", start + MAX_LINE_CHARS // 2, start + MAX_LINE_CHARS)
        cut = cut if cut > 0 else start + MAX_LINE_CHARS
        pieces.append(line[start:cut].rstrip())
        start = cut
        while start < end and line[start] == " ":
            start += 1
    pieces.append(line[start:])
    return "\n".join(pieces)


@dataclass(frozen=True)
class CleanPage:
    text: str
    footer: int | None = None  # the "Page N" footer's N, the pack numbering
    stamp: str | None = None  # the "Agenda Item N" stamp's N
    blank: bool = False  # nothing left once furniture ("intentionally left blank", footers) is gone
    has_text: bool = True  # the raw page had any text at all


_DIGITS = re.compile(r"\d+")
_GAPS = re.compile(r"\n{3,}")
_FURNITURE_MAX = 80  # furniture lines are short; longer lines skip the regexes


def _norm(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.lower().split()))


def _edges(lines: list[str]) -> set[int]:
    """Indices of the first and last few non-empty lines."""
    filled = [i for i, line in enumerate(lines) if line and not line.isspace()]
    k = _EDGE_LINES if len(filled) > 4 * _EDGE_LINES else 1  # short pages: only the very first and last
    return set(filled[:k] + filled[-k:])


def find_running_headers(pages: list[list[str]], edges: list[set[int]]) -> set[str]:
    """Normalised edge lines that appear on at least half of the pages with text."""
    with_text = [(lines, e) for lines, e in zip(pages, edges, strict=True) if e]
    if len(with_text) < _HEADER_MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for lines, e in with_text:
        counts.update({_norm(lines[i]) for i in e})
    threshold = max(_HEADER_MIN_PAGES, _HEADER_SHARE * len(with_text))
    return {key for key, n in counts.items() if key and n >= threshold}


def clean_pages(raw: list[str], *, running_headers: bool = True) -> list[CleanPage]:
    """Clean the pages of one file (running headers are judged per file)."""
    split = [text.replace("\r\n", "\n").replace("\r", "\n").split("\n") for text in raw]
    edges = [_edges(lines) for lines in split]
    headers = find_running_headers(split, edges) if running_headers else set()
    weak = weak_footers(split) if running_headers else {}
    out = [
        _clean(text, lines, page_edges, headers)
        for text, lines, page_edges in zip(raw, split, edges, strict=True)
    ]
    if weak and not any(p.footer is not None for p in out):
        out = [replace(p, footer=weak[i][1]) if i in weak else p for i, p in enumerate(out)]
        for i in weak:
            text = _drop_line(out[i].text, str(weak[i][1]))
            out[i] = replace(out[i], text=text, blank=not text)
    return out


def weak_footers(pages: list[list[str]]) -> dict[int, tuple[int, int]]:
    """Page index -> (line index, number) for bare-number footers, if they count the pages.

    A lone number at the foot of a page may be a table's last value; it is
    taken as the page number only when most pages have one and consecutive
    ones step exactly as the pages do.
    """
    found: dict[int, tuple[int, int]] = {}
    for k, lines in enumerate(pages):
        filled = [i for i, line in enumerate(lines) if line.strip()]
        for i in filled[-1:] + filled[:1]:
            if len(lines[i]) <= _FURNITURE_MAX and (m := _WEAK_FOOTER.match(lines[i])):
                found[k] = (i, int(m.group(1)))
                break
    with_text = sum(1 for lines in pages if any(line.strip() for line in lines))
    if len(found) < _HEADER_MIN_PAGES or 2 * len(found) < with_text:
        return {}
    keys = sorted(found)
    steps = [found[b][1] - found[a][1] == b - a for a, b in itertools.pairwise(keys)]
    return found if sum(steps) >= _WEAK_AGREE * len(steps) else {}


def _drop_line(text: str, number: str) -> str:
    """Remove a weak footer left in the text (running-header removal usually took it already)."""
    lines = text.split("\n")
    for i in (len(lines) - 1, 0):
        if lines and _WEAK_FOOTER.match(lines[i]) and number in lines[i]:
            del lines[i]
            break
    return "\n".join(lines).strip()


def _clean(text: str, lines: list[str], edges: set[int], headers: set[str]) -> CleanPage:
    footer: int | None = None
    stamp: str | None = None
    kept: list[str] = []
    weak = [i for i, line in enumerate(lines) if len(line) <= _FURNITURE_MAX and _WEAK_STAMP.match(line)]
    weak_stamp = weak[0] if len(weak) == 1 and weak[0] in edges else None
    for i, line in enumerate(lines):
        if i == weak_stamp and (m := _WEAK_STAMP.match(line)):
            stamp = stamp or (m.group(1).upper() if m.group(1).isalpha() else m.group(1))
            continue
        if len(line) <= _FURNITURE_MAX:
            if m := PAGE_FOOTER.match(line):
                if m.group(2) is None:  # "Page 12 of 80" counts a file's pages, not the pack's
                    footer = int(m.group(1))
                continue
            if m := _STAMP.match(line):
                stamp = m.group(1).upper() if m.group(1).isalpha() else m.group(1)
                continue
            if _BLANK.match(line):
                continue
        if i in edges and _norm(line) in headers:
            continue
        kept.append(line.rstrip())
    cleaned = _GAPS.sub("\n\n", "\n".join(kept)).strip()
    return CleanPage(text=cleaned, footer=footer, stamp=stamp, blank=not cleaned, has_text=bool(text.strip()))
