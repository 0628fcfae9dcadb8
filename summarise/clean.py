"""Clean raw page text: drop pack furniture, keep what the footers and stamps said.

Report packs stamp every page with furniture that is noise to a reader but
signal to segmentation: "Page N" footers (the pack's own numbering, which the
agenda front sheet cites) and "Agenda Item N" stamps. We remove them from the
text and keep their values on the page. Running headers are lines repeated at
the top or bottom of most pages of a file (digits ignored, so "11599" and
"11600" count as the same header).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_FOOTER = re.compile(r"^\s*page\s+(\d{1,4})\s*$", re.IGNORECASE)
_FOOTER_OF = re.compile(r"^\s*page\s+\d{1,4}\s+of\s+\d{1,4}\s*$", re.IGNORECASE)
_STAMP = re.compile(r"^\s*agenda\s+item\s+(\d{1,3}[a-z]?|[ivxlc]{1,6})\s*\.?\s*$", re.IGNORECASE)
_BLANK = re.compile(
    r"^\W*this\s+page\s+(is\s+)?(has\s+been\s+)?(intentionally|deliberately)\s+(left\s+)?blank\W*$",
    re.IGNORECASE,
)
_EDGE_LINES = 4
_HEADER_SHARE = 0.5
_HEADER_MIN_PAGES = 3


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
    return [
        _clean(text, lines, page_edges, headers)
        for text, lines, page_edges in zip(raw, split, edges, strict=True)
    ]


def _clean(text: str, lines: list[str], edges: set[int], headers: set[str]) -> CleanPage:
    footer: int | None = None
    stamp: str | None = None
    kept: list[str] = []
    for i, line in enumerate(lines):
        if len(line) <= _FURNITURE_MAX:
            if m := _FOOTER.match(line):
                footer = int(m.group(1))
                continue
            if m := _STAMP.match(line):
                stamp = m.group(1).upper() if m.group(1).isalpha() else m.group(1)
                continue
            if _FOOTER_OF.match(line) or _BLANK.match(line):
                continue
        if i in edges and _norm(line) in headers:
            continue
        kept.append(line.rstrip())
    cleaned = _GAPS.sub("\n\n", "\n".join(kept)).strip()
    return CleanPage(text=cleaned, footer=footer, stamp=stamp, blank=not cleaned, has_text=bool(text.strip()))
