"""Reading and cleaning pages: furniture removed, its values kept, page numbers preserved."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfgen import report_pages, write_pdf

from summarise import load_pack
from summarise.ingest import cache as ingest_cache
from summarise.ingest.clean import clean_pages
from summarise.ingest.pdf import read_pdf


def test_footers_stamps_and_blank_notices_are_removed_but_remembered() -> None:
    raw = [
        "Agenda Item 4\nHousing Delivery Report\nThe council proposes 300 homes.\nPage 3",
        "This page is intentionally left blank",
        "Appendix A\nTable of sites\nPage 5 of 9\nPage 5",
    ]
    pages = clean_pages(raw)
    assert pages[0].stamp == "4" and pages[0].footer == 3
    assert pages[0].text == "Housing Delivery Report\nThe council proposes 300 homes."
    assert pages[1].blank and pages[1].has_text and pages[1].text == ""
    assert pages[2].footer == 5 and "Page" not in pages[2].text and not pages[2].blank


def test_running_headers_repeated_on_most_pages_are_dropped_digits_ignored() -> None:
    words = ["housing", "parks", "roads", "schools", "libraries", "waste"]
    raw = [
        f"Example Council - Minutes {1000 + k}\n"
        + "\n".join(
            f"The {w} budget rises on page {k}, line {j}." for j in range(14) for w in words[k : k + 1]
        )
        + f"\nPublished {k}"
        for k in range(6)
    ]
    raw.append("Appendix with no header\nThe end.")
    pages = clean_pages(raw)
    assert all("Example Council" not in p.text for p in pages)
    assert all("Published" not in p.text for p in pages)  # bottom line on 6 of 7 pages: a footer
    assert pages[0].text.startswith("The housing budget rises on page 0, line 0.")
    assert pages[0].text.endswith("The housing budget rises on page 0, line 13.")
    assert pages[6].text == "Appendix with no header\nThe end."


def test_short_pages_only_lose_their_first_and_last_lines_to_headers() -> None:
    raw = [f"Board minutes {k}\nMotion {k} carried.\nSigned {k}" for k in range(5)]
    pages = clean_pages(raw)
    assert [p.text for p in pages] == [f"Motion {k} carried." for k in range(5)]


def test_lines_mentioning_page_or_agenda_item_mid_sentence_are_kept() -> None:
    pages = clean_pages(["See Page 4 of the report for Agenda Item 6 details.\nAgenda Item 6 was deferred."])
    assert pages[0].text.count("Agenda Item 6") == 2
    assert pages[0].stamp is None and pages[0].footer is None


def test_pdf_pages_and_outline_are_read_and_cached(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "pack.pdf",
        [["Front sheet"], *report_pages("Budget Report", 2)],
        bookmarks=[(1, "5 Budget Report", 0), (2, "Appendix A", 1)],
    )
    cache = tmp_path / "cache"
    raw = read_pdf(pdf, cache_dir=cache)
    assert len(raw.pages) == 3 and "Budget Report" in raw.pages[1]
    assert [(e.title, e.page, e.depth) for e in raw.outline] == [
        ("5 Budget Report", 2, 0),
        ("Appendix A", 3, 1),
    ]
    assert len(list(cache.glob("*.json"))) == 1
    again = read_pdf(pdf, cache_dir=cache)
    assert again == raw


def test_cache_is_keyed_by_content_not_name(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    a = write_pdf(tmp_path / "a.pdf", [["First version of the text"]])
    first = read_pdf(a, cache_dir=cache)
    write_pdf(a, [["Second version of the text"]])  # same name, new content
    second = read_pdf(a, cache_dir=cache)
    assert "First" in first.pages[0] and "Second" in second.pages[0]


def test_big_pdfs_are_extracted_in_parallel_in_page_order(tmp_path: Path) -> None:
    pages = [[f"Page body marker {k:03d}"] for k in range(45)]
    pdf = write_pdf(tmp_path / "big.pdf", pages)
    raw = read_pdf(pdf, use_cache=False)
    assert [p.strip() for p in raw.pages] == [f"Page body marker {k:03d}" for k in range(45)]


def test_several_files_are_one_meeting_with_pages_numbered_on(tmp_path: Path) -> None:
    a = write_pdf(tmp_path / "front.pdf", [["AGENDA", "CABINET", "1. Apologies", "2. Budget"]])
    b = write_pdf(tmp_path / "budget.pdf", report_pages("Budget", 2))
    notes = tmp_path / "notes.md"
    notes.write_text("Officer notes\fSecond page of notes", encoding="utf-8")
    meeting = load_pack([a, b, notes], cache_dir=tmp_path / "c")
    assert [(p.number, p.source, p.source_page) for p in meeting.pages] == [
        (1, "front.pdf", 1),
        (2, "budget.pdf", 1),
        (3, "budget.pdf", 2),
        (4, "notes.md", 1),
        (5, "notes.md", 2),
    ]
    assert meeting.info.sources == ["front.pdf", "budget.pdf", "notes.md"]
    assert meeting.page(5).text == "Second page of notes"


@pytest.mark.parametrize("use_cache", [True, False])
def test_warm_load_returns_the_same_meeting(tmp_path: Path, use_cache: bool) -> None:
    pdf = write_pdf(tmp_path / "p.pdf", [["1. Apologies", "2. Minutes"], ["Minutes text"]])
    first = load_pack(pdf, cache_dir=tmp_path / "c", use_cache=use_cache)
    second = load_pack(pdf, cache_dir=tmp_path / "c", use_cache=use_cache)
    assert first == second
    assert bool(list((tmp_path / "c").glob("*.json"))) is use_cache


def test_long_text_without_form_feeds_is_cut_into_pages_at_blank_lines(tmp_path: Path) -> None:
    paragraphs = [f"Paragraph {k}: " + "the committee discussed the budget. " * 20 for k in range(12)]
    path = tmp_path / "transcript.txt"
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")
    meeting = load_pack(path, use_cache=False)
    assert len(meeting.pages) > 2
    assert all(len(p.text) < 3000 + 800 for p in meeting.pages)
    rejoined = "\n\n".join(p.text for p in meeting.pages)
    assert rejoined.split("\n\n") == [p.strip() for p in paragraphs]  # nothing lost, cut only at blank lines


def test_meeting_cache_key_covers_the_ingest_code_only() -> None:
    modules = set(ingest_cache.ingest_sources())
    agenda = {f"ingest.agenda.{m}" for m in ("segment", "signals", "multifile", "headings", "outline")}
    assert {"ingest.pack", "ingest.pdf", "ingest.clean", *agenda} <= modules
    assert {"ingest.frontsheet", "models.meeting", "text.tokens"} <= modules
    assert not any(m.startswith(("cli", "engines", "verify", "render", "evaluation")) for m in modules)
