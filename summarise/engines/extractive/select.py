"""What an item's summary keeps: its paragraphs, its recommendations and its figures.

Paragraphs: the most central prose sentences within a word budget, near-repeats
left out, back in source order and grouped into paragraphs of sentences on
nearby pages. Key points: recommendations ("Cabinet is asked to: a) ... b) ...",
"RECOMMENDATION: ...", "Cabinet is asked to agree ..."), each list entry joined to
the question it answers; and the most central sentences carrying money,
percentages or counts that the paragraphs did not already use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from summarise.engines.extractive.prose import is_prose
from summarise.engines.extractive.rank import ANAPHOR, Vector, cosine, tfidf_vectors
from summarise.models.summary import KeyPoint, Paragraph
from summarise.text.figures import has_figure
from summarise.text.sentences import TERMINAL, Sentence


def select(
    candidates: Sequence[Sentence], scores: Sequence[float], budget: int, avoid: Sequence[str] = ()
) -> list[Sentence]:
    """Most central first, within ``budget`` words, skipping near-repeats (of each other or ``avoid``)."""
    vectors = tfidf_vectors([s.text for s in candidates] + list(avoid))
    avoided = vectors[len(candidates) :]
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        if scores[i] <= 0 or any(cosine(vectors[i], v) > 0.5 for v in avoided):
            continue
        words = len(candidates[i].text.split())
        if used + words > budget:
            if used >= budget * 0.7:
                break
            continue
        if any(cosine(vectors[i], vectors[j]) > 0.5 for j in chosen):
            continue
        chosen.append(i)
        used += words
    return [candidates[i] for i in sorted(chosen)]


_LEAD_IN = re.compile(r"(?:\bas follows|\bthe following|\bbelow|:)\s*[.:]?$", re.IGNORECASE)


def complete(selected: Sequence[Sentence], sentences: Sequence[Sentence]) -> list[Sentence]:
    """Selected sentences a reader can follow alone: a lead-in ("... as follows:") keeps its list
    (up to six entries, joined to it) or goes; a "This/These/It ..." opener whose sentence before it
    was not kept goes."""
    kept = {s.index for s in selected}
    out: list[Sentence] = []
    for s in selected:
        if ANAPHOR.match(s.text) and s.index - 1 not in kept:
            continue
        if _LEAD_IN.search(s.text):
            entries = []
            for nxt in sentences[s.index + 1 : s.index + 7]:
                if not nxt.listed or nxt.heading:
                    break
                entries.append(nxt)
            if not entries:
                continue
            lead = re.sub(r"[\s.:]+$", "", s.text)
            listed = "; ".join(re.sub(r"[\s.;,]+$", "", e.text) for e in entries)
            pages = tuple(sorted({p for e in (s, *entries) for p in e.pages}))
            s = replace(s, text=f"{lead}: {listed}.", pages=pages)
        out.append(s)
    return out


def paragraphs(selected: Sequence[Sentence]) -> list[Paragraph]:
    """Selected sentences in runs of up to four, each within two pages of the one before."""
    groups: list[list[Sentence]] = []
    for s in selected:
        last = groups[-1][-1] if groups else None
        if last and len(groups[-1]) < 4 and min(s.pages, default=0) - max(last.pages, default=0) <= 2:
            groups[-1].append(s)
        else:
            groups.append([s])
    return [
        Paragraph(text=" ".join(s.text for s in g), pages=sorted({p for s in g for p in s.pages}))
        for g in groups
    ]


def figure_points(
    candidates: Sequence[Sentence], scores: Sequence[float], taken: set[int], limit: int
) -> list[KeyPoint]:
    """Up to ``limit`` of the most central short, complete sentences stating an amount, not near-repeats.

    Sentences already ``taken`` (by index) and ones leaning on the sentence before are left out.
    """
    figures = [i for i, s in enumerate(candidates) if s.index not in taken and has_figure(s.text)]
    figures = [
        i
        for i in figures
        if len(candidates[i].text.split()) <= 45
        and TERMINAL.search(candidates[i].text)
        and not ANAPHOR.match(candidates[i].text)
    ]
    best = sorted(figures, key=lambda i: (-scores[i], i))
    picked: list[int] = []
    seen: list[Vector] = []
    vectors = tfidf_vectors([candidates[i].text for i in best]) if best else []
    for pos, i in enumerate(best):
        if len(picked) >= limit:
            break
        if any(cosine(vectors[pos], v) > 0.5 for v in seen):
            continue
        picked.append(i)
        seen.append(vectors[pos])
    return [
        KeyPoint(text=candidates[i].text, pages=list(candidates[i].pages), kind="figure")
        for i in sorted(picked)
    ]


_ASKED = re.compile(
    r"\b(?:is|are|be|was|were)\s+(?:being\s+)?(?:asked|recommended|invited|requested)\s+to\b",
    re.IGNORECASE,
)
_REC_HEADING = re.compile(r"^(?:RECOMMENDATIONS?|Recommendations?(?:\(s\))?)\s*:?\s*$")
_REC_PREFIX = re.compile(r"^(?:[A-Z][\w()]*(?:\s+\w+){0,2})\s*:\s+(?=\S)")


def _finish(text: str) -> str:
    text = re.sub(r"[;,]?\s+(?:and|or)$", "", text.strip()).rstrip(";,")
    return text if TERMINAL.search(text) and not text.endswith(":") else text.rstrip(":") + "."


def _decap(text: str) -> str:
    """'NOTE the forecast' -> 'note the forecast'; 'Agree to TRANSFER' -> 'agree to transfer'."""
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if w.isupper() and len(w) > 2 and w.isalpha() and i < 4:
            out.append(w.lower())
        else:
            out.append(w)
    if out and out[0][:1].isupper() and out[0][1:].islower():
        out[0] = out[0].lower()
    return " ".join(out)


_DECIDERS = re.compile(
    r"\b(?:Cabinet|Council|Committee|Sub-Committee|Board|Members|Panel|Leader|Executive|Mayor|Commission"
    r"|Trustees|Governors|Forum|Partnership|Authority)\b"
)


def _decision_maker_asked(text: str) -> bool:
    """'Cabinet is asked to agree ...', not 'reserves which are requested to roll forward'."""
    asked = _ASKED.search(text)
    if not asked:
        return False
    subject = text[: asked.start()]
    return len(subject.split()) <= 6 and bool(_DECIDERS.search(subject))


def _label_kind(label: str) -> str:
    if not label:
        return "bullet"
    core = label.strip("().")
    if core.isdigit() or re.fullmatch(r"[\d.]+", core):
        return "number"
    if re.fullmatch(r"[ivx]+", core):
        return "roman"
    return ("upper" if core.isupper() else "lower") + ("paren" if ")" in label else "dot")


def recommendations(sentences: Sequence[Sentence]) -> tuple[list[tuple[str, tuple[int, ...]]], set[int]]:
    """Recommendation texts with their pages, and the indexes of the sentences they used."""
    out: list[tuple[str, tuple[int, ...]]] = []
    seen: set[str] = set()
    used: set[int] = set()

    def add(text: str, pages: tuple[int, ...], index: int) -> None:
        used.add(index)
        asked = _ASKED.search(text)
        key = re.sub(r"\W+", " ", text[asked.end() if asked else 0 :].lower()).strip()
        if key not in seen and 4 <= len(text.split()) <= 90:
            seen.add(key)
            out.append((_finish(text), pages))

    i = 0
    while i < len(sentences):
        s = sentences[i]
        intro = s.text.rstrip()
        intro = _REC_PREFIX.sub("", intro)
        if _ASKED.search(intro) and intro.endswith(":") and len(intro.split()) <= 14:
            prefix = intro.rstrip(":").strip()
            used.add(s.index)
            j = i + 1
            kind = _label_kind(sentences[j].label) if j < len(sentences) else ""
            while j < len(sentences) and sentences[j].listed and not sentences[j].heading:
                item = sentences[j]
                if _label_kind(item.label) != kind:
                    break
                pages = s.pages + tuple(p for p in item.pages if p not in s.pages)
                add(f"{prefix} {_decap(item.text)}", pages, item.index)
                j += 1
            i = max(j, i + 1)
            continue
        if (
            _decision_maker_asked(intro)
            and not intro.endswith(":")
            and is_prose(s, min_words=5, max_words=80)
        ):
            add(intro, s.pages, s.index)
        elif _REC_HEADING.match(intro) and i + 1 < len(sentences):
            nxt = sentences[i + 1]
            if not nxt.text.endswith(":") and is_prose(nxt, min_words=5, max_words=80):
                add(nxt.text, nxt.pages, nxt.index)
        i += 1
    return out, used
