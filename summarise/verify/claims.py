"""The checkable claims in a piece of summary text: figures, capitalised names, acronyms and
quotations, with page and item references masked out first.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from summarise.text.figures import Figure, clean_text, find_figures
from summarise.text.vocab import ACRONYM, EVIDENCE_STOPWORDS, FOOTNOTE_MARKER, MONTH_WORDS, TITLES
from summarise.verify.evidence import content_stems, squash

_REF_TARGET = r"(?:[A-Z]?\d+[a-z]?(?:\.\d+)*|[A-Z](?![\w]))"
_REFERENCE = re.compile(
    FOOTNOTE_MARKER.pattern + r"|\[\d+(?:\s*[-,]\s*\d+)*\]"  # bracketed page citations
    r"|\b(?:agenda\s+)?(?:items?|pages?|pp?\.|pg\.?|p(?=\d)|paragraphs?|paras?\.?|appendi(?:x|ces)|"
    r"annex(?:es)?)\s*"
    rf"{_REF_TARGET}(?:\s*(?:-|to|,|and|&)\s*{_REF_TARGET})*",
    re.IGNORECASE,
)
_QUOTES = re.compile(
    r"\"(?P<a>[^\"]{2,400}?)\""
    r"|“(?P<b>[^“”]{2,400}?)”"
    r"|(?<![\w])‘(?P<c>.{2,400}?)’(?![\w])"
    r"|(?<![\w])'(?P<d>[^'\n]{2,400}?)'(?![\w])",
    re.DOTALL,
)
_SENTENCE_END = re.compile(r"(?:^|[.!?:;•\n(\[\"“‘]|-\s)\s*$")
_CONNECTORS = r"(?:of|and|for|the|&|de|la|le|du|von|van|upon|y)"
_LETTERS = r"[^\W\d_'’]*"
_CAP_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|St|Prof|Rev|Cllr)\.|[A-Z]\.(?=\s[A-Z])"
    rf"|[A-Z]{_LETTERS}(?:['’][a-z]+)?(?:-[A-Za-z]{_LETTERS})*)(?![\w])"
)
_RUN = re.compile(rf"{_CAP_WORD}(?:[ \t]+(?:{_CONNECTORS}[ \t]+)*{_CAP_WORD})*")
CONNECTOR_WORDS = frozenset(
    ["of", "and", "for", "the", "&", "de", "la", "le", "du", "von", "van", "upon", "y"]
)
_CLAIM_CONTEXT = 10  # content words either side of a figure in the summary


def _mask(text: str, spans: Iterable[tuple[int, int]], fill: str = " ") -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = fill * (end - start)
    return "".join(chars)


@dataclass
class Claim:
    kind: Literal["figure", "name", "acronym", "quote"]
    text: str
    figure: Figure | None = None
    words: list[str] = field(default_factory=list)
    sentence_start: bool = False
    context: frozenset[str] = frozenset()


def _split_possessive(words: list[str]) -> list[list[str]]:
    """ "Kent County Council’s Cabinet Member" -> ["Kent County Council"], ["Cabinet Member"]."""
    groups: list[list[str]] = [[]]
    for w in words:
        base = re.sub(r"['’]s$|s['’]$", "", w)
        groups[-1].append(base)
        if base != w:
            groups.append([])
    out = []
    for g in groups:
        while g and (g[0].lower() in CONNECTOR_WORDS or g[0].lower() in MONTH_WORDS):
            g = g[1:]
        while g and g[-1].lower() in CONNECTOR_WORDS:
            g = g[:-1]
        if g:
            out.append(g)
    return out


def extract_claims(text: str, summary_lower: frozenset[str] = frozenset()) -> list[Claim]:
    """The checkable claims in one piece of summary text, in order."""
    text = clean_text(text)
    masked = _mask(text, (m.span() for m in _REFERENCE.finditer(text)))
    claims: list[Claim] = []
    quote_spans: list[tuple[int, int]] = []
    for m in _QUOTES.finditer(masked):
        inner = next(g for g in m.groups() if g is not None)
        if len(squash(inner)) >= 3:
            claims.append(Claim("quote", inner.strip()))
            quote_spans.append(m.span())
    masked = _mask(masked, quote_spans)
    breaks: list[tuple[int, int]] = []
    stems = content_stems(masked)
    offsets = [o for o, _ in stems]
    for fig in find_figures(masked):
        i = bisect.bisect_left(offsets, fig.span[0])
        context = frozenset(w for _, w in stems[max(0, i - _CLAIM_CONTEXT) : i + _CLAIM_CONTEXT])
        claims.append(Claim("figure", fig.raw, figure=fig, context=context))
        breaks.append(fig.span)
    for m in ACRONYM.finditer(masked):
        claims.append(Claim("acronym", m[0]))
        breaks.append(m.span())
    names_text = _mask(masked, breaks, fill="¦")
    for m in _RUN.finditer(names_text):
        words = m[0].split()
        start = bool(_SENTENCE_END.search(names_text, 0, m.start()))
        if start and words:
            first = words[0].lower().rstrip(".")
            if first not in TITLES and (
                first in EVIDENCE_STOPWORDS or first in summary_lower or first in MONTH_WORDS
            ):
                words = words[1:]
                start = False
        while words and words[0].lower() in CONNECTOR_WORDS:
            words = words[1:]
        while words and words[-1].lower() in CONNECTOR_WORDS:
            words = words[:-1]
        words = [w.rstrip(".") if w.lower().rstrip(".") not in TITLES else w for w in words]
        for group in _split_possessive(words):
            content = [w for w in group if w.lower() not in CONNECTOR_WORDS]
            if len(content) < 2 or all(w.lower().rstrip(".") in MONTH_WORDS for w in content):
                start = False
                continue
            claims.append(Claim("name", " ".join(group), words=group, sentence_start=start))
            start = False
    return claims
