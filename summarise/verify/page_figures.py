"""A page's figures, found once per page and sorted by kind into the values a claim is matched
against (:class:`FigureData`, kept by :class:`~summarise.verify.evidence.PageEvidence`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarise.text.figures import Figure, find_figures

_CURRENCY_HEADER = re.compile(r"(?=[£$€(])(?:(?<![\w£$€])[£$€](?!\s?[\d.])|\((?:£|\$|€|GBP|USD)\))")
_TWO_YEARS = re.compile(r"\d{4}\D+\d{4}")
_SCALE_MARKERS = (
    # each opens with a lookahead on its first characters, which makes the search skip ahead
    (
        1e3,
        re.compile(
            r"(?=[£$€0i])(?:[£$€]\s?'?000|[£$€]\s?k\b|\b000s\b|\bin thousands\b|[£$€]\s?thousands?\b)", re.I
        ),
    ),
    (1e6, re.compile(r"(?=[£$€i])(?:[£$€]\s?m\b|[£$€]\s?millions?\b|\bin millions\b)", re.I)),
    (1e9, re.compile(r"(?=[£$€i])(?:[£$€]\s?bn\b|[£$€]\s?billions?\b|\bin billions\b)", re.I)),
)


@dataclass(frozen=True)
class FigureData:
    """A page's figures and the values they give, by kind."""

    figures: tuple[Figure, ...]
    scales: tuple[float, ...]
    any_values: list[float]
    money_values: list[float]
    pct_values: list[float]
    years: frozenset[int]
    ranges: frozenset[tuple[int, int]]
    dates: frozenset[tuple[int, int, int]]
    months: frozenset[tuple[int, int]]
    times: frozenset[tuple[int, int]]


def figure_data(text: str) -> FigureData:
    figures = find_figures(text, source=True)
    money: list[float] = []
    pct: list[float] = []
    years: set[int] = set()
    ranges: set[tuple[int, int]] = set()
    dates: set[tuple[int, int, int]] = set()
    months: set[tuple[int, int]] = set()
    times: set[tuple[int, int]] = set()
    scales = [scale for scale, rx in _SCALE_MARKERS if rx.search(text)]
    for f in figures:
        if f.kind in ("money", "count"):
            money.append(f.value)
        elif f.kind == "percent":
            pct.append(f.value)
        elif f.kind == "year":
            years.add(int(f.value))
        elif f.kind == "range":
            a, b = f.key
            ranges.add((a, b))
            # "2025 to 2028" names both years; "2025-26" is a year starting in 2025
            years.update((a, b) if _TWO_YEARS.search(f.raw) else (a,))
        elif f.kind == "date":
            d, m, y = f.key
            if f.raw[0].isdigit() and ("/" in f.raw or "." in f.raw):
                for dd, mm in ((d, m), (m, d)):
                    if 1 <= mm <= 12 and 1 <= dd <= 31:
                        dates.add((dd, mm, y))
                        months.add((mm, y))
            else:
                dates.add((d, m, y))
                if y:
                    months.add((m, y))
            if y:
                years.add(y)
        elif f.kind == "month":
            months.add((f.key[0], f.key[1]))
            years.add(f.key[1])
        elif f.kind == "time":
            times.add((f.key[0], f.key[1]))
    anyv = sorted({*money, *(float(y) for y in years)})  # a count is not a percentage
    if not _CURRENCY_HEADER.search(text):
        # a bare number supports a sum of money only under a currency heading, or with a scale
        # word of its own ("500k", "1.2 million")
        money = [f.value for f in figures if f.kind == "money" or (f.kind == "count" and f.unit >= 1000)]
    for f in figures:
        if f.kind == "count":
            money.extend(f.value * scale for scale in scales)  # tables headed "£m", "£000"
    return FigureData(
        figures=tuple(figures),
        scales=tuple(scales),
        any_values=anyv,
        money_values=sorted(set(money)),
        pct_values=sorted(set(pct)),
        years=frozenset(years),
        ranges=frozenset(ranges),
        dates=frozenset(dates),
        months=frozenset(months),
        times=frozenset(times),
    )
