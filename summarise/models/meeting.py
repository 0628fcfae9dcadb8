"""What ingest produces: a meeting, its cleaned pages and its agenda items.

Every later stage works from these models and never reaches back into PDF
parsing. Page numbers are 1-based pack pages; when several files make one
meeting, their pages are numbered on in the order the files were given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Page(BaseModel):
    """One cleaned page of the pack."""

    model_config = ConfigDict(frozen=True)

    number: int = Field(description="1-based page number across the whole meeting")
    text: str = Field(description="cleaned text: footers, stamps and running headers removed")
    source: str = Field(description="file name the page came from")
    source_page: int = Field(description="1-based page number inside that file")
    has_text: bool = True


class Document(BaseModel):
    """A report or appendix inside an agenda item."""

    title: str
    start_page: int
    end_page: int


class TextSpan(BaseModel):
    """The part of one page that belongs to an item: characters ``start`` to ``end`` of its text."""

    model_config = ConfigDict(frozen=True)

    page: int
    start: int = 0
    end: int | None = Field(default=None, description="None: to the end of the page")

    def of(self, text: str) -> str:
        """This span's part of ``text``, without the line break that ends it."""
        return text[self.start : self.end].rstrip("\n")


class AgendaItem(BaseModel):
    """An agenda item; ``start_page`` is None for items with no papers of their own."""

    number: str = Field(description='as printed: "6", "VI", "10", "a"')
    title: str
    start_page: int | None = None
    end_page: int | None = None
    documents: list[Document] = Field(default_factory=list)
    tokens: int = 0
    sub_items: list[AgendaItem] = Field(default_factory=list)
    spans: list[TextSpan] = Field(
        default_factory=list,
        description="pages the item shares with another item, and the part of each that is its own;"
        " every other page in its range is wholly its own",
    )

    @property
    def has_papers(self) -> bool:
        return self.start_page is not None

    @property
    def pages_span(self) -> tuple[int, int] | None:
        """First and last page of the item's text: its own, else its sub-items' (None: no papers)."""
        if self.start_page is not None:
            return self.start_page, self.end_page if self.end_page is not None else self.start_page
        starts = [s.start_page for s in self.sub_items if s.start_page is not None]
        ends = [s.end_page or s.start_page for s in self.sub_items if s.start_page is not None]
        if not starts:
            return None
        return min(starts), max(e for e in ends if e is not None)

    @property
    def page_range(self) -> range:
        """The pages of :attr:`pages_span`, as a range (empty for an item with no papers)."""
        span = self.pages_span
        return range(span[0], span[1] + 1) if span else range(0)


class MeetingInfo(BaseModel):
    """Meeting metadata, where the front sheet gives it."""

    body: str | None = Field(default=None, description='e.g. "Cabinet", "County Council"')
    title: str | None = None
    date: dt.date | None = None
    time: str | None = Field(default=None, description='as printed, e.g. "10.00 am"')
    venue: str | None = None
    sources: list[str] = Field(default_factory=list, description="file names, in order")


class Meeting(BaseModel):
    """A whole meeting: metadata, cleaned pages and agenda items in order."""

    info: MeetingInfo
    pages: list[Page]
    items: list[AgendaItem]
    warnings: list[str] = Field(default_factory=list)

    @property
    def pages_without_text(self) -> list[int]:
        return [p.number for p in self.pages if not p.has_text]

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def item_pages(self, item: AgendaItem) -> list[Page]:
        """The item's pages, each cut to the item's own part where it shares the page (see
        :mod:`summarise.ingest.spans`): the one text every engine and check reads for the item."""
        cut = {span.page: span for span in item.spans}
        pages = []
        for n in item.page_range:
            if not 0 < n <= len(self.pages):
                continue
            page = self.pages[n - 1]
            if n in cut:
                page = page.model_copy(update={"text": cut[n].of(page.text)})
            pages.append(page)
        return pages

    def item_text(self, item: AgendaItem) -> str:
        return "\n\n".join(p.text for p in self.item_pages(item))

    def ingest_report(self) -> dict[str, Any]:
        """The ``summarise ingest --json`` shape."""
        return {
            "meeting": self.info.model_dump(mode="json"),
            "pages": len(self.pages),
            "pages_without_text": self.pages_without_text,
            "items": [item.model_dump(mode="json") for item in self.items],
            "warnings": self.warnings,
        }
