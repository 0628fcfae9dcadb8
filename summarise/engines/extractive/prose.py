"""Which sentences read as prose: the only ones the engine will summarise from or quote.

Council papers are full of text that splits into "sentences" without being
any: headings, table rows, contact details, page furniture ("Page 3 of 12",
dot leaders, form lines), agenda lists run together. A sentence is prose when
it is 7 to 60 words long, begins as a sentence does and ends as one (a list
entry need not end so), is mostly words rather than numbers, uses at least two
stopwords and is not shouting in capitals.
"""

from __future__ import annotations

import re

from summarise.text.sentences import TERMINAL, Sentence
from summarise.text.vocab import PAGE_OF_PAGES, RANKING_STOPWORDS

WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_NUMBER = re.compile(r"^[(£$€+\-–]*\d[\d,.%]*[a-z]{0,2}\)?[.,;:]?$")
_FURNITURE = re.compile(
    r"@|https?:|www\.|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|\(\d{3}\)\s?\d{3}-\d{4}"
    rf"|{PAGE_OF_PAGES.pattern}|\bAgenda Item\b|\.{{4,}}|_{{3,}}",
    re.IGNORECASE,
)


_INLINE_LABEL = re.compile(r"(?<=\s)(?:[IVX]{1,4}|\d{1,2})\.(?:\s+[A-Z]|\s*$)")
_TABLE_LABEL = re.compile(r"^\W*[A-Z]{2,}\s*\d+\s*[:.]\s")


# Debris that splits like a sentence: exempt-item boilerplate, record codes ("SO6,SO2", "[CC
# 10/16/24] 24-980-1", "~"), a sentence that is only a bracketed aside, contents lines ("Background 3
# Options 4").
_DEBRIS = re.compile(
    r"\bEXEMPT ITEMS\b|\bno exempt items\b|\blikely (?:NOT )?to be open to the public\b"
    r"|\b[A-Z]{1,4}\d{1,3}\s*,\s*[A-Z]{1,4}\d{1,3}\b|~|\[[A-Z]{2,5}\s+\d{1,2}/\d{1,2}/\d{2}"
    r"|(?:[A-Za-z]\s+\d{1,3}\s+(?=[A-Z])){2,}"
    # a table row: "ASCH Dan Watkins Adult Social Care ...", "Income CYPE Sue Chandler Continuing ..."
    r"|^(?:[A-Z][a-z]+\s+)?[A-Z]{3,5}\s+[A-Z][a-z]+\s+[A-Z][a-z]+\s+[A-Z]"
    # a pointer to other papers, not a statement
    r"|^(?:See|Please\s+(?:also\s+)?(?:see|refer))\b"
)
_CONNECTIVE = frozenset(["and", "of", "to", "the", "for", "&", "in", "on", "-", "–", "a", "an", "by"])


def _glued_header(tokens: list[str]) -> bool:
    """A heading run into the sentence after it: eight or more capitalised words before any lower-case one."""
    caps = 0
    for token in tokens:
        core = token.strip(".,;:()\"'“”‘’")
        if core.lower() in _CONNECTIVE:
            continue
        if not core or not (core[0].isupper() or core[0].isdigit()):
            break
        caps += 1
    return caps >= 8


def is_debris(text: str) -> bool:
    """Boilerplate, record codes, bracketed asides or contents lines: never worth quoting."""
    if text.count("(") != text.count(")") or re.match(r"(?:St|Ave|Rd|Dr|No)\.\s", text):
        return True  # a fragment: cut inside brackets, or after an abbreviation
    return bool(_DEBRIS.search(text)) or text.startswith("(") or _glued_header(text.split())


def is_prose(sentence: Sentence, min_words: int = 7, max_words: int = 60) -> bool:
    """Whether ``sentence`` reads as prose (recommendations are allowed 5 to 80 words)."""
    text = sentence.text
    if sentence.heading or _FURNITURE.search(text) or _TABLE_LABEL.match(text) or is_debris(text):
        return False
    if len(_INLINE_LABEL.findall(text)) >= 2:  # an agenda list run together: "... III. Other IV. ..."
        return False
    tokens = text.split()
    if not min_words <= len(tokens) <= max_words:
        return False
    if not (text[0].isupper() or text[0] in "\"'“‘£$(" or text[0].isdigit()):
        return False
    if not TERMINAL.search(text) and not sentence.listed:
        return False
    words = [t for t in tokens if WORD.fullmatch(t.strip(".,;:()\"'“”‘’"))]
    numbers = [t for t in tokens if _NUMBER.match(t)]
    if len(words) < 0.6 * len(tokens) or len(numbers) > 0.3 * len(tokens):
        return False
    lower = [w.lower().strip(".,;:()\"'“”‘’") for w in tokens]
    if sum(1 for w in lower if w in RANKING_STOPWORDS) < 2:
        return False
    upper = sum(1 for w in words if w.isupper() and len(w) > 1)
    return upper <= 0.4 * len(words)
