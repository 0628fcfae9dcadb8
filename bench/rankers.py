"""LexRank and TextRank: the graph rankers the offline engine's centroid was measured against.

The engine ranks sentences by their TF-IDF centroid
(``summarise/engines/extractive/rank.py``, which gives the figures); these two
serve only ``bench/summary_kent.py --compare``, which passes them to
``summarise_item(..., scorer=...)``. Each is a
:data:`summarise.engines.extractive.rank.Scorer`. Being quadratic in the number
of sentences, each ranks only the ``POOL`` sentences nearest the centroid and
gives the rest 0; scores are scaled so the best is 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from summarise.engines.extractive.rank import Scorer, Vector, centroid_scores, cosine, terms_of

# Candidates kept for the quadratic graph methods; the centroid picks them.
POOL = 300


def pagerank(weights: list[list[tuple[int, float]]], damping: float = 0.85) -> list[float]:
    """PageRank by power iteration; row ``i`` of ``weights`` lists ``(j, weight)`` edges."""
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


def lexrank_graph(vectors: Sequence[Vector], threshold: float = 0.1) -> list[float]:
    """PageRank over the sentences' cosine similarities of at least ``threshold``."""
    n = len(vectors)
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            sim = cosine(vectors[i], vectors[j])
            if sim >= threshold:
                weights[i].append((j, sim))
                weights[j].append((i, sim))
    return pagerank(weights)


def textrank_graph(texts: Sequence[str]) -> list[float]:
    """PageRank over shared terms, normalised by the log of each sentence's term count."""
    bags = [set(terms_of(t)) for t in texts]
    n = len(bags)
    weights: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            common = len(bags[i] & bags[j])
            if common and len(bags[i]) > 1 and len(bags[j]) > 1:
                sim = common / (math.log(len(bags[i])) + math.log(len(bags[j])))
                weights[i].append((j, sim))
                weights[j].append((i, sim))
    return pagerank(weights)


def _on_pool(
    texts: Sequence[str], vectors: Sequence[Vector], graph: Callable[[list[str], list[Vector]], list[float]]
) -> list[float]:
    """``graph``'s scores for the ``POOL`` sentences nearest the centroid, scaled to a best of 1."""
    base = centroid_scores(vectors)
    pool = sorted(range(len(texts)), key=lambda i: (-round(base[i], 12), i))[:POOL]
    pool.sort()
    sub = graph([texts[i] for i in pool], [vectors[i] for i in pool])
    top = max(sub, default=1.0) or 1.0
    scores = [0.0] * len(texts)
    for i, score in zip(pool, sub, strict=True):
        scores[i] = score / top
    return scores


def lexrank(texts: Sequence[str], vectors: Sequence[Vector]) -> list[float]:
    """LexRank (Erkan and Radev 2004) over the centroid's pool."""
    return _on_pool(texts, vectors, lambda _, pooled: lexrank_graph(pooled))


def textrank(texts: Sequence[str], vectors: Sequence[Vector]) -> list[float]:
    """TextRank (Mihalcea and Tarau 2004) over the centroid's pool."""
    return _on_pool(texts, vectors, lambda pooled, _: textrank_graph(pooled))


# The ranking methods --compare scores, by name; None is the engine's own centroid.
SCORERS: dict[str, Scorer | None] = {"lexrank": lexrank, "textrank": textrank, "centroid": None}
