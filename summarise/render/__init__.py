"""Rendering a :class:`~summarise.models.MeetingSummary`: Markdown, HTML and JSON."""

from summarise.render.files import check_output_path, write_output
from summarise.render.formats import render_html, render_json, render_markdown

__all__ = ["check_output_path", "render_html", "render_json", "render_markdown", "write_output"]
