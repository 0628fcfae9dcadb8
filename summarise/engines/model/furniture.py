"""Text a model need not read twice: lines repeated across an item's pages, and runs of spaces.

Report packs repeat table headings at the top of every page of a table, footers ("Numbers rounded
for clarity ..."), and appendix titles. Within one item, a line of some length that sits among the
first or last few lines of several pages is sent on its first page only; a line repeated mid-page
(an outcome in minutes, "Motion carried") is content and always sent, as is every other word. The
tokens left out are counted, so a summary and an estimate can say how much was not sent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summarise.engines.model.protocol import PageLike
from summarise.text.tokens import count_tokens

MIN_LINE_CHARS = 20  # shorter lines ("Total", "£000s") are too often real content to drop
MIN_PAGES = 3  # a line on fewer pages than this is content, not furniture
EDGE_LINES = 4  # furniture sits among a page's first or last lines (headers, table heads, footers)
_SENTENCE_END = (".", "!", "?")  # a whole sentence ("No action at this time.") is content
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


@dataclass(frozen=True)
class Trimmed:
    pages: list[tuple[int, str]]  # (page number, text to send); pages left empty are dropped
    left_out_tokens: int


def _key(line: str) -> str:
    return " ".join(line.split())


def _edges(text: str) -> set[str]:
    lines = [k for k in map(_key, text.splitlines()) if k]
    return set(lines[:EDGE_LINES] + lines[-EDGE_LINES:])


def trim_furniture(pages: Iterable[PageLike], model: str | None = None) -> Trimmed:
    """The pages' text with repeated lines kept on their first page only, spaces collapsed."""
    texts: Sequence[tuple[int, str]] = [(p.number, p.text) for p in pages]
    on_pages: Counter[str] = Counter()
    for _, text in texts:
        on_pages.update(
            {k for k in _edges(text) if len(k) >= MIN_LINE_CHARS and not k.endswith(_SENTENCE_END)}
        )
    repeated = {k for k, n in on_pages.items() if n >= MIN_PAGES}
    sent: set[str] = set()
    kept_pages: list[tuple[int, str]] = []
    left_out = 0
    for number, text in texts:
        lines: list[str] = []
        edges = _edges(text)
        for line in text.splitlines():
            key = _key(line)
            if key in repeated and key in edges:
                if key in sent:
                    left_out += count_tokens(key, model) + 1
                    continue
                sent.add(key)
            lines.append(_SPACES.sub(" ", line).rstrip())
        kept = "\n".join(lines).strip()
        if kept:
            kept_pages.append((number, kept))
    return Trimmed(kept_pages, left_out)
