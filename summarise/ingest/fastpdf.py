"""A faster content-stream parser for pypdf, with exactly pypdf's output.

pypdf parses page content streams one byte at a time
(``ContentStream._parse_content_stream``); on a large report pack that is about
half of ``extract_text``'s time. This module tokenizes the stream with one
regular expression and builds the same ``operations`` list pypdf would: the
same ``(operands, operator)`` pairs, the same pypdf object types and values.

Anything it does not reproduce exactly (inline images, comments inside
dictionaries, malformed numbers, unknown string escapes, stray delimiters,
anything pypdf would warn about or reject, streams near pypdf's parsing limits)
makes it hand that stream to pypdf's own parser, so the result is never
different, only sometimes not faster.

It only installs on the pypdf versions it was checked against
(:data:`SUPPORTED_PYPDF`); elsewhere :func:`install` is a no-op returning False.

    >>> from summarise import fastpdf
    >>> with fastpdf.installed():
    ...     text = reader.pages[0].extract_text()  # doctest: +SKIP
"""

from __future__ import annotations

import binascii
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from io import BytesIO
from typing import Any

import pypdf
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
    create_string_object,
)

try:  # pypdf internals this parser mirrors; another release may not have them
    from pypdf._configuration import get_configuration
    from pypdf.generic._data_structures import IndirectPattern
except ImportError:  # pragma: no cover - supported() is then False and nothing is patched
    _HAVE_INTERNALS = False
else:
    _HAVE_INTERNALS = True

log = logging.getLogger(__name__)

SUPPORTED_PYPDF = ("7.1.",)  # the parser mirrors this release's ContentStream and read_object

_ParseFn = Callable[[ContentStream, Any], None]
_ORIGINAL: _ParseFn = ContentStream._parse_content_stream

# pypdf's token rules, restated as one pattern whose only group is the token.
# Whitespace between tokens is read_non_whitespace's set (NUL, TAB, LF, FF, CR,
# SP; not VT). Operators and names end at NameObject.delimiter_pattern (\s or
# one of ()<>[]{}/%); a number is the whole run of pypdf's number characters
# [+,-.0-9]. Length bounds stay well inside pypdf's read limits (operators
# ~112 bytes, numbers 48, names ~4000). Whatever matches none of these takes
# the rest of the stream as one last token, which then fails _SINGLE.
_WS = rb"[\x00\t\n\f\r ]"
_REGULAR = rb"[^\s()<>\[\]{}/%]"
_NOT_NUMBER = rb"(?![+,\-.0-9])"
_SINGLE_TOKENS = (
    rb"[A-Za-z'\"]" + _REGULAR + rb"{0,99}+(?!" + _REGULAR + rb")",  # operator; true/false/null in [] <<>>
    rb"[+\-]?[0-9]{1,30}+" + _NOT_NUMBER,  # integer
    rb"[+\-]?(?:[0-9]{1,20}+\.[0-9]{0,20}+|\.[0-9]{1,30}+)" + _NOT_NUMBER,  # real
    rb"/" + _REGULAR + rb"{0,1999}+(?!" + _REGULAR + rb")",  # name
    rb"\((?:[^()\\]++|\\.|\((?:[^()\\]++|\\.)*+\))*+\)",  # string: escapes, one level of nested ()
    rb"\[|\]|<<|>>",
    rb"<[0-9A-Fa-f\x00\t\n\f\r ]*+>",  # hex string
    rb"%[^\r\n]*+[\r\n]?",  # comment
)
_SINGLE = re.compile(b"|".join(_SINGLE_TOKENS), re.DOTALL)
_TOKENS = re.compile(_WS + rb"*+(" + b"|".join(_SINGLE_TOKENS) + rb"|[^\x00\t\n\f\r ].*)", re.DOTALL)
_STREAM_AFTER_DICT = re.compile(rb">>" + _WS + rb"*+stream")  # pypdf would read stream data
_HEX_WHITESPACE = b"\x00\t\n\f\r "

# What a token is, by its first byte.
_OPERATOR, _NUMBER, _NAME, _STRING, _OPEN_ARRAY, _CLOSE_ARRAY, _ANGLE, _CLOSE_DICT, _COMMENT = range(1, 10)
_KIND = [0] * 256
for _c in b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'\"":
    _KIND[_c] = _OPERATOR
for _c in b"+-.0123456789":
    _KIND[_c] = _NUMBER
_KIND[ord("/")] = _NAME
_KIND[ord("(")] = _STRING
_KIND[ord("[")] = _OPEN_ARRAY
_KIND[ord("]")] = _CLOSE_ARRAY
_KIND[ord("<")] = _ANGLE
_KIND[ord(">")] = _CLOSE_DICT
_KIND[ord("%")] = _COMMENT

# read_string_from_stream's escapes (pypdf.generic._utils.__ESCAPE_DICT__).
_ESCAPES: dict[int, int] = {
    ord(k): ord(v)
    for k, v in {
        "n": "\n",
        "r": "\r",
        "t": "\t",
        "b": "\b",
        "f": "\f",
        "(": "(",
        ")": ")",
        "/": "/",
        "\\": "\\",
        " ": " ",
        "%": "%",
        "<": "<",
        ">": ">",
        "[": "[",
        "]": "]",
        "#": "#",
        "_": "_",
        "&": "&",
        "$": "$",
    }.items()
}
_BACKSLASH = 0x5C
_OCTAL = range(0x30, 0x38)
_EOL = (0x0A, 0x0D)

_state: dict[str, bool] = {"installed": False}


class _Unsupported(Exception):
    """The stream holds something only pypdf's own parser reproduces exactly."""


def supported() -> bool:
    """True when the installed pypdf is one this parser was checked against."""
    return _HAVE_INTERNALS and pypdf.__version__.startswith(SUPPORTED_PYPDF)


def install() -> bool:
    """Make ``ContentStream`` parse with :func:`parse_operations`; True if it now does.

    Process-wide and idempotent. Returns False (and changes nothing) on a pypdf
    version this module does not know.
    """
    if _state["installed"]:
        return True
    if not supported():
        log.debug("pypdf %s: fast content-stream parser not installed", pypdf.__version__)
        return False
    ContentStream._parse_content_stream = _parse_content_stream  # type: ignore[method-assign]
    _state["installed"] = True
    return True


def uninstall() -> None:
    """Restore pypdf's own parser."""
    ContentStream._parse_content_stream = _ORIGINAL  # type: ignore[method-assign,assignment]
    _state["installed"] = False


def is_installed() -> bool:
    return _state["installed"]


@contextmanager
def installed() -> Iterator[bool]:
    """Install for the duration of the block; leaves an earlier :func:`install` in place."""
    already = _state["installed"]
    active = install()
    try:
        yield active
    finally:
        if active and not already:
            uninstall()


class StreamTooLargeError(Exception):
    """A content stream (a page's, or a form's it draws) is over :data:`MAX_STREAM_BYTES`."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(f"a content stream of {size / 2**20:.1f} MB")


def take_oversized() -> int | None:
    """The size of the largest stream refused since the last call (pypdf hides a form's error)."""
    size = max(_oversized, default=None)
    _oversized.clear()
    return size


_oversized: list[int] = []

# Above this no stream is parsed, by this parser or pypdf's: ingest turns the error into its
# PageTooLargeError (summarise.ingest.limits). Forms drawn by a page are bounded here too.
MAX_STREAM_BYTES = 8 * 1024 * 1024


def _parse_content_stream(self: ContentStream, stream: Any) -> None:
    """Drop-in for ``ContentStream._parse_content_stream``."""
    if isinstance(stream, BytesIO):
        data = stream.getvalue()
    else:
        stream.seek(0, 0)
        data = stream.read()
    if len(data) > MAX_STREAM_BYTES:
        _oversized.append(len(data))  # pypdf swallows the error a form's stream raises
        raise StreamTooLargeError(len(data))
    operations = parse_operations(data, self.forced_encoding)
    if operations is None:
        _ORIGINAL(self, stream)
    else:
        self._operations.extend(operations)


def parse_operations(data: bytes, forced_encoding: Any = None) -> list[tuple[Any, bytes]] | None:
    """The operations pypdf would parse from ``data``, or None where only pypdf can tell."""
    if not _HAVE_INTERNALS:
        return None
    config = get_configuration()
    # Every unit of pypdf's parsing budget is a token of at least one byte, so a
    # shorter stream cannot exhaust it.
    if len(data) >= config.stream_parsing_work_maximum_count or _may_hold_reference(data):
        return None
    if b"stream" in data and _STREAM_AFTER_DICT.search(data):
        return None
    try:
        return _build(
            _TOKENS.findall(data),
            forced_encoding,
            config.array_maximum_element_count,
            config.dictionary_maximum_element_count,
        )
    except _Unsupported:
        return None
    except Exception:  # a gap in this parser must never cost a page: pypdf's parser decides
        log.debug("fast content-stream parser failed; using pypdf's", exc_info=True)
        return None


_R_THEN_NON_LETTER = re.compile(rb"R[^a-zA-Z]")


def _may_hold_reference(data: bytes) -> bool:
    """Whether pypdf could read ``n g R`` at a number (it asserts, having no file to resolve it).

    pypdf matches IndirectPattern against the next 20 bytes, so a match ends
    with ``R`` and one more byte, within 20 bytes of its start.
    """
    for m in _R_THEN_NON_LETTER.finditer(data):
        end = m.end()
        if IndirectPattern.search(data, max(0, end - 21), end):
            return True
    return False


def _build(
    tokens: list[bytes], forced_encoding: Any, array_max: int, dict_max: int
) -> list[tuple[Any, bytes]]:
    if tokens and not _SINGLE.fullmatch(tokens[-1]):
        raise _Unsupported  # the rest of the stream, from something unrecognised on
    # Text extraction reads with forced_encoding "bytes": every string is then a ByteStringObject.
    to_string: Callable[[bytes], Any] = (
        ByteStringObject
        if forced_encoding == "bytes"
        else partial(create_string_object, forced_encoding=forced_encoding)
    )
    kinds = _KIND
    names: dict[bytes, str] = {}
    numbers: dict[bytes, int | float] = {}
    operations: list[tuple[Any, bytes]] = []
    operands: list[Any] = []
    cur: list[Any] = operands  # where the next value goes: operands, an array or a dict's items
    in_dict = False
    stack: list[tuple[list[Any], bool]] = []
    new_int = int.__new__
    new_float = float.__new__
    for token in tokens:
        kind = kinds[token[0]]
        if kind == _NUMBER:  # as read_object: a real if it has a dot (the pattern admits valid ones only)
            number = numbers.get(token)
            if number is None:
                number = numbers[token] = float(token) if b"." in token else int(token)
            cur.append(
                new_float(FloatObject, number) if type(number) is float else new_int(NumberObject, number)
            )
        elif kind == _OPERATOR:
            if not stack:
                if token == b"BI":
                    raise _Unsupported  # inline image
                operations.append((operands, token))
                operands = cur = []
            elif token == b"true":
                cur.append(BooleanObject(True))
            elif token == b"false":
                cur.append(BooleanObject(False))
            elif token == b"null":
                cur.append(NullObject())
            else:
                raise _Unsupported
        elif kind == _NAME:
            text = names.get(token)
            if text is None:
                text = names[token] = _name_text(token)
            cur.append(NameObject(text))
        elif kind == _STRING:
            body = token[1:-1]
            cur.append(to_string(_unescape(body) if b"\\" in body else body))
        elif kind == _OPEN_ARRAY:
            stack.append((cur, in_dict))
            cur = ArrayObject()
            in_dict = False
        elif kind == _CLOSE_ARRAY:
            if not stack or in_dict or len(cur) > array_max:
                raise _Unsupported
            done: Any = cur
            cur, in_dict = stack.pop()
            cur.append(done)
        elif kind == _ANGLE:
            if token == b"<<":
                stack.append((cur, in_dict))
                cur = []
                in_dict = True
            else:
                digits = token[1:-1].translate(None, _HEX_WHITESPACE)
                if len(digits) % 2:
                    digits += b"0"
                cur.append(to_string(binascii.unhexlify(digits)))
        elif kind == _CLOSE_DICT:
            if not in_dict:
                raise _Unsupported
            done = _dictionary(cur, dict_max)
            cur, in_dict = stack.pop()
            cur.append(done)
        elif kind == _COMMENT:
            # pypdf skips comments between operations and array elements (an
            # unterminated one in an array is an error); dictionaries differ.
            if in_dict or (stack and token[-1] not in _EOL):
                raise _Unsupported
        else:
            raise _Unsupported
    if stack:
        raise _Unsupported  # pypdf closes an array cut off by the end of the stream
    return operations


def _name_text(raw: bytes) -> str:
    """NameObject.read_from_stream's decoding: #xx escapes, then the first charset that fits."""
    unescaped = NameObject.unnumber(raw)
    for encoding in NameObject.CHARSETS:
        try:
            return unescaped.decode(encoding)
        except Exception:  # pypdf tries each charset in turn
            continue
    raise _Unsupported  # pypdf would warn or raise


def _unescape(raw: bytes) -> bytes:
    """The bytes of a literal string's body, decoded as read_string_from_stream does."""
    out = bytearray()
    n = len(raw)
    i = 0
    while True:
        j = raw.find(b"\\", i)
        if j < 0:
            out += raw[i:]
            return bytes(out)
        out += raw[i:j]
        c = raw[j + 1]  # the token pattern guarantees a byte after every backslash
        escaped = _ESCAPES.get(c)
        if escaped is not None:
            out.append(escaped)
            i = j + 2
        elif c in _OCTAL:
            k = j + 2
            while k < n and k < j + 4 and raw[k] in _OCTAL:
                k += 1
            value = int(raw[j + 1 : k], 8)
            if value > 255:  # pypdf keeps the backslash and rereads the digits as text
                out.append(_BACKSLASH)
                i = j + 1
            else:
                out.append(value)
                i = k
        elif c in _EOL:  # line continuation: pypdf swallows one more CR or LF
            i = j + 3 if j + 2 < n and raw[j + 2] in _EOL else j + 2
        else:
            raise _Unsupported  # pypdf warns about an unknown escape
    # unreachable


def _dictionary(items: list[Any], limit: int) -> DictionaryObject:
    """DictionaryObject.read_from_stream's result for alternating keys and values."""
    if len(items) % 2 or len(items) // 2 > limit:
        raise _Unsupported
    data: dict[Any, Any] = {}
    for key, value in zip(items[0::2], items[1::2], strict=True):
        if type(key) is not NameObject or key in data:  # pypdf warns and recovers
            raise _Unsupported
        data[key] = value
    result = DictionaryObject()
    result.update(data)
    return result
