"""How central each sentence is to its item: TF-IDF vectors, the centroid, a position prior.

Method, chosen by measurement: the TF-IDF centroid (cosine of each sentence to
the item's centroid) times a position prior that favours each report's opening
pages, where council reports put their own summary. On the Kent Cabinet pack of
30 January 2025, scored per item (items 5-9) against the printed minutes of that
meeting (``bench/summary_kent.py --compare``), it was best or tied best on every
measure: ROUGE-1 recall 0.367 (LexRank 0.355, TextRank 0.363, each with the same
prior; 0.345-0.348 without it), ROUGE-2 0.131 (0.129/0.131) and share of the
minutes' money and percentage figures 0.52 (0.52/0.49). It is also linear in the
number of sentences where the graph methods are quadratic. Those two live in
``bench/rankers.py``, which the comparison passes to :func:`rank` as a
:data:`Scorer`.

Two small adjustments, also measured there, which the engine multiplies in:
sentences opening on "This"/"However"... (which lean on a sentence that may not
be kept) score x0.6 (:data:`ANAPHOR_PENALTY`), and sentences using a term the
item's papers define score x1.15 (:data:`TERM_BONUS`; ROUGE-1 0.364 -> 0.368,
and 10 -> 14 glossary footnotes). Pure Python (no numpy); ties break by source
position, so the output is deterministic.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from summarise.engines.extractive.prose import WORD, is_prose
from summarise.text.sentences import Sentence, sentences_of_text
from summarise.text.vocab import RANKING_STOPWORDS, stem


@functools.lru_cache(maxsize=65536)
def terms_of(text: str) -> tuple[str, ...]:
    """The text's stemmed words, stopwords and words under three letters left out."""
    return tuple(
        stem(w)
        for w in (m.group(0).lower().strip("'’-") for m in WORD.finditer(text))
        if len(w) > 2 and w not in RANKING_STOPWORDS
    )


Vector = dict[str, float]  # term -> weight


def tfidf_vectors(texts: Sequence[str]) -> list[Vector]:
    """Unit-length TF-IDF vectors, IDF from the texts themselves."""
    bags = [Counter(terms_of(t)) for t in texts]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    out: list[Vector] = []
    for bag in bags:
        vec = {term: tf * (math.log((n + 1) / (df[term] + 1)) + 1.0) for term, tf in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({term: v / norm for term, v in vec.items()})
    return out


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b[t] for t, v in a.items() if t in b)


def centroid_scores(vectors: Sequence[Vector]) -> list[float]:
    """Each vector's cosine to the (unit) centroid of them all."""
    centroid: Vector = {}
    for vec in vectors:
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
    norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
    centroid = {t: v / norm for t, v in centroid.items()}
    return [cosine(vec, centroid) for vec in vectors]


Scorer = Callable[[Sequence[str], Sequence[Vector]], list[float]]
"""Another ranking method: a score per sentence from the sentences' texts and TF-IDF vectors."""


def rank(sentences: Sequence[Sentence], scorer: Scorer | None = None, position: bool = True) -> list[float]:
    """A centrality score per sentence (higher is more central).

    ``scorer`` replaces the centroid (the default, chosen by measurement), as
    the benchmarks' LexRank and TextRank do; ``position`` multiplies in a prior
    favouring sentences near the start of a report, where council papers put
    their own summary.
    """
    if not sentences:
        return []
    vectors = tfidf_vectors([s.text for s in sentences])
    base = centroid_scores(vectors) if scorer is None else scorer([s.text for s in sentences], vectors)
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
    sentences = [s for s in sentences_of_text(text) if is_prose(s)]
    scores = rank(sentences, position=False)
    best = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))[:max_sentences]
    return [sentences[i].text for i in sorted(best)]


# A sentence opening on "This"/"However"... leans on the one before it, which may not be kept.
ANAPHOR = re.compile(
    r"^(?:This|These|That|Those|It|Its|They|Their|Such|However|But|And|Also|Therefore|Consequently"
    r"|Furthermore|Whereas|Whilst|As a result|In addition)\b"
)
ANAPHOR_PENALTY = 0.6
# Terms the item's papers define are the ones their authors expect readers to need.
TERM_BONUS = 1.15


def term_pattern(definitions: Mapping[str, object]) -> re.Pattern[str] | None:
    """A pattern for any of the defined terms (or its plural), longest first; None for no terms."""
    terms = sorted(definitions, key=lambda t: (-len(t), t))
    if not terms:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")s?(?![\w-])")
