"""Files given together that look like different meetings are refused, unless the user says they are one."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarise import Summariser, errors, load_pack, summarise_pack
from summarise.cli import main
from tests.pdfgen import FRONT_SHEET, report_pages, write_pdf

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "packs"


def front(body: str, when: str) -> list[str]:
    return ["AGENDA", "", body, "", when, "Council Chamber, Civic Offices,", "", *FRONT_SHEET[8:]]


@pytest.fixture
def two_meetings(tmp_path: Path) -> list[Path]:
    planning = write_pdf(
        tmp_path / "planning.pdf",
        [front("PLANNING COMMITTEE", "Tuesday, 4th March, 2025, at 7.00 pm"), *report_pages("Housing", 2)],
    )
    cabinet = write_pdf(
        tmp_path / "cabinet.pdf",
        [front("CABINET", "Thursday, 12th June, 2025, at 10.00 am"), *report_pages("Budget", 2)],
    )
    return [planning, cabinet]


@pytest.fixture
def one_meeting(tmp_path: Path) -> list[Path]:
    agenda = write_pdf(
        tmp_path / "agenda.pdf",
        [front("PLANNING COMMITTEE", "Tuesday, 4th March, 2025, at 7.00 pm"), *report_pages("Housing", 2)],
    )
    report = write_pdf(tmp_path / "report.pdf", report_pages("Parks and Open Spaces Strategy", 3))
    supplement = write_pdf(
        tmp_path / "supplement.pdf",
        [front("PLANNING COMMITTEE", "Tuesday, 4th March, 2025, at 7.00 pm"), *report_pages("Parks", 1)],
    )
    return [agenda, report, supplement]


def test_api_refuses_different_meetings_with_a_typed_error(two_meetings: list[Path], tmp_path: Path) -> None:
    with pytest.raises(errors.DifferentMeetingsError) as caught:
        load_pack(two_meetings, cache_dir=tmp_path / "c")
    message = str(caught.value)
    assert "planning.pdf" in message and "cabinet.pdf" in message
    assert "4 March 2025" in message and "12 June 2025" in message
    assert "as_one_meeting=True" in message and "--" not in message  # library words, not flags
    assert isinstance(caught.value, errors.InputError)


def test_as_one_meeting_merges_them(two_meetings: list[Path], tmp_path: Path) -> None:
    meeting = load_pack(two_meetings, cache_dir=tmp_path / "c", as_one_meeting=True)
    assert meeting.info.sources == ["planning.pdf", "cabinet.pdf"]
    summary = summarise_pack(two_meetings, "extractive", cache_dir=tmp_path / "c", as_one_meeting=True)
    assert summary.items


def test_refused_from_the_cache_too(two_meetings: list[Path], tmp_path: Path) -> None:
    load_pack(two_meetings, cache_dir=tmp_path / "c", as_one_meeting=True)  # now cached
    with pytest.raises(errors.DifferentMeetingsError):
        load_pack(two_meetings, cache_dir=tmp_path / "c")


def test_one_meetings_files_are_accepted(one_meeting: list[Path], tmp_path: Path) -> None:
    """A report with no front sheet, and a supplement naming the same meeting, are the same meeting."""
    meeting = load_pack(one_meeting, cache_dir=tmp_path / "c")
    assert len(meeting.info.sources) == 3


def test_summariser_methods_check_too(two_meetings: list[Path], tmp_path: Path) -> None:
    summariser = Summariser(engine="extractive", cache_dir=tmp_path / "c")
    with pytest.raises(errors.DifferentMeetingsError):
        summariser.summarise(two_meetings, progress=False)
    with pytest.raises(errors.DifferentMeetingsError):
        summariser.estimate(two_meetings)
    assert summariser.estimate(two_meetings, as_one_meeting=True).calls > 0


@pytest.mark.parametrize("command", ["run", "estimate", "ingest", "verify"])
def test_cli_refuses_with_one_line_and_exit_2(
    command: str, two_meetings: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = tmp_path / "s.json"
    summary.write_text("{}")  # never read: the packs are refused first or the summary is
    first = ["verify", str(summary)] if command == "verify" else [command]
    files = [str(p) for p in two_meetings]
    if command == "verify":
        summarise_pack(two_meetings, "extractive", cache_dir=tmp_path / "c", as_one_meeting=True)
        assert main(["run", "-q", *files, "--as-one-meeting", "--engine", "extractive", "-o", str(summary),
                     "--cache-dir", str(tmp_path / "c")]) == 0  # fmt: skip
        capsys.readouterr()
    code = main([*first, *files, "--cache-dir", str(tmp_path / "c")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    errors_shown = [line for line in err.splitlines() if line.startswith("summarise: error:")]
    assert len(errors_shown) == 1 and "Traceback" not in err
    assert "different meetings" in err and "give --as-one-meeting" in err and "as_one_meeting=True" not in err
    more = ["--engine", "extractive", "-q"] if command == "run" else []
    assert main([*first, *files, "--as-one-meeting", "--cache-dir", str(tmp_path / "c"), *more]) == 0


@pytest.mark.shared
def test_real_packs() -> None:
    """Kent's Cabinet pack and its supplement are one meeting; with the full Council's, two."""
    cabinet = SHARED / "kent-cabinet-2025-01-30-reports-pack.pdf"
    if not cabinet.exists():
        pytest.skip("needs ../shared/data/packs (real council PDFs)")
    supplement = SHARED / "kent-cabinet-2025-01-30-item7-supplementary.pdf"
    council = SHARED / "kent-council-2025-02-13-budget-amendments.pdf"
    assert load_pack([cabinet, supplement]).info.sources[1] == supplement.name
    with pytest.raises(errors.DifferentMeetingsError, match="County Council, 13 February 2025"):
        load_pack([cabinet, supplement, council])
