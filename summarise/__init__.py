"""summarise: trustworthy summaries of council meeting report packs.

>>> import summarise
>>> meeting = summarise.load_pack("examples/sample-pack.pdf")  # doctest: +SKIP
>>> summary = summarise.summarise_pack("examples/sample-pack.pdf", engine="extractive")  # doctest: +SKIP
>>> print(summarise.render_markdown(summary))  # doctest: +SKIP
"""

from summarise._version import __version__
from summarise.api import asummarise_meeting, asummarise_pack, summarise_pack
from summarise.errors import SummariseError
from summarise.ingest.pack import load_pack
from summarise.models.meeting import AgendaItem, Document, Meeting, MeetingInfo, Page
from summarise.models.summary import MeetingSummary
from summarise.render.formats import render_html, render_json, render_markdown
from summarise.verify.checks import verify_summary

__all__ = [
    "AgendaItem",
    "Document",
    "Meeting",
    "MeetingInfo",
    "MeetingSummary",
    "Page",
    "SummariseError",
    "__version__",
    "asummarise_meeting",
    "asummarise_pack",
    "load_pack",
    "render_html",
    "render_json",
    "render_markdown",
    "summarise_pack",
    "verify_summary",
]
