"""Numbered agenda headings in page text: "1. Apologies", "VI. Adjournment", "a. Minutes...".

Both the agenda front sheet and the body of an agenda or minutes number their
items in sequence. Numbered paragraphs ("1.1", "2. Further to...") also exist,
so a heading only counts as part of a chain 1, 2, 3... (or I, II, III...) in
reading order; the longest such chain wins. Other styles are judged against
it (:mod:`summarise.ingest.agenda.numbering`): "Item 5"/"MIN 12." and minute references
("45/25") may start anywhere but need three links; bare numbers ("5   Title")
count only when they cite pages; top-level letters ("A. Call to Order") only
where nothing is numbered or the numbered list sits inside one letter.
Lettered lines between two items are that item's sub-items when they run
a, b, c... (restarting at "a" is allowed: agendas group resolutions under
sub-headings).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from summarise.ingest.agenda.numbering import (
    LETTER,
    MIN_ANY_START,
    Cand,
    Line,
    best_chain,
    candidates,
    flatten,
    join_lone_numbers,
    letter_value,
    nested,
    roman_value,
)
from summarise.ingest.agenda.pagerefs import heading_title, inner_ref

__all__ = ["Heading", "Line", "find_headings", "flatten", "letter_value", "roman_value"]


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


def find_headings(lines: Sequence[Line]) -> list[Heading]:
    """The longest 1, 2, 3... (or I, II, III...) chain of numbered lines, with sub-items."""
    lines = join_lone_numbers(lines)
    cands = candidates(lines)
    chain = max([best_chain(cands["arabic"]), best_chain(cands["roman"])], key=len)
    for style in ("prefixed", "min1", "min2"):
        other = best_chain(cands[style], any_start=True)
        if len(other) >= MIN_ANY_START and len(other) > len(chain):
            chain = other
    bare = best_chain(cands["bare"])
    if len(bare) > len(chain) and _cited(lines, bare):
        chain = bare
    letters = best_chain(cands["upper"])  # "A. Call to Order": three at least (two are recommendations)
    if len(letters) >= MIN_ANY_START and (len(chain) < 2 or nested(chain, letters)):
        chain = letters
    if len(chain) < 2:
        return []
    stop = {c[0] for c in chain}
    heads: list[Heading] = []
    for i, value, printed, rest in chain:
        title, ref = heading_title(lines, i, rest, stop)
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
            head.ref = inner_ref(lines, head.index + 1, end)
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
        if heading_title(lines, i, rest, stop)[1] is not None or inner_ref(lines, i + 1, end) is not None
    )
    return refs >= min(2, len(chain)) or (refs > 0 and 2 * refs >= len(chain))


def _sub_items(lines: Sequence[Line], start: int, end: int) -> list[Heading]:
    subs: list[Heading] = []
    upper: bool | None = None
    for i in range(start, end):
        m = LETTER.match(lines[i].text)
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
        title, _ = heading_title(lines, i, m.group(2), set(), paragraph=True)
        line = lines[i]
        subs.append(Heading(letters, value, title, line.page, i, None, line.first_on_page))
    return subs if len(subs) >= 2 or (subs and subs[0].value == 1) else []
