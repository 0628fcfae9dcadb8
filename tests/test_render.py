"""Markdown, HTML and JSON renderings: layout, footnote links and escaping."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_extractive import make_meeting

from summarise.engines.extractive import summarise_meeting
from summarise.models.summary import MeetingSummary, Paragraph
from summarise.render.formats import page_label, render_html, render_json, render_markdown
from summarise.render.page import summary_id


@pytest.fixture(scope="module")
def summary() -> MeetingSummary:
    return summarise_meeting(make_meeting())


class _Collect(HTMLParser):
    """Ids, hrefs, tag balance and text of an HTML document."""

    VOID = frozenset({"meta", "br", "hr", "img", "link", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.sup_links: list[str] = []
        self._in_sup = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
            if self._in_sup:
                self.sup_links.append(str(a["href"]))
        if tag == "sup":
            self._in_sup = True
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "sup":
            self._in_sup = False
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> with open {self.stack[-3:]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(document: str) -> _Collect:
    parser = _Collect()
    parser.feed(document)
    parser.close()
    assert not parser.errors, parser.errors
    assert parser.stack == [], parser.stack
    return parser


def test_page_label() -> None:
    assert page_label([]) == ""
    assert page_label([12]) == "p. 12"
    assert page_label([14, 12, 13, 20]) == "pp. 12–14, 20"


def test_html_parses_and_every_footnote_link_resolves_both_ways(summary: MeetingSummary) -> None:
    assert summary.footnotes, "the sample pack defines terms"
    doc = parse(render_html(summary))
    assert len(doc.ids) == len(set(doc.ids))
    ids = set(doc.ids)
    p = summary_id(summary)
    for href in doc.hrefs:
        assert (href.startswith("#") and href[1:] in ids) or re.fullmatch(r"pack\.pdf#page=\d+", href), href
    n = len(summary.footnotes)
    assert doc.sup_links == [f"#{p}-fn-{i}" for i in range(1, n + 1)]  # superscripts in reading order
    for i in range(1, n + 1):
        assert f"{p}-fn-{i}" in ids and f"{p}-fnref-{i}" in ids
        assert f"#{p}-fnref-{i}" in doc.hrefs  # the back-link


def test_html_layout(summary: MeetingSummary) -> None:
    html = render_html(summary)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    doc = parse(html)
    text = " ".join(doc.text)
    assert "Cabinet – Thursday 6 March 2025, 10.00 am" in text
    assert "Summary" in text and summary.synopsis.split("[^")[0] in text
    for item in summary.items:
        assert f"{item.number}. {item.title}" in text
    assert "Presented by Jane Smith, Cabinet Member for Highways and Transport" in text
    assert "No papers were published for this item." in text
    assert re.search(r'pp\. <a href="pack\.pdf#page=2" title="pack\.pdf, page 2">2–4</a>', html)  # cited
    assert "↩" in text


def test_fragment_for_notebooks(summary: MeetingSummary) -> None:
    fragment = render_html(summary, standalone=False)
    assert "<html" not in fragment and "<!DOCTYPE" not in fragment
    parse(fragment)
    assert summary._repr_html_() == fragment


def test_all_text_is_escaped(summary: MeetingSummary) -> None:
    nasty = summary.model_copy(deep=True)
    nasty.items[2].paragraphs.append(Paragraph(text='<script>alert("x")</script> & [^99]', pages=[2]))
    nasty.items[2].title = "Roads <b>& bridges</b>"
    html = render_html(nasty)
    assert "<script>" not in html and "<b>&" not in html
    assert "&lt;script&gt;" in html and "Roads &lt;b&gt;&amp; bridges" in html
    assert "fn-99" not in html  # a marker with no footnote is not linked
    parse(html)


def test_markdown_layout_and_footnotes(summary: MeetingSummary) -> None:
    md = render_markdown(summary)
    assert md.startswith("# Cabinet – Thursday 6 March 2025, 10.00 am\n")
    assert "\n## Summary\n" in md
    headings = re.findall(r"^## (.+)$", md, re.M)
    assert headings == ["Summary", *[f"{i.number}. {i.title}" for i in summary.items]]
    used = re.findall(r"\[\^(\d+)\](?!:)", md)
    defined = re.findall(r"^\[\^(\d+)\]: ", md, re.M)
    assert used == defined == [str(i) for i in range(1, len(summary.footnotes) + 1)]
    for note in summary.footnotes:
        assert f"[^{note.number}]: **{note.term}**: {note.definition}" in md
    assert re.search(r"^- .+ _\(pp?\. \[\d+(–\d+)?\]\([^)]+#page=\d+\)", md, re.M)  # linked pages


def test_json_round_trip(summary: MeetingSummary) -> None:
    data = render_json(summary)
    assert MeetingSummary.from_json(data) == summary
    assert render_json(MeetingSummary.from_json(data)) == data
