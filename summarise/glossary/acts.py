"""Acts of Parliament the papers cite, and what the papers themselves say of each.

"the Children Act 2004", "the Care Act 2014", "section 25 of the Local Government Act 2003": a
resident will not know what these require. The footnote for an Act, and for a section of one the
papers cite, is the papers' own sentence about it that says most (a duty, a requirement, what it
sets out), with its page; one the papers only name, with nothing said of it, gets no footnote.
Nothing is added from outside the pack. A section's footnote is on the whole citation, so the Act's
own footnote goes to its next use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from summarise.glossary.definitions import Definition
from summarise.models.meeting import Page
from summarise.text.sentences import sentences_of_pages

_ACT = re.compile(
    r"\b((?:[A-Z][a-z]+|and|of|the|\(|\))(?:\s+(?:[A-Z][a-z]+|and|of|\(\w+\)))*\s+Act\s+(?:19|20)\d{2})\b"
)
_SAYS = re.compile(
    r"\b(?:duty|duties|requires?|required|obliges?|sets out|places|provides?|under which|statutory"
    r"|responsib\w+|must|power to|empowers?)\b",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:the|and|of)\s+", re.IGNORECASE)
# "Section 25 of the Local Government Act 2003", "s.25(2) of the ...": the section's number.
_SECTION = re.compile(r"\b(?:[Ss]ection|s\.?)\s?(\d{1,4}[A-Z]?(?:\(\d+\))?)\s+of\s+(?:the\s+)?$")


def find_acts(pages: Sequence[Page]) -> dict[str, Definition]:
    """Each Act the papers cite -> the papers' own most telling sentence about it."""
    best: dict[str, tuple[int, str, int]] = {}
    for sentence in sentences_of_pages(pages):
        text = sentence.text
        if not 8 <= len(text.split()) <= 50 or not sentence.pages:
            continue
        for match in _ACT.finditer(text):
            act = _LEAD.sub("", match.group(1))
            while _LEAD.match(act):
                act = _LEAD.sub("", act)
            if len(act.split()) < 3:
                continue
            score = 2 * len(_SAYS.findall(text)) - len(text.split()) // 25
            if score <= 0:
                continue
            cited = [act]
            at = match.start() + match.group(1).index(act)  # where the Act's own name begins
            if section := _SECTION.search(text[max(0, at - 30) : at]):
                cited.append(f"section {section.group(1)} of the {act}")
            for term in cited:
                if term not in best or score > best[term][0]:
                    best[term] = (score, text, sentence.pages[0])
    return {act: Definition(term=act, text=text, pages=(page,)) for act, (_, text, page) in best.items()}
