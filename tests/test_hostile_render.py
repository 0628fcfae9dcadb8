"""Hostile pack and model text cannot inject markup into the Markdown or HTML renderings.

Each rendering is read back as a publisher would: Markdown through markdown-it-py (CommonMark with
raw HTML on, plus footnotes, tables and strikethrough), then the HTML it makes through an HTML
parser. Only the renderer's own markup may be live: its headings, emphasis, lists and the footnotes
the summary defines. The hostile strings must still be there, as visible text.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from pdfgen import FRONT_SHEET, write_pdf

import summarise
from summarise.models.meeting import MeetingInfo
from summarise.models.summary import (
    Footnote,
    ItemSummary,
    KeyPoint,
    MeetingSummary,
    Paragraph,
    Presenter,
    Provenance,
    SourceFile,
)
from summarise.render.formats import render_html, render_markdown
from summarise.testing import FakeOpenAIServer

# One line each: what an attacker could put in a petition, a question or a model's answer.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[click](javascript:alert(3))",
    "![pic](javascript:alert(4))",
    "<javascript:alert(5)>",
    "<https://evil.example/autolink>",
    "&lt;script&gt;alert(6)&lt;/script&gt; &#60;b&#62;",
    "text\n[^2]: a footnote the summary did not make",
    "text\n# A forged heading",
    "text\r\n## Forged with CRLF",
    "text\u2028# Forged after a line separator",
    "Forged setext\n=====",
    "[ref]: javascript:alert(7)\n\n[ref]",
    "    indented code\n\n<div onclick=alert(8)>block</div>",
    "<!-- a comment --> `code` **bold** _em_ ~~gone~~",
    "1. a list\n- another\n> quoted\n+ plus",
    "| a | b |\n|---|---|\n| c | d |",
    "an unknown marker [^99] and a backslash \\<script>alert(9)</script>",
    "[^1]: redefining the real footnote",
]
# What must stay visible as text after rendering (the raw strings, give or take whitespace).
VISIBLE = ["<script>alert(1)</script>", "[click](javascript:alert(3))", "<javascript:alert(5)>", "[^99]"]

OWN_LINK = re.compile(
    r"#fn.*|#s[0-9a-f]{8}(-(fn|fnref|item|check|finding)-\d+|-checks|-toc)?|[\w.~%-]+#page=\d+"
)
PDF_PAGE_LINK = re.compile(r"[\w.~%-]+#page=\d+")
PAGE_NUMBERS = re.compile(r"\d+(–\d+)?")
PAGE_TAGS = {"html", "head", "body", "meta", "title", "style", "article", "span"}
ALLOWED_TAGS = {"h1", "h2", "p", "em", "strong", "ul", "li", "ol", "blockquote", "hr", "sup", "a", "section"}


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_html(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def hostile_summary(words: list[str]) -> MeetingSummary:
    """Every text field of a summary filled with hostile text; footnote 1 is the only real one."""
    text = " ".join(words)
    items = [
        ItemSummary(
            number=str(i + 1),
            title=word,
            start_page=1,
            end_page=2,
            presenter=Presenter(name=word, role=word),
            note=word,
            paragraphs=[Paragraph(text=f"{word} uses HRA[^1].", pages=[1])],
            key_points=[KeyPoint(text=word, pages=[2]), KeyPoint(text=f"{word}[^1]", pages=[])],
            engine="extractive",
            fallback_reason=word,
        )
        for i, word in enumerate(words)
    ]
    return MeetingSummary(
        meeting=MeetingInfo(body=text, title=words[-1], date=dt.date(2025, 3, 4), time=words[0], venue=text),
        synopsis=text,
        items=items,
        footnotes=[Footnote(number=1, term=words[0], definition=text, pages=[1])],
        # Hostile file names: citations link to them, and the links must stay the renderer's own.
        source_files=[
            SourceFile(file=f"{words[0]}.pdf", first_page=1, pages=1),
            SourceFile(file=words[-1], first_page=2, pages=5),
        ],
        provenance=Provenance(
            engine="llm",
            model=words[1],
            library_version="0",
            created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        ),
    )


def assert_markdown_safe(markdown: str, summary: MeetingSummary) -> None:
    md = _md()
    env: dict[str, Any] = {}
    tokens = md.parse(markdown, env)
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    kinds = {t.type for t in flat}
    live = {"html_block", "html_inline", "image", "code_block", "code_inline", "fence"}
    assert not kinds & live, kinds
    # Links: only the renderer's page citations, a page number linking to FILE#page=N.
    for inline in (tok for tok in tokens if tok.children):
        children = inline.children or []
        for k, token in enumerate(children):
            if token.type == "link_open":
                href = str(token.attrs.get("href", ""))
                assert PDF_PAGE_LINK.fullmatch(href), href
                assert children[k + 1].type == "text" and PAGE_NUMBERS.fullmatch(children[k + 1].content)
                assert children[k + 2].type == "link_close"
    assert not kinds & {"table_open", "s_open"}
    # Headings: the meeting, "Summary", one per item; nothing else.
    headings = [t.tag for t in flat if t.type == "heading_open"]
    assert headings == ["h1", "h2"] + ["h2"] * len(summary.items)
    # Footnotes: exactly those the summary defines, each defined once.
    defined = [t.meta["label"] for t in flat if t.type == "footnote_open"]
    assert sorted(defined) == sorted(str(f.number) for f in summary.footnotes)
    refs = {t.meta["label"] for t in flat if t.type == "footnote_ref"}
    assert refs <= {str(f.number) for f in summary.footnotes}
    # Only block quotes the renderer makes (the fallback notes).
    quotes = sum(t.type == "blockquote_open" for t in flat)
    assert quotes == sum(bool(i.fallback_reason) for i in summary.items)
    assert_html_safe(md.render(markdown))


def assert_html_safe(html: str) -> None:
    parsed = _parse_html(html)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS | PAGE_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        href = attrs.get("href")
        if tag == "a":  # footnotes, the renderer's own (prefixed) anchors, or a PDF at a page
            assert href is not None and OWN_LINK.fullmatch(href), href
    assert "javascript:" not in " ".join(str(a.get("href", "")) for _, a in parsed.tags)


def test_hostile_fields_render_as_text_in_markdown() -> None:
    summary = hostile_summary(HOSTILE)
    markdown = render_markdown(summary)
    assert_markdown_safe(markdown, summary)
    assert len(set(re.findall(r"\]\(([^)]*#page=1)\)", markdown))) == 2  # both hostile file names, linked
    visible = " ".join(_parse_html(_md().render(markdown)).text)
    for raw in VISIBLE:
        assert raw in visible, raw


@pytest.mark.parametrize("word", HOSTILE)
def test_each_hostile_string_alone_is_inert(word: str) -> None:
    summary = hostile_summary([word, word])
    assert_markdown_safe(render_markdown(summary), summary)
    assert_html_safe(render_html(summary))


def test_hostile_fields_render_as_text_in_html() -> None:
    html = render_html(hostile_summary(HOSTILE))
    assert_html_safe(html)
    visible = " ".join(_parse_html(html).text)
    for raw in VISIBLE:
        assert raw in visible, raw


PDF_HOSTILE = [h for h in HOSTILE if "\u2028" not in h]


@pytest.fixture(scope="module")
def hostile_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A pack whose agenda titles and report text are hostile (one PDF line per source line)."""
    title = "2. <script>alert(1)</script> Report (Pages 1 - 2)"
    front = [*FRONT_SHEET[:8], "1. Apologies for Absence", title]
    report = ["<script>alert(1)</script> Report", ""]
    for word in PDF_HOSTILE:
        for line in word.replace("\r", "").split("\n"):
            report.append(f"The council noted {line} at a cost of 5 million pounds." if line.strip() else "")
    return write_pdf(tmp_path_factory.mktemp("hostile") / "hostile.pdf", [front, report, report[2:]])


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_hostile_pack_through_each_engine(hostile_pack: Path, tmp_path: Path, engine: str) -> None:
    """Source text the offline engine copies, and a model (the fake server) echoes, stays inert."""
    with FakeOpenAIServer() as server:
        summary = summarise.summarise_pack(
            hostile_pack, engine=engine, base_url=server.base_url, cache_dir=tmp_path, max_retries=0
        )
    markdown = render_markdown(summary)
    assert "alert(" in markdown  # the hostile text did reach the summary...
    assert_markdown_safe(markdown, summary)  # ...and renders as text
    assert_html_safe(render_html(summary))
