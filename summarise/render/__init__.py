"""Rendering a :class:`~summarise.models.MeetingSummary`: Markdown, HTML and JSON."""

from summarise.render.files import check_output_path, pdf_folder_for, write_output
from summarise.render.formats import OutputFormat, render, render_html, render_json, render_markdown
from summarise.render.table import item_rows, to_dataframe

__all__ = [
    "OutputFormat",
    "check_output_path",
    "item_rows",
    "pdf_folder_for",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "to_dataframe",
    "write_output",
]
