"""Generate small synthetic report packs with fpdf2 (tests only).

Each page is a list of lines; bookmarks are (page index, title, level). Pages
marked ``None`` carry no text at all (a drawn box stands in for a scanned
image), to exercise the no-text-layer paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF

Bookmark = tuple[int, str, int]


def write_pdf(path: Path, pages: Sequence[Sequence[str] | None], bookmarks: Sequence[Bookmark] = ()) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    marks = sorted(bookmarks, key=lambda b: b[0])
    for index, lines in enumerate(pages):
        pdf.add_page()
        for page_index, title, level in marks:
            if page_index == index:
                pdf.start_section(title, level=level)
        if lines is None:
            pdf.rect(20, 20, 150, 200, style="F")
            continue
        pdf.set_xy(15, 15)
        for line in lines:
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def report_pages(title: str, n: int, *, header: str | None = None, paragraph: str = "") -> list[list[str]]:
    """``n`` pages of a report whose first page starts with ``title``."""
    body = paragraph or f"The {title.lower()} sets out the proposals and their cost to the council."
    pages: list[list[str]] = []
    for k in range(n):
        lines = [header] if header else []
        if k == 0:
            lines += [title, ""]
        lines += [f"{k + 1}.{j + 1} {body}" for j in range(3)]
        pages.append(lines)
    return pages


FRONT_SHEET = [
    "AGENDA",
    "",
    "PLANNING COMMITTEE",
    "",
    "Tuesday, 4th March, 2025, at 7.00 pm",
    "Council Chamber, Civic Offices,",
    "High Street, Exampleton",
    "",
    "1. Apologies for Absence",
    "2. Declarations of Interest",
    "3. Minutes of the Previous Meeting (Pages 1 - 2)",
    "4. Housing Delivery Report (Pages 3 - 6)",
    "5. Parks and Open Spaces Strategy (Pages 7 - 8)",
]
