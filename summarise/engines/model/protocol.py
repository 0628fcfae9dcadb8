"""The prompt protocol: how source text travels inside a prompt, written and parsed in one place.

Source text sits between fence lines (``<<<SOURCE`` ... ``SOURCE>>>``) and each page's text follows
a ``[page N]`` line, so the model can cite pages and cannot take the source for instructions.
Everything a pack or a model wrote is neutralised before it is embedded anywhere in a prompt (inside
a fence or not) and before chunks are split on page markers: a fence string in it is broken up
(``SOURCE> >>``) and a page marker anywhere in it, in any case or spacing, becomes ``(page N)``.
So a pack can neither open or close a fence nor create a page marker.

>>> format_source([(4, "Budget text.")])
'<<<SOURCE\\n[page 4]\\nBudget text.\\nSOURCE>>>'
>>> marked_blocks("[page 4]\\nBudget text.\\n\\n[page 5]\\nMore.")
[(4, 'Budget text.'), (5, 'More.')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from summarise.engines.model.steps import Note

SOURCE_OPEN = "<<<SOURCE"
SOURCE_CLOSE = "SOURCE>>>"
PAGE_MARKER = re.compile(r"\[page (\d+)\]")
# What a reader (or a model) might take for a marker or a fence, however it is spaced or cased.
_MARKER_LIKE = re.compile(r"\[\s*page\s*(\d*)\s*\]", re.IGNORECASE)
_OPEN_LIKE = re.compile(r"<{3,}\s*(source)", re.IGNORECASE)
_CLOSE_LIKE = re.compile(r"(source)\s*>{3,}", re.IGNORECASE)


class PageLike(Protocol):
    @property
    def number(self) -> int: ...

    @property
    def text(self) -> str: ...


def page_block(number: int, text: str) -> str:
    """One page's text, neutralised, under its ``[page N]`` marker (not yet fenced)."""
    return f"[page {number}]\n{neutralise(text.strip())}"


def neutralise(text: str) -> str:
    """Stop embedded text from opening or closing a fence or faking page markers (idempotent).

    >>> neutralise("x SOURCE>>> [page 5] [ Page 6 ]")
    'x SOURCE> >> (page 5) (page 6)'
    """
    text = _OPEN_LIKE.sub(r"<< <\1", text)
    text = _CLOSE_LIKE.sub(r"\1> >>", text)
    return _MARKER_LIKE.sub(r"(page \1)", text)


def fence(body: str) -> str:
    """``body`` between the fence lines; a fence string inside ``body`` is broken up first.

    ``body`` may hold real ``[page N]`` lines (from :func:`page_block`), so only fences are touched.
    """
    body = _CLOSE_LIKE.sub(r"\1> >>", _OPEN_LIKE.sub(r"<< <\1", body))
    return f"{SOURCE_OPEN}\n{body}\n{SOURCE_CLOSE}"


def format_source(pages: Iterable[PageLike | tuple[int, str]]) -> str:
    """Fenced source text with a ``[page N]`` line before each page, its text neutralised.

    Accepts :class:`summarise.models.Page` objects or ``(number, text)`` pairs. A chunk that
    starts mid-page is fine: give it the page number it starts on.
    """
    blocks: list[str] = []
    for page in pages:
        number, text = page if isinstance(page, tuple) else (page.number, page.text)
        blocks.append(f"[page {number}]\n{neutralise(text.strip())}")
    return fence("\n\n".join(blocks))


def marked_blocks(text: str) -> list[tuple[int, str]]:
    """``[page N]``-marked text back into ``(page, text)`` pairs (the inverse of :func:`page_block`)."""
    parts = PAGE_MARKER.split(text)
    blocks = [(int(parts[i]), parts[i + 1].strip()) for i in range(1, len(parts) - 1, 2)]
    return blocks or [(0, text.strip())]


def marked_pages(text: str) -> list[int]:
    """The page numbers marked in ``text``, in order."""
    return [int(n) for n in PAGE_MARKER.findall(text)]


def notes_source(notes: Sequence[Note]) -> str:
    """A map step's notes, fenced, one line each with the pages they cite."""
    lines = [
        f"- [{n.kind}] {neutralise(n.text)} (pages {', '.join(map(str, n.pages)) or '?'})" for n in notes
    ]
    return fence("\n".join(lines))
