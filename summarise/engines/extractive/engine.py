"""The offline engine (``extractive``): a summary built from the pack's own sentences.

No model, no network, no downloads. Per agenda item we split the item's pages
into sentences (our own splitter, which knows PDF line breaks, bullet lists and
"£1.2m", "e.g.", "No. 5", "Cllr."), keep the ones that read as prose, rank
them and keep the most central ones within a word budget, in source order,
each citing the pages it came from. Sentences never cross items.

Ranking method, chosen by measurement: the TF-IDF centroid (cosine of each
sentence to the item's centroid) times a position prior that favours each
report's opening pages, where council reports put their own summary. On the
Kent Cabinet pack of 30 January 2025, scored per item (items 5-9) against the
printed minutes of that meeting (``bench/summary_kent.py --compare``), it was
best or tied best on every measure: ROUGE-1 recall 0.367 (LexRank 0.355,
TextRank 0.363, each with the same prior; 0.345-0.348 without it), ROUGE-2
0.131 (0.129/0.131) and share of the minutes' money and percentage figures
0.52 (0.52/0.49). It is also linear in the number of sentences where the graph
methods are quadratic. Two small adjustments, also measured there: sentences
opening on "This"/"However"... (which lean on a sentence that may not be kept)
score x0.6, and sentences using a term the item's papers define score x1.15
(ROUGE-1 0.364 -> 0.368, and 10 -> 14 glossary footnotes). Pure Python (no
numpy); ties break by source position, so the output is deterministic.

Key points: recommendations ("Cabinet is asked to: a) ... b) ...",
"RECOMMENDATION: ...") and the most central sentences carrying money,
percentages or counts. The presenter comes from "From:", "Report from:",
"By:", "Author:" or "Cabinet Member:" lines on the item's first pages.

Items with no papers get a one-line note and nothing else. An item with
sub-items is summarised over the parent's pages (or the sub-items' span when
the parent has none), plus one key point for each sub-item not already
represented. A "Minutes of ..." item gets one line saying the minutes were
submitted for approval: summarising the previous meeting's decisions would
read as this meeting's. The synopsis says what the meeting was scheduled to
consider, in that tense, and quotes at most two of the recommendations.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from summarise._version import __version__
from summarise.glossary.definitions import Definition, attach_footnotes, find_definitions
from summarise.models.meeting import AgendaItem, Meeting, Page
from summarise.models.summary import (
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
)

log = logging.getLogger(__name__)

ENGINE = "extractive"

# --------------------------------------------------------------------------- sentences

_BULLET = re.compile(r"^(?:[•▪●◦■□➢►✓\uf0b7\uf0a7\uf0d8*]|[-–—o](?=\s))\s*")
_LABEL = re.compile(
    r"^(?:\(?[a-hj-zA-HJ-Z]\)|\(?(?:i{1,3}|iv|v|vi{1,3}|ix|x)\)|[A-H]\.(?=\s)"
    r"|\d{1,2}(?:\.\d{1,2}){0,3}\.?(?=\s)|\(\d{1,2}\))\s+"
)
_TERMINAL = re.compile(r"[.!?:;][\"'”’)\]]*$")
# Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = frozenset(
    [
        "e.g",
        "i.e",
        "eg",
        "ie",
        "cf",
        "viz",
        "al",
        "approx",
        "apr",
        "aug",
        "cllr",
        "co",
        "col",
        "corp",
        "dec",
        "dept",
        "dr",
        "est",
        "feb",
        "fig",
        "figs",
        "gov",
        "govt",
        "hon",
        "inc",
        "incl",
        "jan",
        "jr",
        "jul",
        "jun",
        "mar",
        "mr",
        "mrs",
        "ms",
        "mt",
        "no",
        "nos",
        "nov",
        "oct",
        "para",
        "paras",
        "pp",
        "prof",
        "rd",
        "rev",
        "sep",
        "sept",
        "st",
        "vol",
        "vs",
        "ref",
        "refs",
        "sec",
        "ch",
        "art",
        "arts",
        "cl",
        "sch",
        "p",
    ]
)
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9£$€•])")
_CONNECTORS = frozenset(
    ["and", "or", "of", "the", "for", "to", "in", "on", "with", "by", "a", "an", "&", "-"]
)


@dataclass(frozen=True)
class _Line:
    text: str
    page: int


@dataclass(frozen=True)
class _Block:
    """A paragraph, list entry or heading, after PDF line breaks are undone."""

    lines: tuple[_Line, ...]
    bullet: bool
    label: str


@dataclass(frozen=True)
class Sentence:
    """A sentence with the pack pages it came from and where it sits."""

    text: str
    pages: tuple[int, ...]
    index: int
    block: int
    listed: bool  # from a bullet or labelled list entry
    label: str
    heading: bool


def _heading_like(line: str) -> bool:
    words = line.split()
    if not words or len(line) > 70 or _TERMINAL.search(line) or line.endswith(","):
        return False
    if words[-1].lower() in _CONNECTORS:
        return False
    caps = sum(1 for w in words if w[:1].isupper() or w[:1].isdigit())
    return caps * 2 >= len(words)


def _blocks(lines: Sequence[_Line]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[_Line] = []
    bullet = False
    label = ""

    def flush() -> None:
        nonlocal current, bullet, label
        if current:
            blocks.append(_Block(tuple(current), bullet, label))
        current, bullet, label = [], False, ""

    previous = ""
    for line in lines:
        text = " ".join(line.text.split())
        if not text:
            flush()
            previous = ""
            continue
        if previous.endswith(":"):
            flush()  # "Summary:", "Cabinet is asked to:" end their own piece
        starts_block = (
            not previous or bool(_TERMINAL.search(previous)) or len(previous) < 50 or _heading_like(previous)
        )
        new_bullet = _BULLET.match(text)
        new_label = _LABEL.match(text) if starts_block or _heading_like(text) else None
        if new_bullet and (text[0] not in "-–—o" or starts_block):
            flush()
            bullet = True
            text = text[new_bullet.end() :]
        elif new_label:
            flush()
            label = new_label.group(0).strip()
            text = text[new_label.end() :]
        elif len(current) == 1 and _heading_like(previous) and text[:1].isupper():
            flush()  # the previous line was a heading on a line of its own
        if text:
            current.append(_Line(text, line.page))
        previous = text
    flush()
    return blocks


def _split_block(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) inside one block's joined text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        before = text[start : match.start() + 1].split()
        word = before[-1] if before else ""
        core = word.rstrip(".!?\"'”’)]").lstrip("(\"'“‘[").lower()
        if word.endswith(".") or word.endswith(".)"):
            following = text[match.end() : match.end() + 1]
            roman = re.fullmatch(r"[IVX]{1,4}", word.rstrip(".)"))  # "III. Presentation" in a list
            if core in _ABBREVIATIONS or (len(core) == 1 and core.isalpha()) or roman:
                continue
            if core in {"no", "nos", "p", "pp", "para"} and following.isdigit():
                continue
        end = match.end()
        piece = text[start:end].strip()
        if piece:
            spans.append((start, start + len(text[start:end].rstrip())))
        start = end
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def _join(block: _Block) -> tuple[str, list[tuple[int, int]]]:
    """Join a block's lines, undoing hyphenation; return text and (offset, page) marks."""
    text = ""
    marks: list[tuple[int, int]] = []
    for line in block.lines:
        if text and not (text.endswith("-") and (line.text[:1].islower() or line.text[:1].isdigit())):
            text += " "
        marks.append((len(text), line.page))
        text += line.text
    return text, marks


# "Summary: Transitions involve ..." -> "Transitions involve ..."
_LEAD_LABEL = re.compile(
    r"(?:Summary|Purpose|Background|Introduction|Context|Overview|Issue|Note|Conclusions?)\s*:\s+(?=[A-Z])"
)


def _sentences_from_lines(lines: Sequence[_Line]) -> list[Sentence]:
    out: list[Sentence] = []
    for b, block in enumerate(_blocks(lines)):
        text, marks = _join(block)
        heading = len(block.lines) == 1 and _heading_like(text) and not block.bullet
        for start, end in _split_block(text):
            label = _LEAD_LABEL.match(text, start, end)
            if label and label.end() < end:
                start = label.end()
            pages = sorted({page for offset, page in marks if offset < end})
            first = max((page for offset, page in marks if offset <= start), default=marks[0][1])
            cited = tuple(p for p in pages if p >= first)
            out.append(
                Sentence(
                    text=text[start:end].strip(),
                    pages=cited,
                    index=len(out),
                    block=b,
                    listed=block.bullet or bool(block.label),
                    label=block.label,
                    heading=heading,
                )
            )
    return out


def split_sentences(text: str) -> list[str]:
    """Split PDF-extracted text into sentences.

    Line breaks inside a paragraph are undone, bullet and numbered list entries
    become pieces of their own (without their bullet or label), and full stops
    in "£1.2m", "e.g.", "No. 5", "Cllr." and initials do not end a sentence.

    >>> split_sentences("Costs rose to £1.2m, e.g. on fuel. See No. 5 for\\ndetail.")
    ['Costs rose to £1.2m, e.g. on fuel.', 'See No. 5 for detail.']
    """
    return [s.text for s in _sentences_from_lines([_Line(t, 0) for t in text.splitlines()])]


def _running_lines(pages: Sequence[Page]) -> set[str]:
    """Lines printed on many of these pages: running headers and footers that cleaning missed."""
    if len(pages) < 4:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [" ".join(line.split()) for line in page.text.splitlines() if line.strip()]
        counts.update(set(lines[:3] + lines[-3:]))  # headers and footers sit at the page's edges
    floor = max(4, min(len(pages) // 4, 8))
    return {line for line, n in counts.items() if n >= floor and len(line) > 3}


def sentences_of_pages(pages: Sequence[Page]) -> list[Sentence]:
    """Sentences of consecutive pages; a sentence running over a page break cites both pages."""
    running = _running_lines(pages)
    return _sentences_from_lines(
        [
            _Line(t, page.number)
            for page in pages
            for t in page.text.splitlines()
            if " ".join(t.split()) not in running
        ]
    )


# --------------------------------------------------------------------------- prose filter

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "per",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "thus",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_NUMBER = re.compile(r"^[(£$€+\-–]*\d[\d,.%]*[a-z]{0,2}\)?[.,;:]?$")
_FURNITURE = re.compile(
    r"@|https?:|www\.|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b|\(\d{3}\)\s?\d{3}-\d{4}"
    r"|\bPage \d+ of \d+\b|\bAgenda Item\b|\.{4,}|_{3,}",
    re.IGNORECASE,
)


_INLINE_LABEL = re.compile(r"(?<=\s)(?:[IVX]{1,4}|\d{1,2})\.(?:\s+[A-Z]|\s*$)")
_TABLE_LABEL = re.compile(r"^\W*[A-Z]{2,}\s*\d+\s*[:.]\s")


def _is_prose(sentence: Sentence, min_words: int = 7, max_words: int = 60) -> bool:
    text = sentence.text
    if sentence.heading or _FURNITURE.search(text) or _TABLE_LABEL.match(text):
        return False
    if len(_INLINE_LABEL.findall(text)) >= 2:  # an agenda list run together: "... III. Other IV. ..."
        return False
    tokens = text.split()
    if not min_words <= len(tokens) <= max_words:
        return False
    if not (text[0].isupper() or text[0] in "\"'“‘£$(" or text[0].isdigit()):
        return False
    if not _TERMINAL.search(text) and not sentence.listed:
        return False
    words = [t for t in tokens if _WORD.fullmatch(t.strip(".,;:()\"'“”‘’"))]
    numbers = [t for t in tokens if _NUMBER.match(t)]
    if len(words) < 0.6 * len(tokens) or len(numbers) > 0.3 * len(tokens):
        return False
    lower = [w.lower().strip(".,;:()\"'“”‘’") for w in tokens]
    if sum(1 for w in lower if w in _STOPWORDS) < 2:
        return False
    upper = sum(1 for w in words if w.isupper() and len(w) > 1)
    return upper <= 0.4 * len(words)


# --------------------------------------------------------------------------- ranking


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


@functools.lru_cache(maxsize=65536)
def _terms(text: str) -> tuple[str, ...]:
    return tuple(
        _stem(w)
        for w in (m.group(0).lower().strip("'’-") for m in _WORD.finditer(text))
        if len(w) > 2 and w not in _STOPWORDS
    )


_Vector = dict[str, float]


def _vectors(texts: Sequence[str]) -> list[_Vector]:
    """Unit-length TF-IDF vectors, IDF from the texts themselves."""
    bags = [Counter(_terms(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    out: list[_Vector] = []
    for bag in bags:
        vec = {term: tf * (math.log((n + 1) / (df[term] + 1)) + 1.0) for term, tf in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({term: v / norm for term, v in vec.items()})
    return out


def _cosine(a: _Vector, b: _Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def _centroid_scores(vectors: Sequence[_Vector]) -> list[float]:
    centroid: _Vector = {}
    for vec in vectors:
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    centroid = {t: v / norm for t, v in centroid.items()}
    return [_cosine(vec, centroid) for vec in vectors]


def _pagerank(weights: list[list[tuple[int, float]]], damping: float = 0.85) -> list[float]:
    n = len(weights)
    if n == 0:
        return []
    totals = [sum(w for _, w in row) for row in weights]
    scores = [1.0 / n] * n
    for _ in range(60):
        incoming = [0.0] * n
        for i, row in enumerate(weights):
            if totals[i] == 0:
                continue
            share = scores[i] / totals[i]
            for j, w in row:
                incoming[j] += share * w
        new = [(1 - damping) / n + damping * x for x in incoming]
        delta = sum(abs(a - b) for a, b in zip(new, scores, strict=True))
        scores = new
        if delta < 1e-9:
            break
    return scores


def _lexrank_scores(vectors: Sequence[_Vector], threshold: float = 0.1) -> list[float]:
    n = len(vectors)
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim = _cosine(vectors[i], vectors[j])
            if sim >= threshold:
                weights[i].append((j, sim))
                weights[j].append((i, sim))
    return _pagerank(weights)


def _textrank_scores(texts: Sequence[str]) -> list[float]:
    bags = [set(_terms(t)) for t in texts]
    n = len(bags)
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common = len(bags[i] & bags[j])
            if common and len(bags[i]) > 1 and len(bags[j]) > 1:
                sim = common / (math.log(len(bags[i])) + math.log(len(bags[j])))
                weights[i].append((j, sim))
                weights[j].append((i, sim))
    return _pagerank(weights)


# Candidates kept for the quadratic graph methods; the centroid picks them.
_GRAPH_POOL = 300


def rank(sentences: Sequence[Sentence], method: str = "centroid", position: bool = True) -> list[float]:
    """A centrality score per sentence (higher is more central).

    ``method`` is "centroid" (the default, chosen by measurement), "lexrank"
    or "textrank"; ``position`` multiplies in a prior favouring sentences near
    the start of a report, where council papers put their own summary.
    """
    if not sentences:
        return []
    vectors = _vectors([s.text for s in sentences])
    base = _centroid_scores(vectors)
    if method != "centroid":
        pool = sorted(range(len(sentences)), key=lambda i: (-round(base[i], 12), i))[:_GRAPH_POOL]
        pool.sort()
        if method == "lexrank":
            sub = _lexrank_scores([vectors[i] for i in pool])
        elif method == "textrank":
            sub = _textrank_scores([sentences[i].text for i in pool])
        else:
            raise ValueError(f"unknown ranking method {method!r}")
        top = max(sub, default=1.0) or 1.0
        graph = [0.0] * len(sentences)
        for i, score in zip(pool, sub, strict=True):
            graph[i] = score / top
        base = graph
    if position:
        first = min(min(s.pages) for s in sentences if s.pages) if any(s.pages for s in sentences) else 0
        base = [
            score * (1.0 + 1.0 / (1.0 + (min(s.pages, default=first) - first) / 2.0))
            for score, s in zip(base, sentences, strict=True)
        ]
    return [round(score, 12) for score in base]


def key_sentences(text: str, max_sentences: int) -> list[str]:
    """The ``max_sentences`` most central prose sentences of ``text``, in source order."""
    if max_sentences <= 0:
        return []
    sentences = [s for s in _sentences_from_lines([_Line(t, 0) for t in text.splitlines()]) if _is_prose(s)]
    scores = rank(sentences, position=False)
    best = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))[:max_sentences]
    return [sentences[i].text for i in sorted(best)]


# --------------------------------------------------------------------------- key points

_MONEY = re.compile(r"[£$€]\s?\d|\b\d[\d,.]*\s?(?:m|bn|k|million|billion)\b", re.IGNORECASE)
_PERCENT = re.compile(r"\b\d[\d.]*\s?(?:%|per ?cent\b)", re.IGNORECASE)
_COUNT = re.compile(
    r"(?<![\d.,/£$-])\b\d{1,3}(?:,\d{3})*\b(?![\d./-])\s+(?:[a-z\-]{3,}\s+)?"
    r"(?!(?:years|months|weeks|days|was|has|this|its|is|as|his|us)\b)[a-z]{3,}s\b"
)
_ASKED = re.compile(
    r"\b(?:is|are|be|was|were)\s+(?:being\s+)?(?:asked|recommended|invited|requested)\s+to\b",
    re.IGNORECASE,
)
_REC_HEADING = re.compile(r"^(?:RECOMMENDATIONS?|Recommendations?(?:\(s\))?)\s*:?\s*$")
_REC_PREFIX = re.compile(r"^(?:[A-Z][\w()]*(?:\s+\w+){0,2})\s*:\s+(?=\S)")


def has_figure(text: str) -> bool:
    return bool(_MONEY.search(text) or _PERCENT.search(text) or _COUNT.search(text))


def _finish(text: str) -> str:
    text = re.sub(r"[;,]?\s+(?:and|or)$", "", text.strip()).rstrip(";,")
    return text if _TERMINAL.search(text) and not text.endswith(":") else text.rstrip(":") + "."


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


def _recommendations(sentences: Sequence[Sentence]) -> tuple[list[tuple[str, tuple[int, ...]]], set[int]]:
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
            and _is_prose(s, min_words=5, max_words=80)
        ):
            add(intro, s.pages, s.index)
        elif _REC_HEADING.match(intro) and i + 1 < len(sentences):
            nxt = sentences[i + 1]
            if not nxt.text.endswith(":") and _is_prose(nxt, min_words=5, max_words=80):
                add(nxt.text, nxt.pages, nxt.index)
        i += 1
    return out, used


# --------------------------------------------------------------------------- presenter

_PRESENTER_LABEL = re.compile(
    r"^\s*(?:(?:Report\s+from|From|By|Authors?|Report\s+Authors?|Cabinet\s+Members?|Presented\s+by)\s*:"
    r"|Report\s+Authors?\s*$)\s*",
    re.IGNORECASE,
)
_STOP_LABEL = re.compile(
    r"^\s*(?:To|Subject|Date|Decision|Classification|Key decision|Summary|Electoral|Past Pathway|Contact)\b",
    re.IGNORECASE,
)
_NAME = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|Prof)\.?\s+)?[A-Z][a-z’'\-]+(?:\s+[A-Z]\.?)*"
    r"(?:\s+(?:[A-Z][a-z’'\-]+|Mc[A-Z][a-z]+|O’[A-Z][a-z]+)){1,2}$"
)
_ROLE_WORDS = frozenset(
    [
        "leader",
        "cabinet",
        "member",
        "director",
        "corporate",
        "interim",
        "deputy",
        "chief",
        "executive",
        "head",
        "officer",
        "manager",
        "council",
        "county",
        "services",
        "service",
        "finance",
        "health",
        "education",
        "adult",
        "social",
        "care",
        "children",
        "public",
        "strategy",
        "policy",
        "committee",
        "chair",
        "chairman",
        "portfolio",
        "assistant",
        "lead",
        "general",
        "counsel",
        "department",
        "directorate",
        "traded",
        "environment",
        "transport",
        "growth",
        "economic",
        "development",
        "community",
        "communities",
        "people",
        "young",
        "integrated",
        "planning",
        "team",
        "and",
        "for",
        "of",
        "the",
    ]
)


def _is_name(text: str) -> bool:
    text = text.strip()
    if not _NAME.match(text):
        return False
    return not any(w.lower().strip(".") in _ROLE_WORDS for w in text.split())


def _presenter_from_block(block: str) -> Presenter | None:
    # fragments with the separator that preceded each
    parts = re.split(r"(\n|,|;)", block)
    frags: list[tuple[str, str]] = []
    sep = ""
    for part in parts:
        if part in {"\n", ",", ";"}:
            sep = part
            continue
        if part.strip():
            frags.append((sep, " ".join(part.split())))
        sep = sep if not part.strip() else ""
    for k, (_, frag) in enumerate(frags):
        inner = re.fullmatch(r"(.+?)\s*\((.+)\)", frag)
        if inner and _is_name(inner.group(1)):
            return Presenter(name=inner.group(1).strip(), role=inner.group(2).strip())
        if not _is_name(frag):
            continue
        if k == 0:
            role_frags: list[tuple[str, str]] = []
            for sep_, f in frags[1:]:
                if _is_name(f) or (sep_ == "\n" and role_frags and _TERMINAL.search(role_frags[-1][1])):
                    break
                role_frags.append((sep_, f))
        else:
            role_frags = list(frags[:k])
        role = ""
        for sep_, f in role_frags:
            role += (", " if sep_ in {",", ";"} else " ") + f if role else f
        return Presenter(name=frag, role=role.strip(" ,") or None)
    return None


def find_presenter(pages: Sequence[Page]) -> Presenter | None:
    """Name and role from the first "From:"/"By:"/"Author:" block on the given pages."""
    for page in pages:
        lines = page.text.splitlines()
        for i, line in enumerate(lines):
            label = _PRESENTER_LABEL.match(line)
            if not label:
                continue
            body = [line[label.end() :]]
            for nxt in lines[i + 1 : i + 8]:
                if _STOP_LABEL.match(nxt) or _PRESENTER_LABEL.match(nxt):
                    break
                if not nxt.strip() and any(b.strip() for b in body):
                    break
                body.append(nxt)
            presenter = _presenter_from_block("\n".join(body))
            if presenter:
                return presenter
    return None


# --------------------------------------------------------------------------- items

_DECISION_NUMBER = re.compile(r"^\s*\d{2}/\d{4,6}\s*[-–—:]\s*")
_MINUTES = re.compile(r"^\s*minutes\b", re.IGNORECASE)


def clean_title(title: str) -> str:
    """'24/00108 - Revenue and Capital ...' -> 'Revenue and Capital ...'."""
    return " ".join(_DECISION_NUMBER.sub("", title).split())


def _span(item: AgendaItem) -> tuple[int | None, int | None]:
    if item.start_page is not None:
        return item.start_page, item.end_page if item.end_page is not None else item.start_page
    starts = [s.start_page for s in item.sub_items if s.start_page is not None]
    ends = [s.end_page or s.start_page for s in item.sub_items if s.start_page is not None]
    if not starts:
        return None, None
    return min(starts), max(e for e in ends if e is not None)


def _budget_words(n_pages: int) -> int:
    return max(100, min(350, 80 + 3 * n_pages))


def _select(
    candidates: Sequence[Sentence], scores: Sequence[float], budget: int, avoid: Sequence[str] = ()
) -> list[Sentence]:
    """Most central first, within ``budget`` words, skipping near-repeats (of each other or ``avoid``)."""
    vectors = _vectors([s.text for s in candidates] + list(avoid))
    avoided = vectors[len(candidates) :]
    chosen: list[int] = []
    used = 0
    for i in sorted(range(len(candidates)), key=lambda i: (-scores[i], i)):
        if scores[i] <= 0 or any(_cosine(vectors[i], v) > 0.5 for v in avoided):
            continue
        words = len(candidates[i].text.split())
        if used + words > budget:
            if used >= budget * 0.7:
                break
            continue
        if any(_cosine(vectors[i], vectors[j]) > 0.5 for j in chosen):
            continue
        chosen.append(i)
        used += words
    return [candidates[i] for i in sorted(chosen)]


def _paragraphs(selected: Sequence[Sentence]) -> list[Paragraph]:
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


def _figure_points(
    candidates: Sequence[Sentence], scores: Sequence[float], taken: set[int], limit: int
) -> list[KeyPoint]:
    figures = [i for i, s in enumerate(candidates) if s.index not in taken and has_figure(s.text)]
    figures = [
        i
        for i in figures
        if len(candidates[i].text.split()) <= 45
        and _TERMINAL.search(candidates[i].text)
        and not _ANAPHOR.match(candidates[i].text)
    ]
    best = sorted(figures, key=lambda i: (-scores[i], i))
    picked: list[int] = []
    seen: list[_Vector] = []
    vectors = _vectors([candidates[i].text for i in best]) if best else []
    for pos, i in enumerate(best):
        if len(picked) >= limit:
            break
        if any(_cosine(vectors[pos], v) > 0.5 for v in seen):
            continue
        picked.append(i)
        seen.append(vectors[pos])
    return [
        KeyPoint(text=candidates[i].text, pages=list(candidates[i].pages), kind="figure")
        for i in sorted(picked)
    ]


# A sentence opening on "This"/"However"... leans on the one before it, which may not be kept.
_ANAPHOR = re.compile(
    r"^(?:This|These|That|Those|It|Its|They|Their|Such|However|But|And|Also|Therefore|Consequently"
    r"|Furthermore|Whereas|Whilst|As a result|In addition)\b"
)
_ANAPHOR_PENALTY = 0.6
# Terms the item's papers define are the ones their authors expect readers to need.
TERM_BONUS = 1.15


def _term_pattern(definitions: Mapping[str, object]) -> re.Pattern[str] | None:
    terms = sorted(definitions, key=lambda t: (-len(t), t))
    if not terms:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")s?(?![\w-])")


def _plain(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _short(title: str, words: int = 8) -> str:
    parts = title.split()
    return title if len(parts) <= words else " ".join(parts[:words]) + "…"


def _within(pages: Iterable[int], start: int, end: int) -> list[int]:
    return sorted({p for p in pages if start <= p <= end})


def _title_line(title: str) -> re.Pattern[str] | None:
    words = re.findall(r"\w+", clean_title(title))[:4]
    if not words:
        return None
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


def _cut(page: Page, pattern: re.Pattern[str] | None, keep_after: bool) -> Page:
    """The page's lines from (``keep_after``) or before the first line matching ``pattern``."""
    if pattern is None:
        return page
    lines = page.text.splitlines()
    at = next((i for i, line in enumerate(lines) if pattern.search(line)), None)
    if at is None:
        return page
    kept = lines[at:] if keep_after else lines[:at]
    return page.model_copy(update={"text": "\n".join(kept)})


def _own_pages(meeting: Meeting, item: AgendaItem, start: int, end: int) -> list[Page]:
    """The item's pages; where another item shares its first or last page, only its own part.

    Agendas and minutes put several items on one page: each item's text runs
    from its own heading to the next item's.
    """
    pages = [meeting.pages[n - 1] for n in range(start, end + 1) if 0 < n <= len(meeting.pages)]
    if not pages:
        return pages
    spans = [(i, _span(i)) for i in meeting.items]
    position = next((k for k, (i, _) in enumerate(spans) if i is item), None)
    if position is None:
        return pages
    before = [i for i, (s, e) in spans[:position] if s is not None and e is not None and e >= start]
    after = [i for i, (s, e) in spans[position + 1 :] if s is not None and s <= end]
    shares_first = [
        i for i, (s, e) in spans if i is not item and s is not None and e is not None and s <= start <= e
    ]
    if before or shares_first:
        pages[0] = _cut(pages[0], _title_line(item.title), keep_after=True)
    if after and _span(after[0])[0] == pages[-1].number:
        pages[-1] = _cut(pages[-1], _title_line(after[0].title), keep_after=False)
    return pages


def summarise_item(
    meeting: Meeting,
    item: AgendaItem,
    method: str = "centroid",
    position: bool = True,
    definitions: Mapping[str, Definition] | None = None,
) -> ItemSummary:
    """One item's summary from its own pages only (``method``/``position``: see :func:`rank`).

    ``definitions``: the pack's, from :func:`~summarise.glossary.definitions.find_definitions`
    (found here when not given).
    """
    start, end = _span(item)
    title = clean_title(item.title)
    documents = [d.title for d in item.documents]
    if start is None or end is None:
        return ItemSummary(
            number=item.number,
            title=title,
            has_papers=False,
            note="No papers were published for this item.",
        )
    pages = _own_pages(meeting, item, start, end)
    starts = [p for p in pages if any(p.number == d.start_page for d in item.documents)]
    presenter = find_presenter(pages[:2]) or find_presenter(starts)
    summary = ItemSummary(
        number=item.number,
        title=title,
        start_page=start,
        end_page=end,
        presenter=presenter,
        documents=documents,
    )
    if _MINUTES.match(title):
        summary.paragraphs = [
            Paragraph(
                text="The minutes of the previous meeting were submitted for approval as a correct record.",
                pages=[start],
            )
        ]
        return summary

    sentences = sentences_of_pages(pages)
    early = {n for n in range(start, start + 3)} | {
        n for d in item.documents for n in range(d.start_page, d.start_page + 2)
    }
    recs, rec_used = _recommendations(sentences)
    recs = [(text, pages) for text, pages in recs if pages and pages[0] in early]
    candidates = [
        s
        for s in sentences
        if _is_prose(s)
        and (not s.listed or _TERMINAL.search(s.text))
        and s.index not in rec_used
        and _plain(s.text) not in _plain(item.title)  # the item's own heading
    ]
    scores = rank(candidates, method=method, position=position)
    if definitions is None:
        definitions = find_definitions(meeting.pages)
    local = {
        term: d
        for term, d in definitions.items()
        if any(start <= p <= end for _, sense_pages in d.senses or ((d.text, d.pages),) for p in sense_pages)
    }
    defined = _term_pattern(local)
    scores = [
        score
        * (_ANAPHOR_PENALTY if _ANAPHOR.match(s.text) else 1.0)
        * (TERM_BONUS if defined and defined.search(s.text) else 1.0)
        for score, s in zip(scores, candidates, strict=True)
    ]
    selected = _select(candidates, scores, _budget_words(len(pages)), [t for t, _ in recs])
    summary.paragraphs = [
        Paragraph(text=p.text, pages=_within(p.pages, start, end)) for p in _paragraphs(selected)
    ]
    points = [KeyPoint(text=t, pages=_within(p, start, end), kind="recommendation") for t, p in recs[:6]]
    taken = {s.index for s in selected}
    points += _figure_points(candidates, scores, taken, limit=4)
    for sub in item.sub_items:
        s_start, s_end = _span(sub)
        if s_start is None or s_end is None:
            continue
        inside = [
            (score, s)
            for score, s in zip(scores, candidates, strict=True)
            if s_start <= min(s.pages) <= s_end
        ]
        if inside and not any(
            s_start <= min(p.pages, default=0) <= s_end for p in points + summary.paragraphs
        ):
            _, best = sorted(inside, key=lambda x: (-x[0], x[1].index))[0]
            points.append(
                KeyPoint(
                    text=f"{_short(clean_title(sub.title))}: {best.text}",
                    pages=_within(best.pages, start, end),
                )
            )
    summary.key_points = points
    if not summary.paragraphs and not points:
        words = sum(len(p.text.split()) for p in pages)
        summary.note = (
            "The papers give no detail for this item beyond its title."
            if words < 40
            else "The papers for this item have no prose to summarise (tables or images only)."
        )
    return summary


# --------------------------------------------------------------------------- synopsis


def _join_words(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


_SYNOPSIS_TITLES = 8
_DECISIVE = re.compile(r"\basked to (?:\w+ )?(?:agree|approve|endorse|adopt|delegate|recommend)", re.I)


def synopsis(meeting: Meeting, items: Sequence[ItemSummary]) -> str:
    """What the meeting was to consider, in the scheduled tense."""
    info = meeting.info
    body = info.body or "The meeting"
    who = body if body.lower().startswith("the ") else f"The {body}"
    when = ""
    if info.date:
        when += f" on {info.date.strftime('%A')} {info.date.day} {info.date.strftime('%B %Y')}"
    if info.time:
        when += f" at {info.time}"
    parts = [f"{who} was scheduled to meet{when}".rstrip(".") + "."]
    with_papers = [i for i in items if i.has_papers and not _MINUTES.match(i.title)]
    if len(with_papers) == 1:
        parts.append(f"The agenda included one item with papers: {with_papers[0].title}.")
    elif with_papers:
        named = [i.title for i in with_papers[:_SYNOPSIS_TITLES]]
        rest = len(with_papers) - len(named)
        listed = "; ".join(named[:-1]) + "; and " + named[-1] if not rest else "; ".join(named)
        more = f"; and {rest} more" if rest else ""
        parts.append(f"The agenda included {len(with_papers)} items with papers: {listed}{more}.")
    asked: list[str] = []
    for item in sorted(with_papers, key=lambda i: -((i.end_page or 0) - (i.start_page or 0))):
        recs = [k for k in item.key_points if k.kind == "recommendation"]
        recs = [k for k in recs if "attached" not in k.text and "proposed decision" not in k.text]
        rec = next((k for k in recs if _DECISIVE.search(k.text)), recs[0] if recs else None)
        if rec and len(asked) < 2:
            text = re.sub(r"\b(is|are) (asked|recommended|invited|requested)\b", r"was \2", rec.text, count=1)
            text = text.replace("were asked", "was asked")
            if len(text.split()) <= 45:
                asked.append(text)
    parts += asked
    procedural = [i.title for i in items if not i.has_papers]
    if len(procedural) > _SYNOPSIS_TITLES:
        parts.append(f"{len(procedural)} further items had no papers.")
    elif procedural:
        parts.append(
            f"{_join_words(procedural)} {'was' if len(procedural) == 1 else 'were'} also on the agenda,"
            " with no papers."
        )
    return " ".join(parts)


# --------------------------------------------------------------------------- the engine


def summarise_meeting(meeting: Meeting) -> MeetingSummary:
    """Summarise a whole meeting offline, with glossary footnotes attached."""
    definitions = find_definitions(meeting.pages)
    items = [summarise_item(meeting, item, definitions=definitions) for item in meeting.items]
    summary = MeetingSummary(
        meeting=meeting.info,
        synopsis=synopsis(meeting, items),
        items=items,
        provenance=Provenance(
            engine=ENGINE,
            library_version=__version__,
            created_at=dt.datetime.now(dt.UTC),
        ),
    )
    return attach_footnotes(summary, definitions, meeting.pages)
