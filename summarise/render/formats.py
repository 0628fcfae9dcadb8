"""Markdown, HTML and JSON renderings of a :class:`~summarise.models.summary.MeetingSummary`.

Layout (as the Open Council Network summaries): a heading with body, date and
time; "Summary" with the synopsis; a section per item with its presenter,
paragraphs and bullet key points; numbered footnotes at the end. Footnote
markers ``[^N]`` in the text become superscript links to ``#fn-N`` and each
footnote links back to ``#fnref-N``. Page citations stay small.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any

from summarise.models.summary import DISPLAY, Cited, ItemSummary, MeetingSummary, Person
from summarise.render.findings import findings_html, findings_markdown
from summarise.render.mdescape import md_text
from summarise.text.vocab import FOOTNOTE_MARKER

_CSS = """
.summarise{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;max-width:46rem;
margin:0 auto;padding:1rem;color:#1a1a1a}
.summarise h1{font-size:1.5rem;margin-bottom:.2rem}.summarise h2{font-size:1.2rem;margin-top:1.6rem}
.summarise .meta,.summarise .presenter{color:#555}.summarise .note{color:#555;font-style:italic}
.summarise .fallback{border-left:3px solid #c90;padding-left:.5em}
.summarise .pages{color:#777;font-size:.75em;white-space:nowrap}
.summarise sup.fn a{text-decoration:none}.summarise .footnotes{font-size:.9em;border-top:1px solid #ccc;
margin-top:2rem}.summarise .backref{text-decoration:none}
.summarise .colophon{color:#777;font-size:.8em;border-top:1px solid #eee;margin-top:1.5rem;padding-top:.5rem}
""".strip()


def page_label(pages: Sequence[int]) -> str:
    """[12] -> 'p. 12'; [12, 13, 14, 20] -> 'pp. 12–14, 20'; [] -> ''."""
    numbers = sorted(set(pages))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    prefix = "p." if len(numbers) == 1 else "pp."
    return f"{prefix} {', '.join(parts)}"


def _when(summary: MeetingSummary) -> str:
    info = summary.meeting
    parts = []
    if info.date:
        parts.append(f"{info.date.strftime('%A')} {info.date.day} {info.date.strftime('%B %Y')}")
    if info.time:
        parts.append(info.time)
    return ", ".join(parts)


def _heading(summary: MeetingSummary) -> str:
    info = summary.meeting
    name = info.body or info.title or "Meeting"
    when = _when(summary)
    return f"{name} – {when}" if when else name


def _title(summary: MeetingSummary) -> str | None:
    """The meeting title when it says more than the body's name."""
    info = summary.meeting
    if not info.title or (info.body and info.title.lower().startswith(info.body.lower())):
        return None
    return info.title


def _item_heading(item: ItemSummary) -> str:
    return f"{item.number}. {item.title}" if item.number else item.title


def _presenter(item: ItemSummary) -> str:
    """Everyone presenting (all names on a report's From: line), or the one presenter of old output;
    proposers and seconders are named in the key points that state their motion."""
    people = [p for p in item.people if p.part == "presenter"]
    if not people and item.presenter:
        people = [Person(name=item.presenter.name, role=item.presenter.role)]
    line = "; ".join(f"{p.name}, {p.role}" if p.role else p.name for p in people)
    asked = [f"{p.name} ({p.part})" for p in item.people if p.part in {"questioner", "answerer"}]
    parts = ([f"Presented by {line}"] if line else []) + ([", ".join(asked)] if asked else [])
    return " · ".join(parts)


# --------------------------------------------------------------------------- Markdown


def _md_cited(cited: Cited, known: set[int]) -> str:
    label = page_label(cited.pages)
    text = md_text(cited.text, known)
    return f"{text} _({label})_" if label else text


def colophon(summary: MeetingSummary) -> str:
    """How the summary was made, what it cost and what the checks found: shown under every rendering."""
    made = summary.provenance
    engine = f"the {made.engine} engine" + (
        f" ({made.model})" if made.model and made.engine != "extractive" else ""
    )
    usage = summary.usage
    cost = (
        f"{usage.calls} model calls ({usage.cached_calls} from cache), "
        f"{usage.input_tokens:,} + {usage.output_tokens:,} tokens, est. ${usage.estimated_cost_usd:.4f}"
        if usage.calls or usage.cached_calls
        else "no model calls"
    )
    check = summary.verification
    errors = sum(f.severity == "error" for f in check.findings)
    warnings = sum(f.severity == "warning" for f in check.findings)
    checked = f"{check.checked} claims checked against the pages: {errors} unsupported, {warnings} to review"
    return f"Made by summarise {made.library_version} with {engine}; {cost}; {checked}."


def fallback_note(item: ItemSummary) -> str:
    """The line that says an item was written by the offline engine because the model failed."""
    engine = item.engine or "offline"
    why = item.fallback_reason
    return f"Written by the {engine} engine from the papers' own sentences: the model failed ({why})."


def render_markdown(summary: MeetingSummary) -> str:
    """Markdown with standard ``[^N]`` footnotes defined at the end.

    All source and model text goes through :func:`md_text`: the only live markup is the renderer's
    own (headings, emphasis, list items and the footnotes the summary defines).
    """
    known = {f.number for f in summary.footnotes}
    out = [f"# {md_text(_heading(summary), line_start=False)}", ""]
    info = summary.meeting
    meta = [m for m in (_title(summary), info.venue) if m]
    if meta:
        out += [md_text(" · ".join(meta)), ""]
    out += ["## Summary", "", md_text(summary.synopsis, known), ""]
    for item in summary.items:
        out += [f"## {md_text(_item_heading(item), line_start=False)}", ""]
        head = [h for h in (_presenter(item), _item_pages_label(item)) if h]
        if head:
            out += [f"_{md_text(' · '.join(head), line_start=False)}_", ""]
        if item.fallback_reason:
            out += [f"> {md_text(fallback_note(item))}", ""]
        if item.note:
            out += [f"_{md_text(item.note, line_start=False)}_", ""]
        for paragraph in item.paragraphs:
            out += [_md_cited(paragraph, known), ""]
        if item.key_points:
            out += [f"- {_md_cited(point, known)}" for point in item.key_points] + [""]
    if summary.footnotes:
        for note in summary.footnotes:
            label = page_label(note.pages)
            where = f" ({label})" if label else ""
            origin = " (suggested by the model)" if note.origin == "model" else ""
            term = md_text(note.term, line_start=False)
            definition = md_text(note.definition, line_start=False)
            out.append(f"[^{note.number}]: **{term}**: {definition}{where}{origin}")
        out.append("")
    out += findings_markdown(summary)
    out += ["---", "", f"_{md_text(colophon(summary), line_start=False)}_", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------- HTML


def _html_text(text: str, known: set[int]) -> str:
    escaped = html.escape(text, quote=True)

    def link(m: re.Match[str]) -> str:
        n = int(m.group(1))
        if n not in known:
            return m.group(0)
        return f'<sup class="fn" id="fnref-{n}"><a href="#fn-{n}" aria-label="Note {n}">{n}</a></sup>'

    return FOOTNOTE_MARKER.sub(link, escaped)


def _html_pages(pages: Sequence[int]) -> str:
    label = page_label(pages)
    return f' <span class="pages">{html.escape(label)}</span>' if label else ""


def _item_pages_label(item: ItemSummary) -> str:
    if item.start_page is None:
        return ""
    end = item.end_page if item.end_page is not None else item.start_page
    return page_label(range(item.start_page, end + 1))


def render_html(summary: MeetingSummary, standalone: bool = True) -> str:
    """HTML; ``standalone`` gives a whole document, otherwise a fragment (for Jupyter)."""
    known = {f.number for f in summary.footnotes}
    e = html.escape
    body: list[str] = ['<article class="summarise">', f"<h1>{e(_heading(summary))}</h1>"]
    info = summary.meeting
    meta = [m for m in (_title(summary), info.venue) if m]
    if meta:
        body.append(f'<p class="meta">{e(" · ".join(meta))}</p>')
    body += ["<h2>Summary</h2>", f"<p>{_html_text(summary.synopsis, known)}</p>"]
    for index, item in enumerate(summary.items):
        body.append(f'<section class="item" id="item-{index + 1}">')
        pages = _item_pages_label(item)
        pages_html = f' <span class="pages">{e(pages)}</span>' if pages else ""
        body.append(f"<h2>{e(_item_heading(item))}{pages_html}</h2>")
        if _presenter(item):
            body.append(f'<p class="presenter">{e(_presenter(item))}</p>')
        if item.fallback_reason:
            body.append(f'<p class="fallback">{e(fallback_note(item))}</p>')
        if item.note:
            body.append(f'<p class="note">{e(item.note)}</p>')
        for paragraph in item.paragraphs:
            body.append(f"<p>{_html_text(paragraph.text, known)}{_html_pages(paragraph.pages)}</p>")
        if item.key_points:
            body.append("<ul>")
            for point in item.key_points:
                text = _html_text(point.text, known)
                body.append(f'<li class="{e(point.kind)}">{text}{_html_pages(point.pages)}</li>')
            body.append("</ul>")
        body.append("</section>")
    if summary.footnotes:
        body += ['<section class="footnotes">', "<h2>Notes</h2>", "<ol>"]
        for note in summary.footnotes:
            origin = " <em>(suggested by the model)</em>" if note.origin == "model" else ""
            body.append(
                f'<li id="fn-{note.number}" value="{note.number}"><strong>{e(note.term)}</strong>: '
                f"{e(note.definition)}{_html_pages(note.pages)}{origin} "
                f'<a href="#fnref-{note.number}" class="backref" aria-label="Back to text">↩</a></li>'
            )
        body += ["</ol>", "</section>"]
    body += findings_html(summary)
    body.append(f'<p class="colophon">{e(colophon(summary))}</p>')
    body.append("</article>")
    article = "\n".join(body)
    if not standalone:
        return f"<style>{_CSS}</style>\n{article}"
    title = e(_heading(summary))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{article}\n</body>\n</html>\n"
    )


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
