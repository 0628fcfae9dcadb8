"""A claim against many pages (the synopsis against the whole pack, a person against every page)
without building evidence for each.

A claim is settled on one page when that page alone supports it whatever else is searched with it
(:func:`settles`): a figure beside the words used with it, a name as a whole phrase, an acronym, a
quotation, a decision in the summary's own words. The pages whose text holds the claim's words and
digits are tried first, and only they are indexed; a claim no single page settles is searched
against every page as before (:mod:`~summarise.verify.matching`), so the findings are the same.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from summarise.verify.claims import CONNECTOR_WORDS, Claim
from summarise.verify.evidence import MeetingIndex, PageEvidence
from summarise.verify.matching import Status, claim_on, claim_status, figure_settled, phrase_on, quote_on
from summarise.verify.matching import acronym_on as _acronym_on
from summarise.verify.status import StatusCheck, StatusClaim, check_status, status_settled

_DIGITS = re.compile(r"\d+")
_LETTERS = re.compile(r"[a-z]{3,}")
WIDE = 4  # a scope of more pages than this is searched by :func:`wide_status`


_ALL_COVERS = 7  # a name of this many words has at most 2**6 = 64 ways to cut it, all of which are tried


def phrase_cover(words: Sequence[str], evs: Sequence[PageEvidence]) -> bool:
    """The name cut into phrases of 2+ words on the pages and connectors ("Declarations of
    Interest and Cabinet Member Updates" from two titles). More pages only add phrases, and a name
    short enough has every cut tried (:func:`~summarise.verify.matching._name_on`), so pages that
    give such a cut settle the name whatever else is searched."""
    n = len(words)
    if n > _ALL_COVERS:
        return False
    reach = [True] + [False] * n
    for i in range(n):
        if not reach[i]:
            continue
        if words[i].lower().rstrip(".") in CONNECTOR_WORDS:
            reach[i + 1] = True
        for j in range(i + 2, n + 1):
            if not reach[j] and phrase_on(" ".join(words[i:j]), evs):
                reach[j] = True
    return reach[n]


def settles(
    claim: Claim, ev: PageEvidence, summary_lower: frozenset[str], glossary: Mapping[str, str]
) -> bool:
    """Does this one page support the claim, whatever other pages are searched with it?"""
    if claim.kind == "figure":
        return figure_settled(claim, ev)
    if claim.kind == "acronym":
        return _acronym_on(claim.text, [ev], glossary)
    if claim.kind == "quote":
        return quote_on(claim.text, [ev])
    return phrase_on(" ".join(claim.words), [ev])


def hints(claim: Claim) -> list[str]:
    """Strings a page that settles the claim very likely holds (lower case): where to look first."""
    if claim.kind == "figure":
        return _DIGITS.findall(claim.text)
    if claim.kind == "acronym":
        return [claim.text.lower().rstrip("s")]
    text = claim.text.lower().replace("’s", "").replace("'s", "")
    return _LETTERS.findall(text)


def wide_status(
    claim: Claim,
    index: MeetingIndex,
    numbers: Sequence[int],
    where: str | None,
    summary_lower: frozenset[str],
    glossary: Mapping[str, str],
) -> Status:
    """:func:`~summarise.verify.matching.claim_status` on the item's details and the cited pages
    (with their seams), indexing only the pages that may settle it unless none does."""
    meta = index.meta(where)
    if not index.exhaustive:
        if settles(claim, meta, summary_lower, glossary):
            return "ok"
        found = index.candidates(hints(claim), numbers)
        for n in index.built_first(found, where):
            if settles(claim, index.item_page(where, n), summary_lower, glossary):
                return "ok"
        if claim.kind == "name" and phrase_cover(claim.words, [meta, *index.pages(found, where)]):
            return "ok"
    return claim_status(claim, [meta, *index.cited(numbers, where)], summary_lower, glossary)


def in_pack(
    claim: Claim, index: MeetingIndex, summary_lower: frozenset[str], glossary: Mapping[str, str]
) -> bool:
    """Is the name anywhere in the pack (every page whole, and the meeting's details)?"""
    meta = index.meta(None)
    pages = range(1, index.page_count + 1)
    if not index.exhaustive:
        if settles(claim, meta, summary_lower, glossary):
            return True
        if any(
            settles(claim, index.page(n), summary_lower, glossary)
            for n in index.built_first(index.candidates(hints(claim), pages))
        ):
            return True
    return claim_on(claim, [meta, *(index.page(n) for n in pages)], summary_lower, glossary)


def wide_decision(
    claim: StatusClaim,
    sentence: str,
    index: MeetingIndex,
    numbers: Sequence[int],
    near: Sequence[int],
    where: str | None,
) -> StatusCheck:
    """:func:`~summarise.verify.status.check_status` on the cited pages (with their seams) and the
    pages next to them, indexing only the pages that may settle it unless none does."""
    if not index.exhaustive:
        words = _LETTERS.findall(claim.phrase.lower())
        for n in index.built_first(index.candidates(words, [*numbers, *near]), where):
            if status_settled(claim, sentence, index.item_page(where, n)):
                return StatusCheck(True)
    return check_status(claim, sentence, index.cited(numbers, where) + index.pages(near, where))
