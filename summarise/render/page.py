"""The HTML rendering: a standalone page, or the fragment Jupyter shows (``_repr_html_``).

Readable in light and dark themes: the article sets its own foreground *and* background from CSS
variables, switched by ``prefers-color-scheme`` and by the theme markers JupyterLab
(``data-jp-theme-light``) and VS Code (``vscode-dark``) put on the page. Every page citation links
to ``FILE.pdf#page=N``: the file the pack page came from and that file's own page number. Ids carry
a short prefix made from the summary, so two summaries shown in one notebook do not collide.
All pack and model text is escaped; the only live markup is the renderer's own.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from summarise.models.summary import KeyPoint, MeetingSummary
from summarise.render.findings import findings_html, item_findings_html, listed
from summarise.render.text import (
    citations,
    colophon,
    fallback_note,
    heading,
    item_heading,
    pdf_links_in,
    presenter,
    title,
)
from summarise.text.vocab import FOOTNOTE_MARKER

TOC_AFTER = 5  # a table of contents for meetings with more items than this

KIND_LABEL = {"figure": "Figure", "recommendation": "Recommendation", "decision": "Decision"}

# Contrast (WCAG) of every text colour on its background is at least 4.5 in both palettes;
# tests/test_render_browser.py measures it in Chromium.
_LIGHT = (
    "--s-fg:#1a1a1a;--s-bg:#ffffff;--s-muted:#555555;--s-link:#0b57d0;--s-rule:#cccccc;"
    "--s-fig-fg:#0b3d91;--s-fig-bg:#e8f0fe;--s-rec-fg:#7a4100;--s-rec-bg:#fff1d6;"
    "--s-dec-fg:#135c2a;--s-dec-bg:#e3f4e8;--s-warn:#a15c00;--s-err:#b3261e"
)
_DARK = (
    "--s-fg:#e6e6e6;--s-bg:#1e1e1e;--s-muted:#b4b4b4;--s-link:#8ab4f8;--s-rule:#555555;"
    "--s-fig-fg:#cfe0ff;--s-fig-bg:#1b2d4d;--s-rec-fg:#ffd99a;--s-rec-bg:#3d2a05;"
    "--s-dec-fg:#b9efc8;--s-dec-bg:#153d22;--s-warn:#ffb74d;--s-err:#ff8a80"
)
_CSS = f"""
.summarise{{color-scheme:light dark;{_LIGHT}}}
@media (prefers-color-scheme:dark){{.summarise{{{_DARK}}}}}
[data-jp-theme-light="false"] .summarise,.vscode-dark .summarise,
.vscode-high-contrast:not(.vscode-high-contrast-light) .summarise{{color-scheme:dark;{_DARK}}}
[data-jp-theme-light="true"] .summarise,.vscode-light .summarise{{color-scheme:light;{_LIGHT}}}
.summarise{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;max-width:46rem;
margin:0 auto;padding:1rem;color:var(--s-fg);background:var(--s-bg)}}
.summarise h1{{font-size:1.5rem;margin-bottom:.2rem}}.summarise h2{{font-size:1.2rem;margin-top:1.6rem}}
.summarise a{{color:var(--s-link)}}
.summarise .meta,.summarise .presenter,.summarise .note{{color:var(--s-muted)}}
.summarise .note{{font-style:italic}}
.summarise .fallback{{border-left:3px solid var(--s-warn);padding-left:.5em}}
.summarise .pages{{color:var(--s-muted);font-size:.8em;white-space:nowrap}}
.summarise .pages a{{color:var(--s-link)}}
.summarise li.kp{{border-left:3px solid transparent;padding-left:.4em;margin:.2em 0}}
.summarise .kind{{font-size:.75em;font-weight:600;text-transform:uppercase;letter-spacing:.03em;
padding:0 .35em;margin-right:.4em;border-radius:3px}}
.summarise li.kp-figure{{border-color:var(--s-fig-fg)}}
.summarise li.kp-figure .kind{{color:var(--s-fig-fg);background:var(--s-fig-bg)}}
.summarise li.kp-recommendation{{border-color:var(--s-rec-fg)}}
.summarise li.kp-recommendation .kind{{color:var(--s-rec-fg);background:var(--s-rec-bg)}}
.summarise li.kp-decision{{border-color:var(--s-dec-fg)}}
.summarise li.kp-decision .kind{{color:var(--s-dec-fg);background:var(--s-dec-bg)}}
.summarise .item-findings{{border-left:3px solid var(--s-warn);padding-left:.5em;font-size:.9em}}
.summarise .finding.error strong{{color:var(--s-err)}}
.summarise .finding.warning strong{{color:var(--s-warn)}}
.summarise sup.fn a,.summarise .backref,.summarise .seeall{{text-decoration:none}}
.summarise .footnotes{{font-size:.9em;border-top:1px solid var(--s-rule);margin-top:2rem}}
.summarise .toc ul{{padding-left:1.2em}}
.summarise .colophon{{color:var(--s-muted);font-size:.8em;border-top:1px solid var(--s-rule);
margin-top:1.5rem;padding-top:.5rem}}
""".strip()


def summary_id(summary: MeetingSummary) -> str:
    """A short id for ``summary`` (its meeting, synopsis and creation time): the prefix of its ids."""
    made = f"{summary.meeting.model_dump()!r}|{summary.provenance.created_at.isoformat()}|{summary.synopsis}"
    return "s" + hashlib.sha256(made.encode("utf-8", "surrogatepass")).hexdigest()[:8]


class _Page:
    """One rendering: the id prefix and which footnote references have been placed."""

    def __init__(self, summary: MeetingSummary) -> None:
        self.summary = summary
        self.prefix = summary_id(summary)
        self.known = {f.number for f in summary.footnotes}
        self.referenced: set[int] = set()

    def text(self, text: str) -> str:
        escaped = html.escape(text, quote=True)

        def link(m: re.Match[str]) -> str:
            n = int(m.group(1))
            if n not in self.known:
                return m.group(0)
            ref = "" if n in self.referenced else f' id="{self.prefix}-fnref-{n}"'
            self.referenced.add(n)
            return f'<sup class="fn"{ref}><a href="#{self.prefix}-fn-{n}" aria-label="Note {n}">{n}</a></sup>'

        return FOOTNOTE_MARKER.sub(link, escaped)

    def cite(self, pages: Iterable[int]) -> str:
        """The page citation, each run of pages a link to its file at its first page."""
        parts = []
        for cited in citations(self.summary, pages):
            labels = []
            for run in cited.runs:
                label = run.label
                if run.href is not None:
                    href = html.escape(run.href, quote=True)
                    tip = html.escape(f"{run.file}, page {run.first}", quote=True)
                    label = f'<a href="{href}" title="{tip}">{label}</a>'
                labels.append(label)
            named = f"{html.escape(cited.file)} " if cited.named and cited.file else ""
            parts.append(f"{named}{cited.prefix} {', '.join(labels)}")
        return f' <span class="pages">{"; ".join(parts)}</span>' if parts else ""

    def key_point(self, point: KeyPoint) -> str:
        label = KIND_LABEL.get(point.kind)
        kind = f'<span class="kind">{html.escape(label)}</span>' if label else ""
        css = html.escape(point.kind, quote=True)
        return f'<li class="kp kp-{css}">{kind}{self.text(point.text)}{self.cite(point.pages)}</li>'


def _toc(summary: MeetingSummary, prefix: str) -> list[str]:
    if len(summary.items) <= TOC_AFTER:
        return []
    e = html.escape
    out = [f'<section class="toc" id="{prefix}-toc" aria-label="Contents">', "<h2>Contents</h2>", "<ul>"]
    for position, item in enumerate(summary.items, 1):
        out.append(f'<li><a href="#{prefix}-item-{position}">{e(item_heading(item))}</a></li>')
    if listed(summary):
        out.append(f'<li><a href="#{prefix}-checks">Checks</a></li>')
    return [*out, "</ul>", "</section>"]


def _colophon(summary: MeetingSummary, prefix: str) -> str:
    text = html.escape(colophon(summary))
    if listed(summary):
        text += f' <a href="#{prefix}-checks">See the checks.</a>'
    return f'<p class="colophon">{text}</p>'


def render_html(summary: MeetingSummary, standalone: bool = True, *, pdf_folder: str | None = None) -> str:
    """HTML; ``standalone`` gives a whole document, otherwise a fragment (for Jupyter).
    ``pdf_folder``: where the PDFs are, relative to the page (its page links point into it)."""
    with pdf_links_in(pdf_folder):
        return _html(summary, standalone)


def _html(summary: MeetingSummary, standalone: bool) -> str:
    page = _Page(summary)
    p = page.prefix
    e = html.escape
    body: list[str] = [f'<article class="summarise" id="{p}">', f"<h1>{e(heading(summary))}</h1>"]
    meta = [m for m in (title(summary), summary.meeting.venue) if m]
    if meta:
        body.append(f'<p class="meta">{e(" · ".join(meta))}</p>')
    body += _toc(summary, p)
    body += ["<h2>Summary</h2>", f"<p>{page.text(summary.synopsis)}</p>"]
    for position, item in enumerate(summary.items, 1):
        body.append(f'<section class="item" id="{p}-item-{position}">')
        span = range(item.start_page, (item.end_page or item.start_page) + 1) if item.start_page else []
        body.append(f"<h2>{e(item_heading(item))}{page.cite(span)}</h2>")
        if presenter(item):
            body.append(f'<p class="presenter">{e(presenter(item))}</p>')
        if item.fallback_reason:
            body.append(f'<p class="fallback">{e(fallback_note(item))}</p>')
        if item.note:
            body.append(f'<p class="note">{e(item.note)}</p>')
        for paragraph in item.paragraphs:
            body.append(f"<p>{page.text(paragraph.text)}{page.cite(paragraph.pages)}</p>")
        if item.key_points:
            body += ["<ul>", *(page.key_point(point) for point in item.key_points), "</ul>"]
        body += item_findings_html(summary, position, p)
        body.append("</section>")
    if summary.footnotes:
        body += ['<section class="footnotes">', "<h2>Notes</h2>", "<ol>"]
        for note in summary.footnotes:
            origin = " <em>(suggested by the model)</em>" if note.origin == "model" else ""
            back = (
                f' <a href="#{p}-fnref-{note.number}" class="backref" aria-label="Back to text">↩</a>'
                if note.number in page.referenced
                else ""
            )
            body.append(
                f'<li id="{p}-fn-{note.number}" value="{note.number}"><strong>{e(note.term)}</strong>: '
                f"{e(note.definition)}{page.cite(note.pages)}{origin}{back}</li>"
            )
        body += ["</ol>", "</section>"]
    body += findings_html(summary, p)
    body.append(_colophon(summary, p))
    body.append("</article>")
    article = "\n".join(body)
    if not standalone:
        return f"<style>{_CSS}</style>\n{article}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{e(heading(summary))}</title>\n<style>{_CSS}\nbody{{margin:0;background:Canvas}}</style>\n"
        f"</head>\n<body>\n{article}\n</body>\n</html>\n"
    )


__all__ = ["render_html", "summary_id"]
