"""Sentences of PDF-extracted text, with the pack pages each came from.

Our own splitter, because PDF text is not prose: line breaks inside a paragraph
are undone (with their hyphenation), bullet and numbered list entries become
pieces of their own (their bullet or label kept aside), a heading on a line of
its own is a piece of its own, and full stops in "£1.2m", "e.g.", "No. 5",
"Cllr." and initials do not end a sentence. Lines printed on many pages
(running headers and footers that cleaning missed) are dropped, and a sentence
running over a page break cites both pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from summarise.models.meeting import Page

_BULLET = re.compile(r"^(?:[•▪●◦■□➢►✓\uf0b7\uf0a7\uf0d8*]|[-–—o](?=\s))\s*")
_LABEL = re.compile(
    r"^(?:\(?[a-hj-zA-HJ-Z]\)|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)\)|[A-H]\.(?=\s)"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\.?(?=\s)|\(\d{1,2}\))\s+"
)
# How a sentence (or a list's introduction) ends.
TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "eg",
        "ie",
        "cf",
        "viz",
        "al",
        "approx",
        "apr",
        "aug",
        "cllr",
        "co",
        "col",
        "corp",
        "dec",
        "dept",
        "dr",
        "est",
        "feb",
        "fig",
        "figs",
        "gov",
        "govt",
        "hon",
        "inc",
        "incl",
        "jan",
        "jr",
        "jul",
        "jun",
        "mar",
        "mr",
        "mrs",
        "ms",
        "mt",
        "no",
        "nos",
        "nov",
        "oct",
        "para",
        "paras",
        "pp",
        "prof",
        "rd",
        "rev",
        "sep",
        "sept",
        "st",
        "vol",
        "vs",
        "ref",
        "refs",
        "sec",
        "ch",
        "art",
        "arts",
        "cl",
        "sch",
        "p",
    ]
)
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£$€•])")
_CONNECTORS = frozenset(
    ["and", "or", "of", "the", "for", "to", "in", "on", "with", "by", "a", "an", "&", "-"]
)


@dataclass(frozen=True)
class _Line:
    text: str
    page: int


@dataclass(frozen=True)
class _Block:
    """A paragraph, list entry or heading, after PDF line breaks are undone."""

    lines: tuple[_Line, ...]
    bullet: bool
    label: str


@dataclass(frozen=True)
class Sentence:
    """A sentence with the pack pages it came from and where it sits."""

    text: str
    pages: tuple[int, ...]
    index: int
    block: int
    listed: bool  # from a bullet or labelled list entry
    label: str
    heading: bool


def _heading_like(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 70 or TERMINAL.search(line) or line.endswith(","):
        return False
    if words[-1].lower() in _CONNECTORS:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return caps * 2 >= len(words)


def _blocks(lines: Sequence[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[_Line] = []
    bullet = False
    label = ""

    def flush() -> None:
        nonlocal current, bullet, label
        if current:
            blocks.append(_Block(tuple(current), bullet, label))
        current, bullet, label = [], False, ""

    previous = ""
    for line in lines:
        text = " ".join(line.text.split())
        if not text:
            flush()
            previous = ""
            continue
        if previous.endswith(":"):
            flush()  # "Summary:", "Cabinet is asked to:" end their own piece
        starts_block = (
            not previous or bool(TERMINAL.search(previous)) or len(previous) < 50 or _heading_like(previous)
        )
        new_bullet = _BULLET.match(text)
        new_label = _LABEL.match(text) if starts_block or _heading_like(text) else None
        if new_bullet and (text[0] not in "-–—o" or starts_block):
            flush()
            bullet = True
            text = text[new_bullet.end() :]
        elif new_label:
            flush()
            label = new_label.group(0).strip()
            text = text[new_label.end() :]
        elif len(current) == 1 and _heading_like(previous) and text[:1].isupper():
            flush()  # the previous line was a heading on a line of its own
        if text:
            current.append(_Line(text, line.page))
        previous = text
    flush()
    return blocks


def _split_block(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside one block's joined text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1].split()
        word = before[-1] if before else ""
        core = word.rstrip(".!?\"'”’)]").lstrip("(\"'“‘[").lower()
        if word.endswith(".") or word.endswith(".)"):
            following = text[match.end() : match.end() + 1]
            roman = re.fullmatch(r"[IVX]{1,4}", word.rstrip(".)"))  # "III. Presentation" in a list
            if core in _ABBREVIATIONS or (len(core) == 1 and core.isalpha()) or roman:
                continue
            if core in {"no", "nos", "p", "pp", "para"} and following.isdigit():
                continue
        end = match.end()
        piece = text[start:end].strip()
        if piece:
            spans.append((start, start + len(text[start:end].rstrip())))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _join(block: _Block) -> tuple[str, list[tuple[int, int]]]:
    """Join a block's lines, undoing hyphenation; return text and (offset, page) marks."""
    text = ""
    marks: list[tuple[int, int]] = []
    for line in block.lines:
        if text and not (text.endswith("-") and (line.text[:1].islower() or line.text[:1].isdigit())):
            text += " "
        marks.append((len(text), line.page))
        text += line.text
    return text, marks


# "Summary: Transitions involve ..." -> "Transitions involve ..."
_LEAD_LABEL = re.compile(
    r"(?:Summary|Purpose|Background|Introduction|Context|Overview|Issue|Note|Conclusions?)\s*:\s+(?=[A-Z])"
)


# A heading in capitals run into the sentence after it: "INSTRUCTIONS FOR PUBLIC COMMENT The ...".
_CAPS_HEADING = re.compile(r"(?=[A-Z&'’\- ]{12})(?:[A-Z][A-Z&'’\-]+\s+){3,}(?=[A-Z][a-z])")


def _sentences_from_lines(lines: Sequence[_Line]) -> list[Sentence]:
    out: list[Sentence] = []
    for b, block in enumerate(_blocks(lines)):
        text, marks = _join(block)
        heading = len(block.lines) == 1 and _heading_like(text) and not block.bullet
        for start, end in _split_block(text):
            label = _LEAD_LABEL.match(text, start, end) or _CAPS_HEADING.match(text, start, end)
            if label and label.end() < end:
                start = label.end()
            pages = sorted({page for offset, page in marks if offset < end})
            first = max((page for offset, page in marks if offset <= start), default=marks[0][1])
            cited = tuple(p for p in pages if p >= first)
            out.append(
                Sentence(
                    text=text[start:end].strip(),
                    pages=cited,
                    index=len(out),
                    block=b,
                    listed=block.bullet or bool(block.label),
                    label=block.label,
                    heading=heading,
                )
            )
    return out


def split_sentences(text: str) -> list[str]:
    """Split PDF-extracted text into sentences.

    Line breaks inside a paragraph are undone, bullet and numbered list entries
    become pieces of their own (without their bullet or label), and full stops
    in "£1.2m", "e.g.", "No. 5", "Cllr." and initials do not end a sentence.

    >>> split_sentences("Costs rose to £1.2m, e.g. on fuel. See No. 5 for\\ndetail.")
    ['Costs rose to £1.2m, e.g. on fuel.', 'See No. 5 for detail.']
    """
    return [s.text for s in sentences_of_text(text)]


def sentences_of_text(text: str) -> list[Sentence]:
    """:func:`split_sentences` with each sentence's place in the text (every one on page 0)."""
    return _sentences_from_lines([_Line(t, 0) for t in text.splitlines()])


def _running_lines(pages: Sequence[Page]) -> set[str]:
    """Lines printed on many of these pages: running headers and footers that cleaning missed."""
    if len(pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [" ".join(line.split()) for line in page.text.splitlines() if line.strip()]
        counts.update(set(lines[:3] + lines[-3:]))  # headers and footers sit at the page's edges
    floor = max(4, min(len(pages) // 4, 8))
    return {line for line, n in counts.items() if n >= floor and len(line) > 3}


def sentences_of_pages(pages: Sequence[Page]) -> list[Sentence]:
    """Sentences of consecutive pages; a sentence running over a page break cites both pages."""
    running = _running_lines(pages)
    return _sentences_from_lines(
        [
            _Line(t, page.number)
            for page in pages
            for t in page.text.splitlines()
            if " ".join(t.split()) not in running
        ]
    )
