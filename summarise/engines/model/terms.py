"""What the glossary step reads of the pack: its own definitions, the words it writes in lower
case, and the paragraphs that use a term; and which acronyms of a summary still need a definition."""

from __future__ import annotations

import asyncio
import functools
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from summarise.glossary import Definition, find_definitions
from summarise.models.meeting import Meeting, Page
from summarise.models.summary import MeetingSummary

ACRONYM = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]s?\b")


def term_contexts(meeting: Meeting, terms: Sequence[str], per_term: int = 2) -> list[tuple[int, str]]:
    """The first paragraphs of the pack that use each term, with their pages: what the glossary reads."""
    wanted = {t: re.compile(rf"\b{re.escape(t)}\b") for t in terms}
    found: dict[str, int] = dict.fromkeys(terms, 0)
    blocks: list[tuple[int, str]] = []
    for page in meeting.pages:
        for paragraph in re.split(r"\n\s*\n", page.text):
            hits = [t for t, pattern in wanted.items() if found[t] < per_term and pattern.search(paragraph)]
            if hits:
                blocks.append((page.number, paragraph.strip()[:1500]))
                for t in hits:
                    found[t] += 1
        if all(n >= per_term for n in found.values()):
            break
    return blocks


@dataclass(frozen=True)
class PackTerms:
    """What the glossary step reads of the whole pack: its own definitions, and the words it
    writes in lower case (an acronym the pack also writes in lower case is a heading)."""

    definitions: Mapping[str, Definition]
    words: frozenset[str]


def pack_terms(meeting: Meeting) -> PackTerms:
    """Read once per distinct pack in a process (meetings summarised together often share their
    papers; the search reads every page, about 0.5 s on 460 pages). One reading at a time, so a
    second meeting of a pack waits for the first's instead of repeating it in another thread:
    the work is CPU-bound, so readings side by side would only share the interpreter lock."""
    with _READING:
        return _read_terms(tuple(meeting.pages))


_READING = threading.Lock()


@functools.lru_cache(maxsize=8)
def _read_terms(pages: tuple[Page, ...]) -> PackTerms:
    words = frozenset(re.findall(r"\b[a-z]+\b", " ".join(p.text for p in pages)))
    return PackTerms(MappingProxyType(find_definitions(pages)), words)


def retrieved(reading: asyncio.Future[PackTerms]) -> None:
    """A reading nobody awaited (the run failed first) must not warn at exit."""
    if not reading.cancelled():
        reading.exception()


def undefined_acronyms(text: str, definitions: Mapping[str, Definition], words: frozenset[str]) -> list[str]:
    """Acronyms the summary uses that the source does not define.

    A capitalised word that the source also writes in lower case (``words``: "MINUTES",
    "PRESENT") is a heading, not an acronym.
    """
    candidates = {a for a in ACRONYM.findall(text) if a not in definitions and len(a) <= 8}
    return sorted(a for a in candidates if a.lower() not in words)


def summary_text(summary: MeetingSummary) -> str:
    parts = [summary.synopsis]
    for item in summary.items:
        parts += [p.text for p in item.paragraphs] + [k.text for k in item.key_points]
    return "\n".join(parts)
