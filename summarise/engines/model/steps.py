"""What each prompt must return: small models, friendly to OpenAI strict JSON schema.

Strict mode wants every property required, ``additionalProperties: false`` and
no ``default``; so no field here has a default (optional values are
``X | None`` and must still be sent as ``null``) and extra keys are forbidden.
Page numbers are the 1-based pack pages shown as ``[page N]`` in the source.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PointKind = Literal["figure", "recommendation", "decision", "other"]


def _lean(schema: dict[str, Any]) -> None:
    """No titles ("title": "Pages" says nothing the key does not) and no class docstring in the
    schema sent with every call: about 60 tokens a call, read by the model for nothing."""
    schema.pop("title", None)
    schema.pop("description", None)
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_lean)


class PresenterDraft(_Strict):
    name: str = Field(description="the person presenting or responsible, as the source names them")
    role: str | None = Field(description="their post, e.g. 'Cabinet Member for Finance', or null")


class Note(_Strict):
    text: str = Field(description="one fact, proposal, figure or recommendation, in plain English")
    kind: PointKind
    pages: list[int] = Field(description="pack pages the note rests on")


class ChunkNotes(_Strict):
    """Map step: notes on one chunk of an agenda item's papers."""

    notes: list[Note]
    presenter: PresenterDraft | None = Field(description="null unless this chunk names one")


class ParagraphDraft(_Strict):
    text: str
    pages: list[int] = Field(description="pack pages the paragraph rests on")


class KeyPointDraft(_Strict):
    text: str
    kind: PointKind
    pages: list[int] = Field(description="pack pages the point rests on")


class ItemDraft(_Strict):
    """Reduce step: the summary of one agenda item."""

    paragraphs: list[ParagraphDraft] = Field(description="two to four short paragraphs")
    key_points: list[KeyPointDraft] = Field(description="figures, recommendations and decisions")
    presenter: PresenterDraft | None


class SynopsisDraft(_Strict):
    """The whole meeting in one short paragraph."""

    synopsis: str
    pages: list[int] = Field(description="pack pages the synopsis rests on, most important first")


class TermDraft(_Strict):
    term: str = Field(description="the acronym or term exactly as written in the source")
    definition: str = Field(description="plain-English meaning, one sentence")
    defined_in_source: bool = Field(description="true only if the source itself spells out the meaning")
    pages: list[int] = Field(description="pages where the source defines it; empty if it does not")


class GlossaryDraft(_Strict):
    terms: list[TermDraft]
