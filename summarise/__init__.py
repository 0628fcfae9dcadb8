"""summarise: trustworthy summaries of council meeting report packs.

>>> import summarise
>>> meeting = summarise.load_pack("examples/sample-pack.pdf")  # doctest: +SKIP
>>> summary = summarise.summarise_pack("examples/sample-pack.pdf", engine="extractive")  # doctest: +SKIP
>>> print(summarise.render_markdown(summary))  # doctest: +SKIP

The data flows one way, one subpackage per stage: :mod:`~summarise.ingest` (files to a
:class:`Meeting`), :mod:`~summarise.engines` (item drafts, assembled into a
:class:`MeetingSummary`), :mod:`~summarise.glossary` (footnotes), :mod:`~summarise.verify`
(findings) and :mod:`~summarise.render` (Markdown, HTML, JSON).
"""

from summarise._redact import install_record_redaction
from summarise._version import __version__
from summarise.api import asummarise_meeting, asummarise_pack, summarise_pack
from summarise.batch import MeetingResult, MeetingSpec, asummarise_many, summarise_many
from summarise.engines import Engine, register_engine
from summarise.errors import SummariseError
from summarise.ingest import load_pack
from summarise.models import (
    AgendaItem,
    Document,
    Footnote,
    ItemSummary,
    KeyPoint,
    Meeting,
    MeetingInfo,
    MeetingSummary,
    Page,
    Usage,
)
from summarise.render import render_html, render_json, render_markdown
from summarise.settings import Settings, SettingsOverrides
from summarise.summariser import Summariser
from summarise.verify import verify_summary

install_record_redaction()  # no log record of summarise or its HTTP stack carries a key

__all__ = [
    "AgendaItem",
    "Document",
    "Engine",
    "Footnote",
    "ItemSummary",
    "KeyPoint",
    "Meeting",
    "MeetingInfo",
    "MeetingResult",
    "MeetingSpec",
    "MeetingSummary",
    "Page",
    "Settings",
    "SettingsOverrides",
    "SummariseError",
    "Summariser",
    "Usage",
    "__version__",
    "asummarise_many",
    "asummarise_meeting",
    "asummarise_pack",
    "load_pack",
    "register_engine",
    "render_html",
    "render_json",
    "render_markdown",
    "summarise_many",
    "summarise_pack",
    "verify_summary",
]
