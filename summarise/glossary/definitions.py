"""Terms the source defines.

Detection follows Schwartz & Hearst (2003), "A simple algorithm for
identifying abbreviation definitions in biomedical text": for
"long form (SF)" and "SF (long form)" the long form is the shortest run of
words, ending just before the brackets, whose characters cover the short
form's characters right to left with its first character starting a word.
Council papers add patterns the paper does not cover, handled the same way:
abbreviation lists ("ASCH - Adult Social Care and Health"), "SF stands for
...", "SF means ..." and '"term" means ...'.

Footnotes on their first use in a summary: :mod:`summarise.glossary.footnotes`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from summarise.models.meeting import Page


@dataclass(frozen=True)
class Definition:
    """What a term means and the pages that say so."""

    term: str
    text: str
    pages: tuple[int, ...] = field(default_factory=tuple)
    origin: Literal["source", "model"] = "source"
    # Every expansion the source gives for the term, with its pages: papers by
    # different authors in one pack reuse acronyms ("KCP", "SRP") for different things.
    senses: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def near(self, start: int | None, end: int | None) -> Definition | None:
        """The sense defined inside pages ``start``..``end``; None if the source defines it elsewhere only.

        Definitions without pages (model-proposed) and text outside any item
        (``start`` None: the synopsis) take the pack-wide sense.
        """
        if start is None or end is None or not self.pages:
            return self
        senses = self.senses or ((self.text, self.pages),)
        local = [(text, pages) for text, pages in senses if any(start <= p <= end for p in pages)]
        if not local:
            return None
        text, pages = max(local, key=lambda sense: sum(start <= p <= end for p in sense[1]))
        return replace(self, text=text, pages=pages)


# --------------------------------------------------------------------------- Schwartz-Hearst


def _valid_short_form(sf: str) -> bool:
    if not 2 <= len(sf) <= 10 or len(sf.split()) > 2:
        return False
    if not sf[0].isalnum() or not any(c.isalpha() for c in sf):
        return False
    return sum(1 for c in sf if c.isupper()) >= 2


def best_long_form(sf: str, lf: str) -> str | None:
    """Schwartz-Hearst: the shortest suffix of ``lf`` that matches ``sf``, or None."""
    s = len(sf) - 1
    k = len(lf) - 1
    while s >= 0:
        c = sf[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while (k >= 0 and lf[k].lower() != c) or (s == 0 and k > 0 and lf[k - 1].isalnum()):
            k -= 1
        if k < 0:
            return None
        k -= 1
        s -= 1
    start = lf.rfind(" ", 0, k + 1) + 1
    return lf[start:].strip()


_SKIP = frozenset(["and", "of", "the", "for", "to", "in", "on", "&", "a", "an", "with", "at", "by"])


def _initials_match(sf: str, words: Sequence[str]) -> bool:
    """Capitals/digits of ``sf`` are the initials of the content words, in order."""
    letters = [sf[0].lower()] + [c.lower() for c in sf[1:] if c.isupper() or c.isdigit()]
    initials: list[str] = []
    for w in words:
        w = w.strip("()[],;:'\"")
        if not w or w.lower() in _SKIP:
            continue
        for part in re.split(r"[-/]", w):
            if part:
                initials.append(part[0].lower())
    if initials == letters:
        return True
    # hyphenated words may count once ("Anti-Social Behaviour (ASB)")
    whole = [
        w.strip("()[],;:'\"")[0].lower() for w in words if w.strip("()[],;:'\"") and w.lower() not in _SKIP
    ]
    return whole == letters


def _forward_long_form(sf: str, text: str) -> str | None:
    """The shortest run of words at the start of ``text`` that spells ``sf``."""
    words = text.split()
    limit = min(len(words), len(sf) + 5)
    for k in range(1, limit + 1):
        if _initials_match(sf, words[:k]):
            return " ".join(words[:k]).rstrip(",;:")
    return None


def _backward_initials(sf: str, text: str) -> str | None:
    """The shortest run of words at the end of ``text`` whose initials spell ``sf``.

    Tried before Schwartz-Hearst, whose character matching can settle for a
    shorter form ("Association of Directors of Adult Social Services (ADASS)"
    gives "Adult Social Services", its "d" taken from "Adult").
    """
    words = text.split()
    for k in range(1, len(words) + 1):
        if words[-k].lower() in _SKIP:
            continue
        if _initials_match(sf, words[-k:]):
            return " ".join(words[-k:])
    return None


_WINDOW_STOP = re.compile(r"[.;:!?()\[\]]\s|[()\[\]]")


def _backward_candidate(text: str, sf: str) -> str:
    """The words before the bracket that Schwartz-Hearst may use as the long form."""
    cut = max((m.end() for m in _WINDOW_STOP.finditer(text)), default=0)
    words = text[cut:].split()
    return " ".join(words[-min(len(sf) + 5, 2 * len(sf)) :])


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" .,;:-–—'\"“”‘’")
    return text


def _normalise_sf(sf: str, lf: str) -> tuple[str, str]:
    """'KPIs' / 'Key Performance Indicators' -> 'KPI' / 'Key Performance Indicator'."""
    if len(sf) > 2 and sf.endswith("s") and sf[:-1].isupper():
        sf = sf[:-1]
        if lf.endswith("s") and not lf.endswith("ss"):
            lf = lf[:-1]
    return sf, lf


def _acceptable(sf: str, lf: str) -> bool:
    if not lf or len(lf) <= len(sf) or sf.lower() in lf.lower().split():
        return False
    words = lf.split()
    if len(words) > min(len(sf) + 5, 2 * len(sf)) or not words[0][:1].isalnum():
        return False
    return not any(c.isdigit() for c in lf) or any(c.isdigit() for c in sf)


_PAREN = re.compile(r"\(([^()]{1,120})\)")
_DASH = re.compile(r"(?:^|(?<=\s))([A-Z][A-Za-z0-9&]{1,9})\s+[-–—]\s+(?=[A-Z])")
_ENTRY = re.compile(r"^([A-Z][A-Za-z0-9&]{1,9})\s+(?=[A-Z])")
_SEGMENT_END = re.compile(r"\s+[-–—]\s+|[.,;:]\s|[.,;:]?$|\s+[A-Z][A-Za-z0-9&]{1,9}\s+[-–—]\s+")


def _whole_segment(sf: str, text: str) -> str | None:
    """Text up to the first dash or full stop, if Schwartz-Hearst matches all of it."""
    end = _SEGMENT_END.search(text)
    segment = text[: end.start() if end else len(text)].strip()
    if segment and best_long_form(sf, segment) == segment and len(segment.split()) <= len(sf) + 3:
        return segment
    return None


_STANDS = re.compile(
    r"\b([A-Z][A-Za-z0-9&]{1,9})\s+(?:stands for|is short for|is an abbreviation (?:for|of)|means)\s+"
    r"(?:the\s+)?(?!that\b)([^.;:()]{3,250})"
)
_QUOTED_MEANS = re.compile(r"[\"“‘']([A-Za-z][^\"”’']{1,60})[\"”’']\s+means\s+(?!that\b)([^.;]{3,250})")


def _page_text(page: Page) -> str:
    text = re.sub(r"-\n(?=[a-z])", "-", page.text)
    return " ".join(text.split())


def _definitions_on_page(page: Page) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    text = _page_text(page)
    for m in _PAREN.finditer(text):
        inside = re.sub(r"[’']s?$", "", _clean(m.group(1)))
        if _valid_short_form(inside):  # long form (SF)
            candidate = _backward_candidate(text[: m.start()], inside)
            lf = _backward_initials(inside, candidate) or best_long_form(inside, candidate)
            if lf and _acceptable(inside, lf):
                found.append(_normalise_sf(inside, _clean(lf)))
            continue
        before = re.search(r"([A-Za-z][A-Za-z0-9&]{1,9})\s*$", text[: m.start()])
        if before and len(inside.split()) >= 2 and _valid_short_form(before.group(1)):  # SF (long form)
            sf = before.group(1)
            lf = best_long_form(sf, inside)
            if lf and _clean(lf).lower() == re.sub(r"^the\s+", "", inside.lower()) and _acceptable(sf, lf):
                found.append(_normalise_sf(sf, _clean(lf)))
    for line in page.text.splitlines():
        line = " ".join(line.split())
        entries = [(m.group(1), line[m.end() :]) for m in _DASH.finditer(line)]
        entry = _ENTRY.match(line)  # a glossary table row: "CPI Consumer Price Index - the measure ..."
        if entry and not entries:
            entries.append((entry.group(1), line[entry.end() :]))
        for sf, rest in entries:
            if _valid_short_form(sf):
                lf = _forward_long_form(sf, rest) or _whole_segment(sf, rest)
                if lf and _acceptable(sf, lf):
                    found.append(_normalise_sf(sf, _clean(lf)))
    for m in _STANDS.finditer(text):
        sf = m.group(1)
        if _valid_short_form(sf):
            lf = _forward_long_form(sf, m.group(2)) or _clean(m.group(2))
            if len(lf.split()) <= 30:
                found.append((sf, _clean(lf)))
    for m in _QUOTED_MEANS.finditer(text):
        definition = _clean(m.group(2))
        if len(definition.split()) <= 30:
            found.append((_clean(m.group(1)), definition))
    return found


def _preferred(variants: Sequence[str]) -> str:
    """The first Title Case spelling, else the first: "Minimum Revenue Provision" over "minimum ..."."""
    titled = [t for t in variants if sum(w[:1].isupper() for w in t.split()) * 2 >= len(t.split())]
    return (titled or list(variants))[0]


def find_definitions(pages: Sequence[Page]) -> dict[str, Definition]:
    """Terms defined in the source: term -> the definition used most often, with its pages.

    >>> page = Page(number=3, text="the Medium Term Financial Plan (MTFP)", source="x.pdf", source_page=3)
    >>> find_definitions([page])["MTFP"].text
    'Medium Term Financial Plan'
    """
    seen: dict[str, list[tuple[str, int]]] = {}
    for page in pages:
        for term, text in _definitions_on_page(page):
            seen.setdefault(term, []).append((text, page.number))
    out: dict[str, Definition] = {}
    for term in sorted(seen):
        uses = seen[term]
        counts = Counter(text.lower() for text, _ in uses)
        best = max(counts, key=lambda key: (counts[key], -[t.lower() for t, _ in uses].index(key)))
        text = _preferred([t for t, _ in uses if t.lower() == best])
        pages_ = tuple(sorted({p for t, p in uses if t.lower() == best}))
        senses: list[tuple[str, tuple[int, ...]]] = []
        for key in counts:  # first-seen order
            preferred = _preferred([t for t, _ in uses if t.lower() == key])
            senses.append((preferred, tuple(sorted({p for t, p in uses if t.lower() == key}))))
        out[term] = Definition(term=term, text=text, pages=pages_, senses=tuple(senses))
    return out
