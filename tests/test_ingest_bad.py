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
    EmptyInputError,
    EncryptedPDFError,
    InputError,
    InputNotFoundError,
    NotAPDFError,
    NoTextLayerError,
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
