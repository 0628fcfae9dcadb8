"""Hand-built PDFs for the bad-input corpus (tests only): each made at test time, none committed.

:func:`build` writes a PDF from numbered objects with a correct cross-reference table, so a test
can break exactly one thing (a stream, the outline, the xref) and nothing else.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

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
