"""Decision status: does the summary say a thing was decided where the pages only propose it?

A status claim is a decision word ("approved", "agreed", "adopted", "decided", "resolved",
"carried", "passed", "endorsed") used as done, not as asked for ("is asked to agree", "to be
approved", "not agreed" are not claims), optionally made stronger by "unanimously". It is
supported when the summary's sentence is on the pages as it stands, or when the pages record a
decision of their own (the same kind of word, used as done) beside words the sentence uses with
it. "Unanimously" needs the pages to say so, or a vote with no one against. A claim the pages
only propose, recommend or record as not agreed is an error: a reader would take it as decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from summarise.text.vocab import EVIDENCE_STOPWORDS, FOOTNOTE_MARKER, MONTH_WORDS, stem
from summarise.verify.attribution import coverage, shingles, words
from summarise.verify.evidence import PageEvidence, squash

_DECIDED = r"approved|agreed|adopted|decided|resolved|carried|passed|endorsed|ratified|rejected|refused"
_STATUS = re.compile(rf"\b(?:(?P<unan>unanimously|unanimous(?:ly)?)\s+)?(?P<word>{_DECIDED})\b", re.I)
# the words before a decision word that make it asked for, hoped for or denied, not done
_HEDGE = (
    r"not|never|no|to|be|being|if|whether|until|unless|awaiting|pending|yet|once|when|asked|seeks?|"
    r"proposed?|recommend(?:s|ed)?|subject|may|might|would|could|should|will|shall|must"
)
_NOT_DONE = re.compile(
    rf"\b(?:{_HEDGE})\W+$"  # "to agree", "be approved"
    r"|\b(?:if|unless|once|until|whether|should)\b[^.;:!?]*$"  # "if the proposals are agreed"
    rf"|\b(?:not|never|to|will|would|may|might|could|should|shall|must|yet|cannot)\W+"
    r"(?:be|been|being|have|formally|yet|then|also|now|not|fully|finally)\W+$",  # "to be approved"
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|never)\W+(?:\w+\W+)?(?:been\W+|be\W+)?$", re.I)
_ADJECTIVE_ONLY = re.compile(r"\s+(?:budget|programme|plan|policy|minutes|strategy)\b", re.I)
# Before a decision word, these make it an adjective ("the approved budget", "delivery of agreed
# outcomes"): a standing fact, not a decision recorded as taken.
_ADJECTIVAL = re.compile(
    r"(?:\b(?:the|a|an|its|their|our|his|her|this|these|those|of|for|with|on|in|from|under|within|and|or)"
    r"|['’]s)\W+$|(?:^|\n)[ \t]*$",  # ... or a heading: "Approved counterparties"
    re.I,
)
_RESOLVED = re.compile(r"\bRESOLVED\b|\b[Mm]otion\s+(?:was\s+)?carried\b")
_UNANIMOUS_PAGE = re.compile(
    r"\bunanimous(?:ly)?\b|\bnem(?:ine)?\.?\s+con|\bNays?\s*:?\s*0\b|\bwithout\s+objection\b|"
    r"\bagainst\s*:?\s*(?:0|none|nil)\b",
    re.I,
)
_CONTEXT = 12  # words either side of a decision word
_STATUS_STEMS = frozenset(stem(w) for w in _DECIDED.split("|")) | {stem("unanimously"), "cabinet", "council"}


@dataclass(frozen=True)
class StatusClaim:
    text: str  # the decision phrase, e.g. "unanimously agreed"
    unanimous: bool
    context: frozenset[str]
    phrase: str = ""  # the phrase with two words either side, as the summary has it


_TELLING_MAX = 3  # a word used more often than this on a page says little about where a decision is
_UNANIMOUS_REACH = 300  # characters either side of a recorded decision where a vote may say "Nays: 0"
_COPIED = 0.5  # a sentence this much copied from the pages is judged as the pages' own sentence


def _phrase_on(phrase: str, ev: PageEvidence) -> bool:
    key = squash(phrase)
    if len(key) < 12:
        return False
    i = ev.squashed.find(key)
    while i >= 0:
        if i in ev.word_starts and i + len(key) in ev.word_ends:
            return True
        i = ev.squashed.find(key, i + 1)
    return False


def _around(text: str, start: int, end: int) -> str:
    before = words(text[:start])[-2:]
    after = words(text[end:])[:2]
    return " ".join([*before, *words(text[start:end]), *after])


def _content(tokens: Sequence[str]) -> frozenset[str]:
    return (
        frozenset(
            stem(t)
            for t in tokens
            if len(t) >= 3 and t not in EVIDENCE_STOPWORDS and t not in MONTH_WORDS and not t[0].isdigit()
        )
        - _STATUS_STEMS
    )


def _window(text: str, start: int, end: int) -> frozenset[str]:
    before = words(text[:start])[-_CONTEXT:]
    after = words(text[end:])[:_CONTEXT]
    return _content(before + after)


def _done(text: str, match: re.Match[str]) -> bool:
    """The decision word is used as done: not asked for, hoped for or denied."""
    before = text[max(0, match.start() - 40) : match.start()]
    return not _NOT_DONE.search(before)


def status_claims(sentence: str) -> list[StatusClaim]:
    """The decisions a summary sentence says were made."""
    out = []
    for m in _STATUS.finditer(sentence):
        if not _done(sentence, m):
            continue
        if not m["unan"] and _ADJECTIVE_ONLY.match(sentence, m.end()) and m["word"].lower() == "approved":
            continue  # "the approved budget for 2024-25": a standing fact, not a decision taken here
        out.append(
            StatusClaim(
                text=m[0],
                unanimous=bool(m["unan"]),
                context=_window(sentence, m.start(), m.end()),
                phrase=_around(sentence, m.start(), m.end()),
            )
        )
    return out


@dataclass(frozen=True)
class StatusCheck:
    ok: bool
    why: str = ""


def _beside(context: frozenset[str], near: frozenset[str], ev: PageEvidence) -> bool:
    """The page's decision word stands beside the words the summary uses with its own: one word
    that is rare on the page (not all over it), else two."""
    if not context:
        return True
    telling = {w for w in context if 0 < ev.stem_counts.get(w, 0) <= _TELLING_MAX}
    if telling:
        return bool(telling & near)
    return len(context & near) >= min(2, len(context))


def _copied(sentence: str, evs: Sequence[PageEvidence]) -> float:
    """Share of the sentence's three-word runs on the pages: near 1 for a sentence copied from them."""
    page_runs: set[tuple[str, ...]] = set()
    for ev in evs:
        page_runs |= shingles(words(ev.text))
    return coverage(words(sentence), page_runs)


def _records(ev: PageEvidence) -> Iterator[tuple[int, int]]:
    """Spans of the decisions a page records as taken: "RESOLVED", "Motion carried", and decision
    words used as done and not as adjectives ("the Fund approved loans", "was agreed")."""
    for m in _RESOLVED.finditer(ev.text):
        yield m.span()
    for m in _STATUS.finditer(ev.text):
        before = ev.text[max(0, m.start() - 40) : m.start()]
        if _done(ev.text, m) and not _ADJECTIVAL.search(before):
            yield m.span()


def check_status(claim: StatusClaim, sentence: str, evs: Sequence[PageEvidence]) -> StatusCheck:
    """Do the pages support a decision the summary states?"""
    key = squash(FOOTNOTE_MARKER.sub("", sentence))
    if len(key) >= 20 and any(key in ev.squashed for ev in evs):
        return StatusCheck(True)  # the sentence is the pages' own
    if any(_phrase_on(claim.phrase, ev) for ev in evs):
        return StatusCheck(True)  # the pages say it in the same words
    recorded = denied = unanimous = False
    for ev in evs:
        for m in _STATUS.finditer(ev.text):  # "not agreed", "has not been approved"
            before = ev.text[max(0, m.start() - 40) : m.start()]
            if _NEGATED.search(before) and _beside(claim.context, _window(ev.text, m.start(), m.end()), ev):
                denied = True
        for start, end in _records(ev):
            if _beside(claim.context, _window(ev.text, start, end), ev):
                recorded = True
                around = ev.text[max(0, start - _UNANIMOUS_REACH) : end + _UNANIMOUS_REACH]
                unanimous = unanimous or bool(_UNANIMOUS_PAGE.search(around))
    if recorded and not denied:
        if claim.unanimous and not unanimous:
            return StatusCheck(False, "the pages record the decision but not that it was unanimous")
        return StatusCheck(True)
    if denied:
        return StatusCheck(False, "the pages record it as not agreed")
    if _copied(sentence, evs) >= _COPIED:
        return StatusCheck(False, "the pages' own sentence proposes or asks for it; it records no decision")
    return StatusCheck(False, "the pages only propose or recommend it; they record no such decision")
