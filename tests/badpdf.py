"""Hand-built PDFs for the bad-input corpus (tests only): each made at test time, none committed.

:func:`build` writes a PDF from numbered objects with a correct cross-reference table, so a test
can break exactly one thing (a stream, the outline, the xref) and nothing else.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def stream(data: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def build(objects: Sequence[bytes], *, root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose object ``i + 1`` is ``objects[i]``; ``root`` is the catalog's number."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objects) + 1, root, trailer_extra)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def text_pages(
    contents: Sequence[bytes],
    *,
    font: bytes = HELVETICA,
    compress: bool = False,
    outlines: bytes | None = None,
    extra_objects: Sequence[bytes] = (),
) -> bytes:
    """Pages whose content streams are ``contents``; objects: 1 catalog, 2 pages, 3 font, then pages.

    ``extra_objects`` follow the pages (numbered from ``4 + 2 * len(contents)``); ``outlines`` is the
    catalog's /Outlines value (e.g. ``b"%d 0 R"``).
    """
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    outline = b" /Outlines " + outlines if outlines else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R%s >>" % outline,
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        font,
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
            b" /Contents %d 0 R >>" % (5 + 2 * i)
        )
        objects.append(stream(content, compress=compress))
    return build([*objects, *extra_objects])


def show(*lines: str) -> bytes:
    """A content stream that prints ``lines`` (Latin-1) in Helvetica, one under another."""
    ops = [b"BT /F1 11 Tf 14 TL 50 800 Td"]
    for line in lines:
        escaped = line.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        ops.append(b"(" + escaped + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def cmap_stream(mapping: dict[int, str]) -> bytes:
    """A /ToUnicode CMap stream mapping one-byte codes to UTF-16BE hex (``{0x41: "D800"}``)."""
    lines = [b"%d beginbfchar" % len(mapping)]
    lines += [b"<%02X> <%s>" % (code, units.encode()) for code, units in mapping.items()]
    lines.append(b"endbfchar")
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
        b"1 begincodespacerange <00> <FF> endcodespacerange\n" + b"\n".join(lines) + b"\nendcmap end end"
    )
    return stream(cmap)


def garbage_glyphs(pages: int = 1) -> bytes:
    """Text whose font maps letters to lone surrogates, a NUL and a C1 control."""
    cmap = 4 + 2 * pages
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % cmap
    body = show("ABC ABC plain words here", "BBB CCC")
    mapping = {0x41: "D800", 0x42: "0000", 0x43: "DC80", 0x20: "0020"}
    mapping |= {c: f"{c:04X}" for c in b"plainwordsher"}
    return text_pages([body] * pages, font=font, extra_objects=[cmap_stream(mapping)])


def flate_bomb(megabytes: int = 200) -> bytes:
    """One page whose content stream inflates to ``megabytes`` MB of spaces (a few hundred KB here)."""
    inflated = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(inflated.compress(chunk) for _ in range(megabytes)) + inflated.flush()
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Contents 5 0 R >>"
    )
    return build(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            HELVETICA,
            page,
            body,
        ]
    )


def long_line(megabytes: int = 10) -> bytes:
    """One page showing a single line of ``megabytes`` MB of words (compressed)."""
    words = b"council " * (megabytes * (1 << 20) // 8)
    return text_pages([b"BT /F1 11 Tf 50 800 Td (" + words + b") Tj ET"], compress=True)


def long_line_in_form(megabytes: int = 10) -> bytes:
    """A page that only draws a form (XObject) whose content is one line of ``megabytes`` MB."""
    words = zlib.compress(
        b"BT /F1 11 Tf 50 800 Td (" + b"council " * (megabytes * (1 << 20) // 8) + b") Tj ET", 9
    )
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Length %d /Filter /FlateDecode >>\nstream\n" % len(words) + words + b"\nendstream"
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>"
        b" /XObject << /Fm1 6 0 R >> >> /Contents 5 0 R >>"
    )
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", pages, HELVETICA, page, stream(b"q /Fm1 Do Q"), form])


def flate_bomb_in_form(megabytes: int = 200) -> bytes:
    """A page that only draws a form whose content inflates to ``megabytes`` MB of spaces."""
    inflated = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(inflated.compress(chunk) for _ in range(megabytes)) + inflated.flush()
    form = (
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
        b" /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    )
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>"
        b" /XObject << /Fm1 6 0 R >> >> /Contents 5 0 R >>"
    )
    pages = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", pages, HELVETICA, page, stream(b"q /Fm1 Do Q"), form])


def blank_pages(n: int = 3000) -> bytes:
    """``n`` pages with empty content streams (and one line of text on the first)."""
    return text_pages([show("Agenda")] + [b""] * (n - 1))


def outline_pdf(kind: str) -> bytes:
    """Three pages of text with a broken outline: ``deep`` (5,000 levels), ``cyclic`` or ``missing``."""
    pages = [show(f"Report {k} on the budget.") for k in range(3)]
    first = 4 + 2 * len(pages)  # the first outline object
    page_ref = b"4 0 R"
    if kind == "deep":
        depth = 5000
        items = [
            b"<< /Title (Level %d) /Parent %d 0 R /Dest [%s /Fit] /First %d 0 R /Last %d 0 R /Count 1 >>"
            % (k, first + k - 1, page_ref, first + k + 1, first + k + 1)
            if k < depth
            else b"<< /Title (Bottom) /Parent %d 0 R /Dest [%s /Fit] >>" % (first + k - 1, page_ref)
            for k in range(1, depth + 1)
        ]
        root = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first + 1, first + 1, depth)
    elif kind == "cyclic":
        a, b = first + 1, first + 2
        items = [
            b"<< /Title (A) /Parent %d 0 R /Dest [%s /Fit] /Next %d 0 R /Prev %d 0 R >>"
            % (first, page_ref, b, b),
            b"<< /Title (B) /Parent %d 0 R /Dest [%s /Fit] /Next %d 0 R /Prev %d 0 R /First %d 0 R >>"
            % (first, page_ref, a, a, a),
        ]
        root = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 2 >>" % (a, b)
    else:  # outline entries pointing at a page that is not there, and at no object at all
        items = [
            b"<< /Title (Ghost) /Parent %d 0 R /Dest [999 0 R /Fit] /Next %d 0 R >>" % (first, first + 2),
            b"<< /Title (Nowhere) /Parent %d 0 R /Dest [%d 0 R /Fit] /Prev %d 0 R >>"
            % (first, first, first + 1),
        ]
        root = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 2 >>" % (first + 1, first + 2)
    return text_pages(pages, outlines=b"%d 0 R" % first, extra_objects=[root, *items])


def corrupt_xref(data: bytes) -> bytes:
    """``data`` with every cross-reference offset, and the pointer to the table, wrong."""
    head, _, tail = data.rpartition(b"xref\n")
    lines = tail.split(b"\n")
    broken = [b"%010d 00000 n " % (int(line[:10]) + 7) if line.endswith(b" n ") else line for line in lines]
    return (head + b"xref\n" + b"\n".join(broken)).replace(b"startxref\n", b"startxref\n9")


def encrypted(user_password: str) -> bytes:
    """A small text PDF encrypted with AES-256 (owner password set; user password as given)."""
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pages([show("Budget Report", "The budget is set.")])))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def good() -> bytes:
    return text_pages(
        [show("Budget Report", "", f"1.{k} The council set its budget for the year.") for k in range(3)]
    )


# name -> (file name, a builder of its bytes (None: a directory), what ingest must do: an error class
# name or "ok"). Built when used, never committed.
CORPUS: dict[str, tuple[str, Callable[[], bytes] | None, str]] = {
    "zero bytes": ("empty.pdf", lambda: b"", "EmptyInputError"),
    "not a PDF": ("page.pdf", lambda: b"<html><body>404 Not Found</body></html>", "NotAPDFError"),
    "truncated": ("cut.pdf", lambda: good()[: len(good()) // 2], "CorruptPDFError"),
    "corrupt xref": ("xref.pdf", lambda: corrupt_xref(good()), "ok"),
    "encrypted, user password": ("locked.pdf", lambda: encrypted("secret"), "EncryptedPDFError"),
    "encrypted, no user password": ("open.pdf", lambda: encrypted(""), "ok"),
    "2,000 blank pages": ("blank.pdf", lambda: blank_pages(2000), "ok"),
    "10 MB text line": ("line.pdf", lambda: long_line(10), "PageTooLargeError"),
    "10 MB text line in a form": ("form.pdf", lambda: long_line_in_form(10), "PageTooLargeError"),
    "deep outline (5,000 levels)": ("deep.pdf", lambda: outline_pdf("deep"), "ok"),
    "cyclic outline": ("cyclic.pdf", lambda: outline_pdf("cyclic"), "ok"),
    "outline to missing pages": ("missing.pdf", lambda: outline_pdf("missing"), "ok"),
    "garbage glyphs (lone surrogates, NUL)": ("glyphs.pdf", garbage_glyphs, "ok"),
    "flate bomb (200 MB)": ("bomb.pdf", lambda: flate_bomb(200), "DecompressionBombError"),
    "flate bomb in a form (200 MB)": (
        "formbomb.pdf",
        lambda: flate_bomb_in_form(200),
        "DecompressionBombError",
    ),
    "Latin-1 text file": (
        "notes.txt",
        lambda: "Comité minutes: café budget £5m, naïve résumé.\n".encode("latin-1"),
        "ok",
    ),
    "a directory": ("folder.pdf", None, "InputNotFoundError"),
    "long Unicode file name": ("Réunion du comité " * 6 + "— ordre du jour.pdf", good, "ok"),
}


def make(folder: Path, name: str) -> Path:
    """Write corpus entry ``name`` into ``folder``; its path."""
    file_name, builder, _ = CORPUS[name]
    path = folder / file_name
    if builder is None:
        path.mkdir()
        (path / "readme.txt").write_text("not a pack", encoding="utf-8")
    else:
        path.write_bytes(builder())
    return path
