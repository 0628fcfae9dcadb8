"""The fast content-stream parser gives exactly what pypdf's own parser gives."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
import pytest
from pdfgen import report_pages, write_pdf
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NullObject,
    NumberObject,
    TextStringObject,
)

from summarise.ingest import fastpdf

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
REAL_PDFS = sorted([*SHARED_DATA.glob("packs/*.pdf"), *SHARED_DATA.glob("reference/*.pdf")])

pytestmark = pytest.mark.skipif(not fastpdf.supported(), reason=f"pypdf {pypdf.__version__} not supported")


def same(a: Any, b: Any) -> bool:
    """Equal values of identical types, all the way down (dict keys in the same order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, TextStringObject):
        return str(a) == str(b) and vars(a) == vars(b)
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def pypdf_operations(data: bytes, encoding: Any) -> list[Any]:
    stream = ContentStream(None, None, encoding)
    stream.set_data(data)
    fastpdf._ORIGINAL(stream, BytesIO(data))
    return stream._operations


def through_content_stream(data: bytes, encoding: Any) -> tuple[str, Any]:
    """``ContentStream.operations`` as the current parser gives it, or the error it raises."""
    stream = ContentStream(None, None, encoding)
    stream.set_data(data)
    try:
        return "ok", stream.operations
    except Exception as exc:
        return "error", (type(exc), str(exc))


@pytest.fixture
def fast() -> Iterator[None]:
    with fastpdf.installed() as active:
        assert active
        yield


ENCODINGS = ["bytes", None, "latin-1", {0x41: "Z"}]

# Every kind of token, in the places pypdf reads it.
SYNTHETIC = [
    # numbers: signs, leading and trailing dots, zeros
    b"1 -2 +3 .5 -.5 +.25 1. -0 007 12.250 0.0 -3.0 99999999999999999999999 Td",
    # operators, including quote operators, digits and * in operators, and keywords as operators
    b"BT T* d0 d1 (x) ' 1 2 (y) \" true false null ET",
    # names: #xx escapes, an empty name, bad escapes kept, non-UTF-8 bytes, delimiters ending names
    b"/F1 12 Tf /A#20B /#41#42 /a#zz /# / /\xc3\xa9t\xc3\xa9 /\xe9t\xe9 /a/b/c(s)/d[1]/e<00>/f<<>>/g%c\n x",
    # literal strings: every escape, octal forms, overflow, line continuations, nesting, raw bytes
    b"(plain) (a\\nb\\rc\\td\\be\\ff\\(g\\)h\\\\i) (\\101\\7\\0123\\777\\0\\00\\400) Tj",
    b"(\\/\\ \\%\\<\\>\\[\\]\\#\\_\\&\\$) (ab\\\ncd\\\r\nef\\\n\ngh\\\rij) Tj",
    b"(a(b)c) (a(b\\)c)d) () (\xfe\xff\x00A) (\xef\xbb\xbfA) Tj",
    b"(\x00\x01\xe9\r\n\t) (line1\nline2) ( ) Tj",
    # hex strings: case, whitespace inside, odd digit count, empty
    b"<48656C6C6F> <48 65 6c\n6C\t6F> <486> <> <00 41> <FEFF0041> Tj",
    # arrays: TJ, nesting, every element kind, whitespace and comments between elements
    b"[(a) -120 (b) 3.5 /N [1 [2 []]] true false null <<>> <4142> (c)] TJ",
    b"[1 %comment\n 2\x00\t\f\r\n3 %another\r4] TJ [] TJ [/a/b(c)<41>[]] TJ",
    # dictionaries: marked content, nested values, keys in order, empty
    b"/Span <</MCID 0 /ActualText (x\\)) /Arr [1 2] /B true /F false /N null /D <</Inner 1.5>> /H <41>>>"
    b" BDC EMC",
    b"/P <<>> BDC EMC /Q<</A/B/C<</D[/E]>>>>BDC EMC",
    # comments between operations, at the end without a newline; NUL and FF as whitespace
    b"% first\n1 0 0 1 0 0 cm % after\r q\x00Q\x0c% end",
    # operands left without an operator at the end are dropped by pypdf
    b"q 1 2 3",
    b"",
    b"   \n\r\t ",
]


@pytest.mark.parametrize("data", SYNTHETIC)
@pytest.mark.parametrize("encoding", ENCODINGS, ids=["bytes", "none", "latin1", "dict"])
def test_synthetic_streams_parse_fast_and_identically(data: bytes, encoding: Any) -> None:
    fast_ops = fastpdf.parse_operations(data, encoding)
    assert fast_ops is not None, "the fast parser should handle this stream itself"
    assert same(fast_ops, pypdf_operations(data, encoding))


def test_synthetic_values_are_pypdf_types() -> None:
    """Spot-check of what the comparison above relies on: real pypdf objects, not look-alikes."""
    ops = fastpdf.parse_operations(b"[(a) -1 .5 /N true null <<>> [] <41>] TJ /Span <</MCID 0>> BDC", "bytes")
    assert ops is not None
    (array,), op = ops[0]
    assert op == b"TJ" and type(array) is ArrayObject
    assert [type(x) for x in array] == [
        ByteStringObject,
        NumberObject,
        FloatObject,
        NameObject,
        BooleanObject,
        NullObject,
        DictionaryObject,
        ArrayObject,
        ByteStringObject,
    ]
    assert array[1] == -1 and array[2] == 0.5 and array[3] == "/N"
    assert ops[1] == ([NameObject("/Span"), DictionaryObject({NameObject("/MCID"): NumberObject(0)})], b"BDC")


# Streams the fast parser leaves to pypdf: either pypdf reads them in a way of its
# own, warns, or fails. The result through ContentStream must not change.
FALLBACK = [
    b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00\xff EI Q",  # inline image
    b"q BI /W 4 /H 4 /F /AHx ID 00ff00ff> EI Q",
    b"/P << /A %c\n 1 >> BDC EMC",  # comment inside a dictionary
    b"(\\q) Tj",  # unknown escapes: pypdf warns
    b"(\\8) Tj",
    b"(a(b(c)d)e) Tj",  # nesting deeper than the pattern follows
    b"(unterminated Tj",
    b") Tj",
    b"] TJ",
    b"{ } q",
    b"1-2 3,4 Td",  # malformed numbers: pypdf warns and reads 0
    b"- Td",
    b"1\x0b2 Td",  # vertical tab is not whitespace to read_non_whitespace
    b"[1\x0b2] TJ",
    b"1 0 R q",  # pypdf reads an indirect reference and asserts
    b"[1 2 TJ",  # array cut off by the end of the stream
    b"[1 %c] TJ",  # unterminated comment in an array
    b"[1 foo] TJ",
    b"/P << /A 1 /A 2 >> BDC",  # duplicate key: pypdf warns
    b"/P << /A >> BDC",
    b"/P << (k) 1 >> BDC",
    b"/P << /A 1 > BDC",
    b"/P << /A 1 >> stream\nxx\nendstream",
    b"<4G> Tj",
    b"<41 Tj",
    b"X" * 150 + b" q",  # operator longer than pypdf reads
    b"/" + b"n" * 2100 + b" q",
    b"1" * 60 + b" q",  # number longer than pypdf reads
    b"(x) Tj \xff q",
]


@pytest.mark.parametrize("data", FALLBACK)
def test_unusual_streams_fall_back_to_pypdf_with_the_same_result(data: bytes, fast: None) -> None:
    assert fastpdf.parse_operations(data, "bytes") is None
    with_fast = through_content_stream(data, "bytes")
    fastpdf.uninstall()
    without = through_content_stream(data, "bytes")
    assert with_fast[0] == without[0]
    if with_fast[0] == "ok":
        assert same(with_fast[1], without[1])
    else:
        assert with_fast[1] == without[1]


def test_fallback_warnings_are_pypdf_own(fast: None, caplog: pytest.LogCaptureFixture) -> None:
    """A stream pypdf warns about warns once, from pypdf, not also from a failed fast attempt."""
    with caplog.at_level(logging.WARNING):
        through_content_stream(b"(\\q) 1-2 Td", "bytes")
    fast_records = [(r.name, r.getMessage()) for r in caplog.records]
    caplog.clear()
    fastpdf.uninstall()
    with caplog.at_level(logging.WARNING):
        through_content_stream(b"(\\q) 1-2 Td", "bytes")
    assert fast_records == [(r.name, r.getMessage()) for r in caplog.records]
    assert fast_records  # pypdf does warn here


def test_install_patches_and_restores() -> None:
    original = fastpdf._ORIGINAL
    assert ContentStream._parse_content_stream is original
    with fastpdf.installed():
        assert fastpdf.is_installed()
        assert ContentStream._parse_content_stream is fastpdf._parse_content_stream
        with fastpdf.installed():
            pass
        assert fastpdf.is_installed()  # an inner block leaves the outer installation
    assert ContentStream._parse_content_stream is original and not fastpdf.is_installed()
    try:
        assert fastpdf.install() and fastpdf.install()
        with fastpdf.installed():
            pass
        assert fastpdf.is_installed()  # install() outlives a block
    finally:
        fastpdf.uninstall()
    assert ContentStream._parse_content_stream is original


def test_unknown_pypdf_version_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    fastpdf.uninstall()
    monkeypatch.setattr(pypdf, "__version__", "99.0.0")
    assert not fastpdf.install()
    assert ContentStream._parse_content_stream is fastpdf._ORIGINAL


def test_generated_pdf_text_is_unchanged(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "gen.pdf",
        [
            *report_pages(
                "Budget Report", 3, paragraph="Costs (net) rose 4.5% to \u00a312m; see [Appendix A]."
            ),
            None,
        ],
    )
    plain = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    with fastpdf.installed():
        fast = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    assert fast == plain and any(plain)


def content_streams(reader: pypdf.PdfReader, pages: range) -> Iterator[bytes]:
    """Page contents and the form XObjects they draw, each once."""
    seen: set[int] = set()
    for i in pages:
        page = reader.pages[i]
        contents = page.get_contents()
        if contents is not None:
            yield contents.get_data()
        resources = [page.get("/Resources")]
        while resources:
            res = resources.pop()
            xobjects = res.get_object().get("/XObject") if res is not None else None
            for ref in (xobjects.get_object() if xobjects is not None else {}).values():
                obj = ref.get_object()
                if id(obj) in seen or obj.get("/Subtype") != "/Form":
                    continue
                seen.add(id(obj))
                yield obj.get_data()
                resources.append(obj.get("/Resources"))


def real_pdf(path: Path | None) -> Path:
    if path is None or not path.exists():
        pytest.skip(f"../shared/data not present: no real PDFs to compare ({SHARED_DATA})")
    return path


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_PDFS or [None], ids=lambda p: p.name if p else "absent")
def test_real_operations_identical(path: Path | None) -> None:
    """Operations, compared object by object on a sample of pages and their forms."""
    reader = pypdf.PdfReader(real_pdf(path), strict=False)
    n = len(reader.pages)
    sample = range(0, n, max(1, n // 20))  # about 20 pages a file
    handled = total = 0
    for data in content_streams(reader, sample):
        for encoding in ("bytes", None):
            ops = fastpdf.parse_operations(data, encoding)
            total += 1
            if ops is not None:
                handled += 1
                assert same(ops, pypdf_operations(data, encoding))
    assert total and handled / total >= 0.9, f"fast path taken for only {handled}/{total} streams"


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("path", REAL_PDFS or [None], ids=lambda p: p.name if p else "absent")
def test_real_page_text_identical(path: Path | None) -> None:
    """extract_text of every page, with and without the fast parser, from separate readers."""
    pdf = real_pdf(path)
    reader = pypdf.PdfReader(pdf, strict=False)
    plain = [page.extract_text() for page in reader.pages]
    with fastpdf.installed():
        reader = pypdf.PdfReader(pdf, strict=False)
        fast = [page.extract_text() for page in reader.pages]
    assert len(fast) == len(plain)
    for number, (a, b) in enumerate(zip(fast, plain, strict=True), start=1):
        assert a == b, f"page {number} differs"
