"""Plan the model calls: cut each item's pages into chunks that fit the token budget.

Source text carries ``[page N]`` markers so the model can cite pages. An item
that fits goes in one call; a longer one is split on page, then paragraph,
boundaries, so every page of every appendix is read by some call.
"""

from __future__ import annotations

from dataclasses import dataclass

from summarise.engines.model.protocol import marked_pages, page_block
from summarise.models.meeting import AgendaItem, Meeting
from summarise.text.tokens import count_tokens, split_to_budget


@dataclass(frozen=True)
class Chunk:
    item: str
    index: int
    pages: tuple[int, ...]
    text: str
    tokens: int


def plan_item(meeting: Meeting, item: AgendaItem, budget: int, model: str | None = None) -> list[Chunk]:
    """Chunks of at most ``budget`` tokens covering every non-blank page of the item."""
    blocks: list[tuple[tuple[int, ...], str, int]] = []
    for page in meeting.item_pages(item):
        if not page.text.strip():
            continue
        block = page_block(page.number, page.text)
        tokens = count_tokens(block, model)
        if tokens <= budget:
            blocks.append(((page.number,), block, tokens))
            continue
        marker = count_tokens(page_block(page.number, ""), model) + 2
        for piece in split_to_budget(page.text, max(budget - marker, 16), model):
            text = page_block(page.number, piece)
            blocks.append(((page.number,), text, count_tokens(text, model)))

    chunks: list[Chunk] = []
    pages: list[int] = []
    texts: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal pages, texts, used
        if texts:
            text = "\n\n".join(texts)
            chunks.append(Chunk(item.number, len(chunks), tuple(dict.fromkeys(pages)), text, used))
        pages, texts, used = [], [], 0

    for block_pages, text, tokens in blocks:
        if texts and used + tokens + 1 > budget:
            flush()
        pages.extend(block_pages)
        texts.append(text)
        used += tokens + (1 if len(texts) > 1 else 0)
    flush()
    return chunks


def halve(chunk: Chunk, model: str | None = None) -> list[Chunk]:
    """Split a chunk whose answer was truncated into smaller requests, numbered from 0."""
    target = max(chunk.tokens // 2 + 1, 16)
    pieces = split_to_budget(chunk.text, target, model)
    if len(pieces) < 2:
        return [chunk]
    halves = []
    current = chunk.pages[0]
    for i, piece in enumerate(pieces):
        marked = marked_pages(piece)
        pages = tuple(dict.fromkeys([current, *marked] if not piece.startswith("[page ") else marked))
        if marked:
            current = marked[-1]
        else:
            piece = page_block(current, piece)  # keep every piece citable
        halves.append(Chunk(chunk.item, i, pages, piece, count_tokens(piece, model)))
    return halves
