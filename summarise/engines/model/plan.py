"""Plan the model calls: cut each item's pages into chunks that fit the token budget.

Source text carries ``[page N]`` markers so the model can cite pages. An item
that fits goes in one call; a longer one is split on page, then paragraph,
boundaries, so every page of every appendix is read by some call.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace

from summarise.engines.model.furniture import trim_furniture
from summarise.engines.model.protocol import format_source, marked_blocks, marked_pages, page_block
from summarise.models.meeting import AgendaItem, Meeting, Page
from summarise.text.tokens import count_tokens, split_to_budget


@dataclass(frozen=True)
class Chunk:
    item: str
    index: int
    pages: tuple[int, ...]
    text: str
    tokens: int

    @functools.cached_property
    def source(self) -> str:
        """The chunk as a prompt carries it, fenced: worked out once per chunk, and planned chunks
        are shared by every meeting with the same papers (:func:`_plan`)."""
        return format_source(marked_blocks(self.text))


def plan_item(meeting: Meeting, item: AgendaItem, budget: int, model: str | None = None) -> list[Chunk]:
    """Chunks of at most ``budget`` tokens covering every non-blank page of the item."""
    return plan_item_counted(meeting, item, budget, model)[0]


def plan_item_counted(
    meeting: Meeting, item: AgendaItem, budget: int, model: str | None = None
) -> tuple[list[Chunk], int]:
    """The item's chunks, and the source tokens left out as repeated furniture.

    The item is cut into as few calls as the budget allows, of even size: a page that does not fit
    the current chunk continues in the next one (under its own ``[page N]`` line), so chunks are full
    rather than ending wherever a whole page no longer fits. Cuts fall between paragraphs.
    """
    chunks, left_out = _plan(tuple(meeting.item_pages(item)), item.number, budget, model)
    return list(chunks), left_out


@functools.lru_cache(maxsize=256)
def _plan(
    pages: tuple[Page, ...], number: str, budget: int, model: str | None
) -> tuple[tuple[Chunk, ...], int]:
    """Planned once per distinct item in a process: meetings summarised together often share papers."""
    trimmed = trim_furniture(list(pages), model)
    units = _units(trimmed.pages, budget, model)
    if not units:
        return (), trimmed.left_out_tokens
    total = sum(tokens for _, _, tokens in units)
    target = _even_share(total, budget)
    chunks: list[Chunk] = []
    current: list[tuple[int, str, int]] = []
    used = 0
    for unit in units:
        page, _, tokens = unit
        cost = tokens + _joint(current, page)
        if current and used + cost > target:
            chunks.append(_chunk(number, len(chunks), current, model))
            current, used, cost = [], 0, tokens + _MARKER
        current.append(unit)
        used += cost
    chunks.append(_chunk(number, len(chunks), current, model))
    return tuple(_fit(chunks, budget, model)), trimmed.left_out_tokens


_MARKER = 6  # "[page 123]\n" in tokens, generously
_SEPARATOR = 1  # "\n\n"
_UNIT_SHARE = 8  # a unit is at most 1/8 of a chunk, so chunks fill to within an eighth


def _units(pages: list[tuple[int, str]], budget: int, model: str | None) -> list[tuple[int, str, int]]:
    """The item's text as (page, paragraphs, tokens) pieces small enough to fill chunks evenly."""
    size = max(budget // _UNIT_SHARE, 16)
    units: list[tuple[int, str, int]] = []
    for number, text in pages:
        for piece in split_to_budget(text, size, model):
            units.append((number, piece, count_tokens(piece, model)))
    return units


def _even_share(total: int, budget: int) -> int:
    """The size that cuts ``total`` tokens into the fewest chunks of near-equal size."""
    room = budget - _MARKER
    count = max(1, -(-total * 21 // (20 * room)))  # 5% for markers and rounding
    return min(room, -(-total // count) + budget // _UNIT_SHARE)


def _joint(current: list[tuple[int, str, int]], page: int) -> int:
    """Tokens that joining a unit of ``page`` onto ``current`` adds besides the unit itself."""
    if not current:
        return _MARKER
    return _SEPARATOR + (_MARKER if current[-1][0] != page else 0)


def _chunk(item: str, index: int, units: list[tuple[int, str, int]], model: str | None) -> Chunk:
    blocks: list[str] = []
    pages: list[int] = []
    for page, text, _ in units:
        if pages and pages[-1] == page:
            blocks[-1] += "\n\n" + text
        else:
            pages.append(page)
            blocks.append(page_block(page, text))
    text = "\n\n".join(blocks)
    return Chunk(item, index, tuple(pages), text, count_tokens(text, model))


def _fit(chunks: list[Chunk], budget: int, model: str | None) -> list[Chunk]:
    """Any chunk the estimate let past ``budget`` (tokens do not add exactly) split again."""
    out: list[Chunk] = []
    for chunk in chunks:
        out.extend([chunk] if chunk.tokens <= budget else _split(chunk, budget - _MARKER, model))
    return [replace(c, index=i) for i, c in enumerate(out)]


def _split(chunk: Chunk, target: int, model: str | None) -> list[Chunk]:
    """``chunk`` in pieces of at most ``target`` tokens, each starting with its page's marker."""
    pieces: list[Chunk] = []
    current = chunk.pages[0]
    for i, piece in enumerate(split_to_budget(chunk.text, target, model)):
        if not piece.startswith("[page "):
            piece = f"[page {current}]\n{piece}"  # keep every piece citable (already neutralised)
        marked = marked_pages(piece)
        current = marked[-1]
        pieces.append(Chunk(chunk.item, i, tuple(dict.fromkeys(marked)), piece, count_tokens(piece, model)))
    return pieces


def halve(chunk: Chunk, model: str | None = None) -> list[Chunk]:
    """Split a chunk whose answer was truncated into smaller requests, numbered from 0."""
    halves = _split(chunk, max(chunk.tokens // 2 + 1, 16), model)
    return halves if len(halves) >= 2 else [chunk]
