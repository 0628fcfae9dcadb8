"""Bad input: each case raises its typed error with one line naming the file and what to do."""

from __future__ import annotations

import os
from pathlib import Path

import pypdf
import pytest
from pdfgen import report_pages, write_pdf

from summarise import load_pack
from summarise.errors import (
    CorruptPDFError,
    DecompressionBombError,
    EmptyInputError,
    EncryptedPDFError,
    IngestTimeoutError,
    InputError,
    InputNotFoundError,
    LineTooLongError,
    NotAPDFError,
    NoTextLayerError,
    PageTooLargeError,
    ResourceLimitError,
    TooManyPagesError,
)


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_pdf(tmp_path / "good.pdf", report_pages("Budget Report", 3))


def raises(path: Path | str, error: type[InputError], hint_word: str) -> InputError:
    with pytest.raises(error) as info:
        load_pack(path, use_cache=False)
    message = str(info.value)
    assert "\n" not in message and len(message) < 300
    assert Path(path).name in message and hint_word in message
    return info.value


def test_missing_path(tmp_path: Path) -> None:
    raises(tmp_path / "nope.pdf", InputNotFoundError, "check the path")


def test_directory_is_not_a_pack(tmp_path: Path) -> None:
    raises(tmp_path, InputNotFoundError, "not a directory")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    raises(tmp_path / "empty.pdf", EmptyInputError, "download it again")
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    raises(tmp_path / "empty.md", EmptyInputError, "empty")


@pytest.mark.parametrize("content", [b"hello, this is not a pdf", b"<html><body>404 Not Found</body></html>"])
def test_not_a_pdf(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "pack.pdf").write_bytes(content)
    raises(tmp_path / "pack.pdf", NotAPDFError, "give a PDF")


def test_binary_file_named_txt(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"\x00\x01\x02binary")
    raises(tmp_path / "notes.txt", NotAPDFError, "give a PDF")


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf(tmp_path: Path, good: Path, keep: float) -> None:
    data = good.read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: int(len(data) * keep)])
    raises(tmp_path / "cut.pdf", CorruptPDFError, "download it again")


def test_corrupt_pdf(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    raises(tmp_path / "bad.pdf", CorruptPDFError, "damaged")


def _encrypt(src: Path, dest: Path, user: str, algorithm: str) -> Path:
    writer = pypdf.PdfWriter(clone_from=str(src))
    writer.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    writer.write(dest)
    return dest


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_with_a_password(tmp_path: Path, good: Path, algorithm: str) -> None:
    locked = _encrypt(good, tmp_path / "locked.pdf", "secret", algorithm)
    raises(locked, EncryptedPDFError, "remove the password")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_with_an_empty_password_opens(tmp_path: Path, good: Path, algorithm: str) -> None:
    locked = _encrypt(good, tmp_path / "open.pdf", "", algorithm)
    meeting = load_pack(locked, use_cache=False)
    assert len(meeting.pages) == 3 and "Budget Report" in meeting.page(1).text


def test_big_encrypted_pdf_opens_in_every_worker(tmp_path: Path) -> None:
    words = [f"{chr(97 + k % 26)}{chr(97 + k // 26)}" for k in range(45)]  # unlike running headers
    big = write_pdf(tmp_path / "big.pdf", [[f"Report on {w}"] for w in words])
    meeting = load_pack(_encrypt(big, tmp_path / "big-open.pdf", "", "AES-256"), use_cache=False)
    assert [p.text for p in meeting.pages] == [f"Report on {w}" for w in words]


def test_no_text_layer(tmp_path: Path) -> None:
    scanned = write_pdf(tmp_path / "scan.pdf", [None, None, None])
    raises(scanned, NoTextLayerError, "OCR")


def test_scanned_council_agenda(shared_data: Path) -> None:
    raises(shared_data / "bad" / "omaha-agenda-scanned-no-text-layer.pdf", NoTextLayerError, "OCR")


def test_some_pages_without_text_still_load_and_say_which(tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "part.pdf", [["Agenda front sheet"], None, ["Report text"], None, None])
    meeting = load_pack(pdf, use_cache=False)
    assert meeting.pages_without_text == [2, 4, 5]
    assert any("no text layer" in w and "pages 2, 4-5" in w for w in meeting.warnings)


def test_no_pypdf_exception_escapes_on_random_damage(tmp_path: Path, good: Path) -> None:
    data = bytearray(good.read_bytes())
    for k, at in enumerate(range(200, len(data) - 50, max(1, len(data) // 12))):
        damaged = bytearray(data)
        damaged[at : at + 40] = b"\x00" * 40
        path = tmp_path / f"damaged-{k}.pdf"
        path.write_bytes(bytes(damaged))
        try:
            load_pack(path, use_cache=False)
        except InputError as exc:
            assert path.name in str(exc)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path, good: Path) -> None:
    good.chmod(0)
    try:
        raises(good, InputError, "permissions")
    finally:
        good.chmod(0o644)


# --- text that is not valid text, and no temporary file left on any failure -------------------------


def _no_tmp(*folders: Path) -> None:
    left = [p for folder in folders for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert not left, left


@pytest.mark.parametrize("cache", [True, False])
def test_garbage_glyphs_give_valid_text_everywhere(
    tmp_path: Path, cache: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    """A font mapping letters to lone surrogates, NUL and controls: valid text, no crash, no tmp file."""
    from badpdf import garbage_glyphs

    from summarise.cli import main

    pdf = tmp_path / "glyphs.pdf"
    pdf.write_bytes(garbage_glyphs())
    out = tmp_path / "out.md"
    cache_args = ["--cache-dir", str(tmp_path / "cache")] if cache else ["--no-cache"]
    assert main(["ingest", "--json", str(pdf), *cache_args]) == 0
    printed = capsys.readouterr().out
    printed.encode("utf-8")  # strict: no lone surrogate reached stdout
    assert "\x00" not in printed and "plain words here" in printed
    code = main(["run", str(pdf), "--engine", "extractive", "-o", str(out), "--quiet", *cache_args])
    assert code == 0
    out.read_text(encoding="utf-8")
    for cached in (tmp_path / "cache").rglob("*.json"):
        cached.read_text(encoding="utf-8")  # the cache is valid UTF-8 too
    _no_tmp(tmp_path)


def test_valid_text_folds_a_megabyte_line_quickly() -> None:
    import time

    from summarise.ingest.clean import MAX_LINE_CHARS, valid_text

    line = "word " * 400_000  # 2 MB, one line
    start = time.perf_counter()
    text = valid_text(line + "\ud83d\ude00\ud800\x07")
    assert time.perf_counter() - start < 2
    assert max(map(len, text.split("\n"))) <= MAX_LINE_CHARS
    assert text.replace("\n", " ").split() == (line + "😀\ufffd").split()


def test_a_cache_write_that_fails_leaves_no_tmp_file(tmp_path: Path) -> None:
    from summarise.ingest import cache

    cache.save_text("k", "bad \ud800 text", tmp_path)  # cannot be encoded: logged, not raised
    assert not (tmp_path / "k.json").exists()
    _no_tmp(tmp_path)

    class Boom(BaseException):
        pass

    original = os.replace

    def interrupted(*_: object) -> None:
        raise Boom

    os.replace = interrupted  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            cache.save_text("k", "text", tmp_path)
    finally:
        os.replace = original
    _no_tmp(tmp_path)


def test_an_output_write_that_fails_leaves_no_tmp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from summarise.errors import OutputPathError
    from summarise.render import write_output

    out = tmp_path / "summary.md"
    out.write_text("old", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputPathError, match="No space left"):
        write_output("new text", out)
    assert out.read_text(encoding="utf-8") == "old"  # the old file is whole
    _no_tmp(tmp_path)
    monkeypatch.undo()
    write_output("new \ud800 text", out)  # unencodable: written as "?", not a crash
    assert out.read_text(encoding="utf-8") == "new ? text"
    _no_tmp(tmp_path)


# --- the generated corpus of bad and hostile files (tests/badpdf.py) ----------------------------------


@pytest.mark.parametrize("name", __import__("badpdf").CORPUS)
def test_corpus_file_gets_its_answer_in_time_and_one_line(
    tmp_path: Path, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Each file loads, or raises its own typed error: one line naming the file, no raw pypdf warning."""
    import logging
    import time

    import badpdf

    from summarise.errors import SummariseError

    path = badpdf.make(tmp_path, name)
    expected = badpdf.CORPUS[name][2]
    caplog.set_level(logging.WARNING)
    start = time.perf_counter()
    try:
        meeting = load_pack(path, cache_dir=tmp_path / "cache")
        outcome = "ok"
    except SummariseError as exc:
        outcome = type(exc).__name__
        message = str(exc)
        assert "\n" not in message and len(message) < 400 and path.name in message, message
    elapsed = time.perf_counter() - start
    assert outcome == expected, f"{name}: {outcome}"
    assert elapsed < 20, f"{name}: {elapsed:.1f} s"
    assert not [r for r in caplog.records if r.name.startswith("pypdf")], "raw pypdf warnings"
    if outcome == "ok":
        text = "\n".join(p.text for p in meeting.pages)
        text.encode("utf-8")  # valid text, whatever the glyphs were
        assert not any(ch in text for ch in "\x00\x07\x1b")
    _no_tmp(tmp_path)


def test_a_pypdf_warning_is_folded_into_the_error(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    import badpdf

    # The xref offsets are wrong (pypdf warns and rebuilds it) and the only page's content inflates too far.
    bomb = badpdf.corrupt_xref(badpdf.flate_bomb(100))
    (tmp_path / "bomb.pdf").write_bytes(bomb)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DecompressionBombError) as info:
        load_pack(tmp_path / "bomb.pdf", use_cache=False)
    assert "[pypdf: " in str(info.value) and "\n" not in str(info.value)
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]


@pytest.mark.parametrize(
    ("limit", "value", "error"),
    [
        ("MAX_PAGES", 2, TooManyPagesError),
        ("MAX_SECONDS", -1.0, IngestTimeoutError),
        ("MAX_LINE_CHARS", 20, LineTooLongError),
        ("MAX_PAGE_CONTENT_BYTES", 30, PageTooLargeError),
    ],
)
def test_each_limit_has_its_typed_error(
    tmp_path: Path,
    good: Path,
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: float,
    error: type[InputError],
) -> None:
    from summarise.ingest import limits

    monkeypatch.setattr(limits, limit, value)
    info = raises(good, error, "")
    assert isinstance(info, ResourceLimitError)
