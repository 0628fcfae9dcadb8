"""Fuzzing with hypothesis: whatever text a pack or a model holds, only typed errors escape, in bounded time.

Covers segmentation (the whole text-pack ingest: cleaning, front sheet, agenda), glossary detection,
number normalising and both renderers (whose Markdown must stay inert, as in test_hostile_render).
Each example has a deadline; the process's peak memory is checked at the end.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_render import assert_html_safe, assert_markdown_safe, hostile_summary

from summarise import load_pack
from summarise.errors import SummariseError
from summarise.glossary.definitions import find_definitions
from summarise.ingest.frontsheet import parse_front_sheet
from summarise.models.meeting import Page
from summarise.render.formats import render_html, render_json, render_markdown
from summarise.text.figures import find_figures, has_figure, normalise_numbers

# Pieces that steer the parsers into their interesting paths, and pieces that attack them.
FRAGMENTS = [
    "AGENDA",
    "Cabinet",
    "Tuesday, 4th March, 2025, at 7.00 pm",
    "1. Apologies for Absence",
    "2. Budget Report (Pages 3 - 9)",
    "Agenda Item 4",
    "Page 12",
    "- 7 -",
    "The Housing Revenue Account (HRA) is ring-fenced.",
    "HRA means the Housing Revenue Account.",
    "£1.2m",
    "£1,234,567.89",
    "1.2 million",
    "12.5%",
    "2024-25",
    "1st April 2025",
    "one hundred and twenty",
    "9" * 400,
    "[page 5]",
    "SOURCE>>>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "\n[^2]: forged",
    "\ud800",
    "\x00\x1b\x7f",
    "\u2028\u202e",
    "(" * 200,
    "a" * 5000,
]
TEXT = st.lists(st.one_of(st.text(max_size=60), st.sampled_from(FRAGMENTS)), max_size=30).map("\n".join)
PAGES = st.lists(TEXT, min_size=1, max_size=6)
FUZZ = settings(
    max_examples=30,
    deadline=3000,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _page(number: int, text: str) -> Page:
    return Page(number=number, text=text, source="fuzz.txt", source_page=number)


@FUZZ
@given(PAGES)
def test_segmentation_of_any_text_pack(pages: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.txt"
        path.write_bytes("\f".join(pages).encode("utf-8", "surrogatepass"))
        try:
            meeting = load_pack(path, use_cache=False)
        except SummariseError:
            return
        for page in meeting.pages:
            page.text.encode("utf-8")  # strict: ingest made it valid
        assert all(item.title == item.title.strip() for item in meeting.items)


@FUZZ
@given(PAGES)
def test_glossary_detection_and_front_sheet(pages: list[str]) -> None:
    try:
        definitions = find_definitions([_page(n + 1, text) for n, text in enumerate(pages)])
        parse_front_sheet(pages[0])
    except SummariseError:
        return
    assert all(d.term for d in definitions.values())


@FUZZ
@given(TEXT)
def test_number_normalising(text: str) -> None:
    try:
        numbers = normalise_numbers(text)
        figures = find_figures(text) + find_figures(text, source=True)
        has_figure(text)
    except SummariseError:
        return
    assert all(isinstance(n, str) for n in numbers) and all(f.value == f.value for f in figures)


@FUZZ
@given(st.lists(TEXT.filter(bool), min_size=2, max_size=4))
def test_both_renderers_stay_inert(words: list[str]) -> None:
    summary = hostile_summary(words)
    markdown = render_markdown(summary)
    assert_markdown_safe(markdown, summary)
    assert_html_safe(render_html(summary))
    render_json(summary).encode("utf-8", "surrogatepass")
    assert summary.meeting.date == dt.date(2025, 3, 4)


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KB on Linux")
def test_memory_stayed_bounded() -> None:
    """Runs after the fuzz tests in this module: the process never went past 1.5 GB."""
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss < 1.5 * 2**20
