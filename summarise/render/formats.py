"""Markdown and JSON renderings of a :class:`~summarise.models.summary.MeetingSummary` (HTML is
:mod:`summarise.render.page`, re-exported here).

Layout (as the Open Council Network summaries): a heading with body, date and
time; "Summary" with the synopsis; a section per item with its presenter,
paragraphs and bullet key points; numbered footnotes at the end, as standard ``[^N]`` footnotes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Literal

from summarise.models.summary import DISPLAY, Cited, ItemSummary, MeetingSummary
from summarise.render.findings import findings_markdown
from summarise.render.mdescape import md_text
from summarise.render.page import render_html
from summarise.render.text import (
    citations,
    colophon,
    fallback_note,
    heading,
    item_heading,
    page_label,
    pdf_links_in,
    presenter,
    title,
)

__all__ = [
    "OutputFormat",
    "colophon",
    "fallback_note",
    "page_label",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
]


# --------------------------------------------------------------------------- Markdown


def md_pages(summary: MeetingSummary, pages: Iterable[int]) -> str:
    """ "p. [9](pack.pdf#page=9)": each run of cited pages a link to its file at that file's own page.

    The renderer's only links: the destination is the percent-encoded file name and a page number,
    the text a page number; a file name shown beside them (several files) is escaped text.
    """
    parts = []
    for cited in citations(summary, pages):
        labels = [f"[{run.label}]({run.href})" if run.href else run.label for run in cited.runs]
        named = f"{md_text(cited.file, line_start=False)} " if cited.named and cited.file else ""
        parts.append(f"{named}{cited.prefix} {', '.join(labels)}")
    return "; ".join(parts)


def _md_cited(summary: MeetingSummary, cited: Cited, known: set[int]) -> str:
    label = md_pages(summary, cited.pages)
    text = md_text(cited.text, known)
    return f"{text} _({label})_" if label else text


def _item_pages(item: ItemSummary) -> range:
    if item.start_page is None:
        return range(0)
    return range(item.start_page, (item.end_page or item.start_page) + 1)


def render_markdown(summary: MeetingSummary, *, pdf_folder: str | None = None) -> str:
    """Markdown with standard ``[^N]`` footnotes defined at the end.

    All source and model text goes through :func:`md_text`: the only live markup is the renderer's
    own (headings, emphasis, list items and the footnotes the summary defines). ``pdf_folder``: where
    the PDFs are, relative to where the Markdown will be read (page links point into it).
    """
    with pdf_links_in(pdf_folder):
        return _markdown(summary)


def _markdown(summary: MeetingSummary) -> str:
    known = {f.number for f in summary.footnotes}
    out = [f"# {md_text(heading(summary), line_start=False)}", ""]
    info = summary.meeting
    meta = [m for m in (title(summary), info.venue) if m]
    if meta:
        out += [md_text(" · ".join(meta)), ""]
    out += ["## Summary", "", md_text(summary.synopsis, known), ""]
    for item in summary.items:
        out += [f"## {md_text(item_heading(item), line_start=False)}", ""]
        head = [md_text(presenter(item), line_start=False)] if presenter(item) else []
        head += [pages] if (pages := md_pages(summary, _item_pages(item))) else []
        if head:
            out += [f"_{' · '.join(head)}_", ""]
        if item.fallback_reason:
            out += [f"> {md_text(fallback_note(item))}", ""]
        if item.note:
            out += [f"_{md_text(item.note, line_start=False)}_", ""]
        for paragraph in item.paragraphs:
            out += [_md_cited(summary, paragraph, known), ""]
        if item.key_points:
            out += [f"- {_md_cited(summary, point, known)}" for point in item.key_points] + [""]
    if summary.footnotes:
        for note in summary.footnotes:
            label = md_pages(summary, note.pages)
            where = f" ({label})" if label else ""
            origin = " (suggested by the model)" if note.origin == "model" else ""
            term = md_text(note.term, line_start=False)
            definition = md_text(note.definition, line_start=False)
            out.append(f"[^{note.number}]: **{term}**: {definition}{where}{origin}")
        out.append("")
    out += findings_markdown(summary)
    out += ["---", "", f"_{md_text(colophon(summary), line_start=False)}_", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- JSON


def render_json(summary: MeetingSummary) -> str:
    """The schema's JSON (``MeetingSummary.from_json`` reads it back).

    Text that is not valid Unicode (a lone surrogate from a model's ``"\\ud800"``) becomes U+FFFD.
    """
    try:
        return summary.to_json()
    except ValueError:  # pydantic's serialisation error: the text cannot be encoded
        return MeetingSummary.model_validate(_valid(summary.model_dump())).to_json()


def _valid(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, dict):
        return {_valid(k): _valid(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_valid(v) for v in value]
    return value


DISPLAY["html"] = functools.partial(render_html, standalone=False)
DISPLAY["markdown"] = render_markdown


OutputFormat = Literal["markdown", "html", "json"]


def render(summary: MeetingSummary, fmt: OutputFormat, *, pdf_folder: str | None = None) -> str:
    """``summary`` as ``fmt``; ``pdf_folder`` (Markdown and HTML): where the PDFs are, relative to
    where the output is read, for its page links."""
    if fmt == "json":
        return render_json(summary)
    if fmt == "html":
        return render_html(summary, pdf_folder=pdf_folder)
    return render_markdown(summary, pdf_folder=pdf_folder)
