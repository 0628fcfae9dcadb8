"""Escape pack and model text for Markdown, so only the renderer's own markup is live.

Every word in a summary comes from a public pack or a model, and summaries are published, so text
is treated as hostile: CommonMark must read it as plain text. :func:`md_text` puts it on one line
(no forged headings, footnote definitions, lists or block quotes), backslash-escapes each character
that opens inline markup (HTML, links, autolinks, emphasis, code, entities), escapes block markers
at the start of the line, and then restores only the footnote references the summary itself defines.

>>> print(md_text("<script>x</script> [a](javascript:y) *b*"))
\\<script>x\\</script> \\[a\\](javascript:y) \\*b\\*
>>> print(md_text("[^2]: forged\\n# heading", known={2}))
\\[^2]: forged \\# heading
>>> md_text("Uses HRA[^1].", known={1})
'Uses HRA[^1].'
"""

from __future__ import annotations

import re
from collections.abc import Container

# Inline markup openers: HTML and autolinks (<), links and images ([ ]), emphasis and code (* _ `),
# heading marks (#, also a closing sequence), strikethrough and tables (~ |, common extensions) and
# the escape itself.
_INLINE = re.compile(r"([\\`*_\[\]<#~|])")
# Entity and numeric character references ("&lt;", "&#60;") would decode to markup characters.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# Anything that ends a line in CommonMark or in a browser's eyes, and other control characters.
_BREAKS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\r\n\t\u0085\u2028\u2029]+")
# Block markers at the start of a line: headings, block quotes, list items, thematic breaks,
# setext underlines, ordered list items ("1." / "1)") and indented code (leading spaces).
_BLOCK_START = re.compile(r"^([>+\-=]|\d{1,9}(?=[.)]))")
_FOOTNOTE_REF = re.compile(r"\\\[\^(\d+)\\\]")
_DEFINITION = re.compile(r"\[\^\d+\]:")


def one_line(text: str) -> str:
    """``text`` with every line break and control character turned into a single space."""
    return _BREAKS.sub(" ", text).strip()


def md_text(text: str, known: Container[int] = (), *, line_start: bool = True) -> str:
    """``text`` as literal Markdown inline content; ``[^N]`` stays a reference only when N is ``known``.

    ``line_start=False`` for text that follows the renderer's own marker on its line (a heading),
    where "1." cannot start a list.
    """
    flat = one_line(text)
    escaped = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", flat))
    if line_start:
        escaped = _escape_block_start(escaped)

    def keep(m: re.Match[str]) -> str:
        return f"[^{m.group(1)}]" if int(m.group(1)) in known else m.group(0)

    escaped = _FOOTNOTE_REF.sub(keep, escaped)
    if line_start and _DEFINITION.match(escaped):  # "[^2]: ..." at a line start defines a footnote
        escaped = f"\\{escaped}"
    return escaped


def _escape_block_start(text: str) -> str:
    m = _BLOCK_START.match(text)
    if not m:
        return text
    if m.group(1)[0].isdigit():  # "1." -> "1\." : the number stays, the list marker goes
        end = m.end()
        return f"{text[:end]}\\{text[end:]}"
    return f"\\{text}"
