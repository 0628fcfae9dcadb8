"""The output a user gets: one JSON Schema, several renderers.

Text fields may carry footnote markers ``[^N]`` (Markdown footnote syntax)
placed by :mod:`summarise.glossary.definitions` after the first use of a term; renderers
turn them into superscript links, and checks strip them first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

from summarise.models.meeting import MeetingInfo

SCHEMA_VERSION = "1"


class Cited(BaseModel):
    """A piece of summary text and the pack pages it rests on."""

    text: str
    pages: list[int] = Field(default_factory=list, description="1-based pack pages")


class Paragraph(Cited):
    """A paragraph of an item's summary, citing the pages it rests on."""


class KeyPoint(Cited):
    """A bullet under an item: a figure, a recommendation put to the meeting, a decision (minutes
    only), or another point; it cites its pages like a paragraph."""

    kind: Literal["figure", "recommendation", "decision", "other"] = "other"


DocumentKind = Literal["report_pack", "agenda", "minutes", "questions", "motions", "supplementary"]
"""What kind of council paper a pack (or one item's papers) is: a report pack (reports put to the
meeting), an agenda without reports, minutes (what was decided), questions and answers, motions and
amendments, or a supplementary pack. Summaries are written in the tense and voice each needs."""


class Presenter(BaseModel):
    """Who presents or wrote the item's report, as the papers name them."""

    name: str
    role: str | None = None


class Person(BaseModel):
    """Someone the papers name for an item, and their part in it."""

    name: str
    role: str | None = Field(default=None, description="post or office, as printed")
    part: Literal["presenter", "proposer", "seconder", "questioner", "answerer", "speaker"] = "presenter"


class ItemSummary(BaseModel):
    """One agenda item's summary: its pages, presenter, paragraphs and key points.

    ``note`` replaces the paragraphs where there is nothing to summarise (no papers, or papers
    with no prose); ``start_page``/``end_page`` are pack pages (None without papers).
    """

    number: str
    title: str
    start_page: int | None = None
    end_page: int | None = None
    has_papers: bool = True
    presenter: Presenter | None = None
    people: list[Person] = Field(
        default_factory=list,
        description="every named presenter or author (all on the report's From: line), proposer and"
        " seconder, questioner and answerer",
    )
    kind: DocumentKind | None = Field(default=None, description="the kind of paper the item's text is")
    note: str | None = Field(default=None, description="one line, e.g. for items with no papers")
    paragraphs: list[Paragraph] = Field(default_factory=list)
    key_points: list[KeyPoint] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list, description="titles of the item's papers")
    engine: str | None = Field(default=None, description="the engine that wrote this item")
    fallback_reason: str | None = Field(
        default=None, description="why the offline engine wrote this item instead of the model"
    )

    @property
    def presenters(self) -> list[Person]:
        """Everyone presenting or authoring the item's report (the old single ``presenter`` when
        the summary predates ``people``)."""
        named = [p for p in self.people if p.part == "presenter"]
        if not named and self.presenter is not None:
            named = [Person(name=self.presenter.name, role=self.presenter.role)]
        return named


class Footnote(BaseModel):
    """A numbered glossary footnote. ``origin="source"``: the pack defines the term on ``pages``
    (and verification checks it there); ``"model"``: the model's own explanation, marked as such."""

    number: int
    term: str
    definition: str
    pages: list[int] = Field(default_factory=list, description="pages where the source defines it")
    origin: Literal["source", "model"] = "source"


class Usage(BaseModel):
    """Model calls and tokens a summary cost; ``cached_calls`` were answered from the cache and
    cost nothing. Zero for the offline engine. Usages add up with ``+``."""

    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    cached_input_tokens: int = Field(
        default=0, description="part of input_tokens the provider served from its prompt cache (cheaper)"
    )
    output_tokens: int = 0
    estimated_cost_usd: float = 0.0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            cached_calls=self.cached_calls + other.cached_calls,
            input_tokens=self.input_tokens + other.input_tokens,
            cached_input_tokens=self.cached_input_tokens + other.cached_input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            estimated_cost_usd=round(self.estimated_cost_usd + other.estimated_cost_usd, 9),
        )


class Finding(BaseModel):
    """One thing verification could not confirm: the claim, where it is, which pages were searched."""

    kind: Literal[
        "figure", "name", "acronym", "quote", "footnote", "citation", "status", "attribution", "person"
    ]
    text: str
    item: str | None = Field(default=None, description="item number, None for the synopsis")
    pages_searched: list[int] = Field(default_factory=list)
    severity: Literal["error", "warning", "info"] = "error"
    message: str = ""


MISLEADING = frozenset({"figure", "status", "attribution", "person"})


class Verification(BaseModel):
    """How many claims were checked, and the findings; ``unsupported_figures`` are the errors."""

    checked: int = 0
    findings: list[Finding] = Field(default_factory=list)

    @property
    def unsupported_figures(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "figure" and f.severity == "error"]

    @property
    def misleading(self) -> list[Finding]:
        """The errors ``--strict`` and ``summarise verify`` fail on: figures the pages do not
        support, decisions they do not record, sentences under the wrong item, invented people."""
        return [f for f in self.findings if f.kind in MISLEADING and f.severity == "error"]


class Provenance(BaseModel):
    """How the summary was made: engine, model, prompt versions, library and schema versions."""

    engine: str
    model: str | None = None
    prompt_hashes: dict[str, str] = Field(default_factory=dict)
    library_version: str
    schema_version: str = SCHEMA_VERSION
    created_at: dt.datetime
    fallbacks: list[str] = Field(
        default_factory=list,
        description="what the offline engine wrote instead of the model, and why ('item 3: ...')",
    )
    source_tokens_left_out: int = Field(
        default=0,
        description="source tokens not sent to the model: repeated headers, table heads and footers",
    )


class SourceFile(BaseModel):
    """Which pack pages one file of a multi-file meeting holds: pack pages ``first_page`` to
    ``first_page + pages - 1`` are that file's pages 1 to ``pages``."""

    file: str = Field(description="file name, as in meeting.sources")
    first_page: int = Field(description="the pack page that is the file's page 1")
    pages: int


class MeetingSummary(BaseModel):
    """A whole meeting's summary: what :func:`summarise.summarise_pack` returns.

    Round-trips through JSON (``to_json``/``from_json``); displays as HTML in Jupyter. Every
    paragraph and key point cites pack pages, and ``verification`` says what was checked.
    """

    meeting: MeetingInfo
    kind: DocumentKind | None = Field(default=None, description="the kind of paper the pack is")
    synopsis: str
    items: list[ItemSummary]
    footnotes: list[Footnote] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    verification: Verification = Field(default_factory=Verification)
    provenance: Provenance
    source_files: list[SourceFile] = Field(
        default_factory=list,
        description="the pack pages each source file holds, so a cited page maps to a file's own page",
    )

    def locate(self, page: int) -> tuple[str, int] | None:
        """The file and that file's own page number for pack page ``page`` (None: not known).

        Summaries made before ``source_files`` existed map only when the meeting had one file.
        """
        for source in self.source_files:
            if source.first_page <= page < source.first_page + source.pages:
                return source.file, page - source.first_page + 1
        if not self.source_files and len(self.meeting.sources) == 1 and page > 0:
            return self.meeting.sources[0], page
        return None

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes) -> MeetingSummary:
        return cls.model_validate_json(data)

    def _repr_html_(self) -> str | None:  # Jupyter
        render = DISPLAY.get("html")
        return render(self) if render else None

    def _repr_markdown_(self) -> str | None:
        render = DISPLAY.get("markdown")
        return render(self) if render else None


# Jupyter's display hooks, filled by :mod:`summarise.render` when it is imported (importing
# ``summarise`` always imports it): the data model never imports its renderers.
DISPLAY: dict[str, Callable[[MeetingSummary], str]] = {}


def json_schema() -> dict[str, Any]:
    return MeetingSummary.model_json_schema()
