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
from summarise.verify.attribution import shingles, words
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
_MOTION_CONTEXT = 80  # ... of a "RESOLVED" or "Motion carried"
_STATUS_STEMS = frozenset(stem(w) for w in _DECIDED.split("|")) | {stem("unanimously"), "cabinet", "council"}


@dataclass(frozen=True)
class StatusClaim:
    text: str  # the decision phrase, e.g. "unanimously agreed"
    unanimous: bool
    context: frozenset[str]
    phrase: str = ""  # the phrase with two words either side, as the summary has it


_TELLING_MAX = 3  # a word used more often than this on a page says little about where a decision is
_UNANIMOUS_REACH = 300  # characters either side of a recorded decision where a vote may say "Nays: 0"
_COPIED = 0.5  # a sentence this much copied from the pages is judged by the passage it came from
_GAP = 4  # words between two copied three-word runs of one passage
_LEAD_IN = 150  # characters before a copied passage that may hold its "RESOLVED that"
_FOLLOW = 120  # ... and after it, its "but not agreed"


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


def _window(text: str, start: int, end: int, width: int = _CONTEXT) -> frozenset[str]:
    before = words(text[max(0, start - 12 * width) : start])[-width:]
    after = words(text[end : end + 12 * width])[:width]
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


def _source(sentence: str, evs: Sequence[PageEvidence]) -> tuple[PageEvidence, int, int] | None:
    """Where the pages hold the sentence, if it is mostly copied from them: the page and the span of
    its copy there (the densest run of its three-word runs), widened to the start of the passage
    that leads into it ("RESOLVED that ..." before "... be approved")."""
    own = shingles(words(sentence))
    if not own:
        return None
    best: tuple[int, PageEvidence, int, int] | None = None
    for ev in evs:
        spans = ev.word_spans
        hits = [i for i in range(len(spans) - 2) if (spans[i][0], spans[i + 1][0], spans[i + 2][0]) in own]
        cluster: list[int] = []
        for i in [*hits, None]:
            if i is not None and (not cluster or i - cluster[-1] <= _GAP):
                cluster.append(i)
                continue
            found = len({(spans[j][0], spans[j + 1][0], spans[j + 2][0]) for j in cluster})
            if cluster and (best is None or found > best[0]):
                best = (found, ev, spans[cluster[0]][1][0], spans[cluster[-1] + 2][1][1])
            cluster = [i] if i is not None else []
    if best is None or best[0] / len(own) < _COPIED:
        return None
    _, ev, start, end = best
    return ev, start, end


def _records(ev: PageEvidence) -> Iterator[tuple[int, int, int]]:
    """Spans of the decisions a page records as taken, with how many words around each may name
    what was decided: "RESOLVED" and "Motion carried" (the motion, the mover and a roll call may
    stand well before them), and decision words used as done and not as adjectives ("the Fund
    approved loans", "was agreed")."""
    for m in _RESOLVED.finditer(ev.text):
        yield m.start(), m.end(), _MOTION_CONTEXT
    for m in _STATUS.finditer(ev.text):
        before = ev.text[max(0, m.start() - 40) : m.start()]
        if _done(ev.text, m) and not _ADJECTIVAL.search(before):
            yield m.start(), m.end(), _CONTEXT


def status_settled(claim: StatusClaim, sentence: str, ev: PageEvidence) -> bool:
    """The page alone makes :func:`check_status` "ok" whatever pages are searched with it: it holds
    the summary's sentence, or the decision in the summary's words."""
    key = squash(FOOTNOTE_MARKER.sub("", sentence))
    return (len(key) >= 20 and key in ev.squashed) or _phrase_on(claim.phrase, ev)


def check_status(claim: StatusClaim, sentence: str, evs: Sequence[PageEvidence]) -> StatusCheck:
    """Do the pages support a decision the summary states?"""
    key = squash(FOOTNOTE_MARKER.sub("", sentence))
    if len(key) >= 20 and any(key in ev.squashed for ev in evs):
        return StatusCheck(True)  # the sentence is the pages' own
    if any(_phrase_on(claim.phrase, ev) for ev in evs):
        return StatusCheck(True)  # the pages say it in the same words
    source = _source(sentence, evs)
    copied = source is not None
    record_in, denial_in = evs, evs
    if source is not None:  # judge it by the passage it was copied from, and what leads in and follows
        ev, start, end = source
        record_in = [PageEvidence.build(ev.number, ev.text[max(0, start - _LEAD_IN) : end])]
        denial_in = [PageEvidence.build(ev.number, ev.text[max(0, start - _LEAD_IN) : end + _FOLLOW])]
    recorded = denied = unanimous = False
    for ev in denial_in:
        for m in _STATUS.finditer(ev.text):  # "not agreed", "has not been approved"
            before = ev.text[max(0, m.start() - 40) : m.start()]
            if _NEGATED.search(before) and _beside(claim.context, _window(ev.text, m.start(), m.end()), ev):
                denied = True
    for ev in record_in:
        for start, end, width in _records(ev):
            if copied or _beside(claim.context, _window(ev.text, start, end, width), ev):
                recorded = True
                around = ev.text[max(0, start - _UNANIMOUS_REACH) : end + _UNANIMOUS_REACH]
                unanimous = unanimous or bool(_UNANIMOUS_PAGE.search(around))
    if source is not None and recorded:  # the vote may stand further off than the passage's lead-in
        ev, start, end = source
        around = ev.text[max(0, start - _UNANIMOUS_REACH) : end + _UNANIMOUS_REACH]
        unanimous = unanimous or bool(_UNANIMOUS_PAGE.search(around))
    if recorded and not denied:
        if claim.unanimous and not unanimous:
            return StatusCheck(False, "the pages record the decision but not that it was unanimous")
        return StatusCheck(True)
    if denied:
        return StatusCheck(False, "the pages record it as not agreed")
    if copied:
        return StatusCheck(False, "the pages' own sentence proposes or asks for it; it records no decision")
    return StatusCheck(False, "the pages only propose or recommend it; they record no such decision")
