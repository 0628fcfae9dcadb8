"""PDFium's text laid out the way the agenda rules read it (summarise.ingest.pdfium)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from pdfgen import write_pdf

from summarise.ingest.pdf import read_pdf


def _page(path: Path, draw: list[tuple[float, float, str]]) -> Path:
    """One A4 page with each text at (x, y) in mm."""
    doc = FPDF(format="A4")
    doc.set_font("Helvetica", size=11)
    doc.add_page()
    for x, y, text in draw:
        doc.text(x, y, text)
    doc.output(str(path))
    return path


def _lines(path: Path) -> list[str]:
    return read_pdf(path, use_cache=False).pages[0].split("\n")


def test_a_vertical_gap_is_a_blank_line_and_line_spacing_is_not(tmp_path: Path) -> None:
    path = _page(
        tmp_path / "p.pdf", [(20, 20, "First line"), (20, 25, "Second line"), (20, 40, "After a gap")]
    )
    assert _lines(path) == ["First line", "Second line", "", "After a gap"]


def test_a_column_gap_keeps_several_spaces(tmp_path: Path) -> None:
    path = _page(tmp_path / "p.pdf", [(20, 20, "Board of Health "), (150, 20, "April 24, 2019")])
    (line,) = _lines(path)
    before, _, after = line.partition("   ")
    assert before == "Board of Health" and after.strip() == "April 24, 2019"


def test_a_number_set_off_by_a_tab_keeps_its_space(tmp_path: Path) -> None:
    path = _page(tmp_path / "p.pdf", [(20, 20, "H."), (27, 20, "RESOLUTION (2019-44) Renew contract")])
    assert _lines(path) == ["H. RESOLUTION (2019-44) Renew contract"]


def test_a_sideways_margin_stamp_is_a_line_of_its_own(tmp_path: Path) -> None:
    doc = FPDF(format="A4")
    doc.set_font("Helvetica", size=11)
    doc.add_page()
    doc.text(20, 280, "Page 1")
    with doc.rotation(90, 200, 100):
        doc.text(200, 100, "Agenda Item 6")
    doc.output(str(tmp_path / "p.pdf"))
    lines = [line for line in _lines(tmp_path / "p.pdf") if line]
    assert sorted(lines) == ["Agenda Item 6", "Page 1"]


def test_what_pdfium_cannot_open_is_read_with_pypdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_pdf(tmp_path / "a.pdf", [["Budget Report", "The budget is set."]])

    def refuse(*args: object, **kwargs: object) -> None:
        raise pdfium.PdfiumError("refused")

    monkeypatch.setattr(pdfium, "PdfDocument", refuse)
    assert "The budget is set." in read_pdf(path, use_cache=False).pages[0]


def test_a_table_cell_beside_a_wrapped_cell_stays_on_its_row(tmp_path: Path) -> None:
    cells = [(20, 51, "1"), (30, 49, "The Foundation at the"), (30, 53, "University of Illinois $32m")]
    path = _page(tmp_path / "p.pdf", cells)
    assert _lines(path) == ["1 The Foundation at the University of Illinois $32m"]
