"""Byte-identical files in one pack are read once (by content: with the cache and without it)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from pdfgen import report_pages, write_pdf

from summarise import load_pack
from summarise.ingest import pdf


@pytest.mark.parametrize("cached", [True, False], ids=["cache", "no-cache"])
def test_identical_files_in_one_call_are_extracted_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cached: bool
) -> None:
    a = write_pdf(tmp_path / "a.pdf", report_pages("Budget", 3))
    b = tmp_path / "b.pdf"
    shutil.copy(a, b)
    extracted: list[Path] = []
    real = pdf._extract

    def counting(path: Path, *rest: Any) -> pdf.RawPdf:
        extracted.append(path)
        return real(path, *rest)

    monkeypatch.setattr(pdf, "_extract", counting)
    meeting = load_pack([a, b], cache_dir=tmp_path / "cache", use_cache=cached)
    assert extracted == [a]
    assert [p.source for p in meeting.pages] == ["a.pdf"] * 3 + ["b.pdf"] * 3
    assert meeting.pages[0].text == meeting.pages[3].text
