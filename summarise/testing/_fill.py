"""Fill a JSON Schema with values drawn from the source text.

Handles what OpenAI strict schemas and Pydantic emit: objects, arrays, strings,
numbers, integers, booleans, enums/const, ``anyOf``/``oneOf`` (nullable),
``allOf``, ``type`` lists and ``$ref`` into ``$defs``/``definitions``. Text
fields get key sentences from the offline engine; integer arrays named
``pages`` get the pages those sentences came from, so citations line up.
"""

from __future__ import annotations

import functools
import logging
import random
import re
from dataclasses import dataclass, field
from typing import Any

from summarise.testing._source import NO_SOURCE, Source, key_sentences

log = logging.getLogger(__name__)

MAX_DEPTH = 6
_ASKED = re.compile(r"\b(?:asked to|recommend|invited to|proposed that)", re.IGNORECASE)
_FIGURE = re.compile(r"[£$€]\s?\d|\d\s?%|\b\d[\d,.]*\s?(?:million|billion|m|bn|k)\b|\b\d{2,}\b")
POOL_SIZE = 24
POOL_CHARS = 12_000  # a longer source: its answer drawn from pages spread across it (Source.sampled)
_PEOPLE = {"name", "presenter", "speaker", "author", "officer"}
_SHORT_TEXT = {
    "title", "heading", "label", "role", "body", "venue", "presenter", "speaker", "subject",
    "topic", "author", "officer", "committee", "meeting", "decision_maker", "organisation",
}  # fmt: skip
_LONG_TEXT = {"synopsis", "summary", "overview", "abstract", "notes", "description", "text"}
_SEQUENTIAL = {"number", "id", "index", "item_number", "ref", "reference"}
_TERMS = {"term", "acronym", "abbreviation", "short_form"}
_DEFINITIONS = {"definition", "meaning", "expansion", "long_form", "explanation"}


@functools.lru_cache(maxsize=64)
def _key_pool(text: str) -> tuple[str, ...]:
    """Key sentences of a source; cached, as retries, re-asks and steps resend the same source."""
    return tuple(key_sentences(text, POOL_SIZE))


class SchemaError(ValueError):
    """The schema cannot be filled (bad $ref, unbounded recursion...)."""


@dataclass
class _Frame:
    sentences: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


def _is_pages(name: str) -> bool:
    low = name.lower()
    return low == "pages" or low.endswith("_pages") or low in {"page_numbers", "cited_pages"}


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


class SchemaFiller:
    """Builds one instance of a schema; deterministic for a given source and RNG."""

    def __init__(self, root: dict[str, Any], source: Source, rng: random.Random) -> None:
        self.root = root
        self.source = source = source.sampled(POOL_CHARS)  # a long source: pages spread across it
        self.rng = rng
        self._pool = list(_key_pool(source.text)) or [NO_SOURCE]
        self._cursor = 0
        self._acronyms = source.acronyms()
        self._acronym_cursor = 0
        self._names = source.names()
        self._name_cursor = 0
        self._frames: list[_Frame] = [_Frame()]

    # -- public -----------------------------------------------------------------
    def fill(self) -> Any:
        return self._value(self.root, "", 1, 0)

    def sentences(self, n: int) -> list[str]:
        return [self._next_sentence() for _ in range(n)]

    # -- schema plumbing -----------------------------------------------------------
    def _deref(self, ref: str) -> dict[str, Any]:
        if not ref.startswith("#"):
            raise SchemaError(f"only local $ref is supported, got {ref!r}")
        node: Any = self.root
        for part in [p for p in ref[1:].split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                raise SchemaError(f"$ref {ref!r} does not resolve")
            node = node[part]
        if not isinstance(node, dict):
            raise SchemaError(f"$ref {ref!r} is not a schema")
        return node

    def resolve(self, schema: Any) -> dict[str, Any]:
        if schema is True or schema is None:
            return {}
        if not isinstance(schema, dict):
            raise SchemaError(f"not a schema: {schema!r}")
        resolved: dict[str, Any] = schema
        seen = 0
        while "$ref" in resolved:
            seen += 1
            if seen > 32:
                raise SchemaError("$ref cycle")
            target = self._deref(str(resolved["$ref"]))
            resolved = {**target, **{k: v for k, v in resolved.items() if k != "$ref"}}
        return resolved

    def _merge_all_of(self, schema: dict[str, Any]) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            sub = self.resolve(part)
            if "allOf" in sub:
                sub = self._merge_all_of(sub)
            for key, value in sub.items():
                if key == "properties":
                    merged["properties"] = {**merged.get("properties", {}), **value}
                elif key == "required":
                    merged["required"] = sorted({*merged.get("required", []), *value})
                else:
                    merged.setdefault(key, value)
        return merged

    # -- values -------------------------------------------------------------------
    def _value(self, schema: Any, name: str, index: int, depth: int) -> Any:
        if depth > MAX_DEPTH * 4:
            raise SchemaError("schema nests too deeply (recursive without a way out?)")
        schema = self.resolve(schema)
        if "allOf" in schema:
            schema = self._merge_all_of(schema)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self._enum(schema["enum"])
        for key in ("anyOf", "oneOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                options = schema[key]
                real = [o for o in options if not _is_null(self.resolve(o))]
                if not real or (depth > MAX_DEPTH and len(real) < len(options)):
                    return None
                rest = {k: v for k, v in schema.items() if k != key}
                return self._value({**rest, **self.resolve(real[0])}, name, index, depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            real_types = [t for t in kind if t != "null"]
            if not real_types or (depth > MAX_DEPTH and "null" in kind):
                return None
            kind = real_types[0]
        if kind is None:
            if "properties" in schema or "additionalProperties" in schema:
                kind = "object"
            elif "items" in schema or "prefixItems" in schema:
                kind = "array"
            else:
                kind = "string"
        if kind == "object":
            return self._object(schema, index, depth)
        if kind == "array":
            return self._array(schema, name, depth)
        if kind == "string":
            return self._string(schema, name, index)
        if kind == "integer":
            return self._integer(schema, name, index)
        if kind == "number":
            return self._number(schema)
        if kind == "boolean":
            low = name.lower()
            return True if low.startswith(("has_", "is_")) else self.rng.random() < 0.5
        if kind == "null":
            return None
        raise SchemaError(f"unknown type {kind!r}")

    def _object(self, schema: dict[str, Any], index: int, depth: int) -> dict[str, Any]:
        props: dict[str, Any] = schema.get("properties") or {}
        frame = _Frame()
        self._frames.append(frame)
        try:
            # Text first, so that enums can describe it and pages can cite it.
            order = sorted(props, key=lambda n: self._order(n, props[n]))
            for prop in order:
                frame.values[prop] = self._value(props[prop], prop, index, depth + 1)
        finally:
            self._frames.pop()
        self._frames[-1].sentences.extend(frame.sentences)
        return {prop: frame.values[prop] for prop in props}

    def _order(self, name: str, schema: Any) -> int:
        if "page" in name.lower():
            return 2
        try:
            return 1 if "enum" in self.resolve(schema) else 0
        except SchemaError:
            return 0

    def _enum(self, options: list[Any]) -> Any:
        """A kind that fits the text beside it (a figure, a recommendation), else a seeded pick."""
        text = " ".join(v for v in self._frames[-1].values.values() if isinstance(v, str))
        if text:
            if "recommendation" in options and _ASKED.search(text):
                return "recommendation"
            if "figure" in options and _FIGURE.search(text):
                return "figure"
            if "other" in options:
                return "other"
        return self.rng.choice(options)

    def _count(self, schema: dict[str, Any], depth: int, default: tuple[int, int]) -> int:
        lo = int(schema.get("minItems", 0))
        hi = int(schema.get("maxItems", max(lo, default[1])))
        if depth > MAX_DEPTH:
            return lo
        want = self.rng.randint(*default)
        return max(lo, min(hi, want))

    def _array(self, schema: dict[str, Any], name: str, depth: int) -> list[Any]:
        items = self.resolve(schema.get("items", {})) if not isinstance(schema.get("items"), bool) else {}
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and prefix:
            return [self._value(s, name, i + 1, depth + 1) for i, s in enumerate(prefix)]
        if _is_pages(name) and items.get("type") in ("integer", "number", None):
            return self._pages(schema)
        enum = items.get("enum")
        n = self._count(schema, depth, (1, 3))
        if schema.get("uniqueItems") and isinstance(enum, list):
            return self.rng.sample(enum, min(n, len(enum)))
        # Elements are numbered from 1, so "number" fields inside them count up.
        return [self._value(items, _singular(name), i + 1, depth + 1) for i in range(n)]

    def _pages(self, schema: dict[str, Any]) -> list[int]:
        cited: list[int] = []
        for sentence in self._frames[-1].sentences:
            cited.extend(self.source.pages_of(sentence))
        pages = sorted(set(cited)) or self.source.pages[:1]
        lo = int(schema.get("minItems", 0))
        hi = int(schema.get("maxItems", max(len(pages), lo)))
        pages = pages[:hi]
        while len(pages) < lo:
            pages.append(pages[-1] + 1 if pages else 1)
        return pages

    # -- scalars ----------------------------------------------------------------------
    def _next_sentence(self) -> str:
        sentence = self._pool[self._cursor % len(self._pool)]
        self._cursor += 1
        self._frames[-1].sentences.append(sentence)
        return sentence

    def _string(self, schema: dict[str, Any], name: str, index: int) -> str:
        low = name.lower()
        fmt = schema.get("format")
        if fmt == "date" or (fmt is None and (low == "date" or low.endswith("_date"))):
            text = self.source.first_date() or "2026-01-01"
        elif fmt == "date-time":
            text = (self.source.first_date() or "2026-01-01") + "T10:00:00Z"
        elif fmt == "time":
            text = "10:00:00"
        elif fmt in ("uri", "url"):
            text = "https://example.invalid/source"
        elif fmt == "email":
            text = "clerk@example.invalid"
        elif low in _SEQUENTIAL:
            text = str(index)
        elif low in _TERMS:
            text = self._next_acronym()
        elif low in _DEFINITIONS:
            text = self._definition()
        elif low in _PEOPLE and self._names:
            text = self._names[self._name_cursor % len(self._names)]
            self._name_cursor += 1
        elif low in _SHORT_TEXT or low in _PEOPLE or low.endswith(("_title", "_name")):
            text = _short(self._next_sentence())
        elif low in _LONG_TEXT and low != "text":
            text = " ".join(self.sentences(2))
        else:
            text = self._next_sentence()
        return _fit(text, schema)

    def _next_acronym(self) -> str:
        if not self._acronyms:
            return _short(self._next_sentence(), 2)
        word = self._acronyms[self._acronym_cursor % len(self._acronyms)]
        self._acronym_cursor += 1
        return word

    def _definition(self) -> str:
        term = next((v for k, v in self._frames[-1].values.items() if k.lower() in _TERMS), None)
        if isinstance(term, str) and term:
            for sentence in self._pool:
                if term in sentence:
                    self._frames[-1].sentences.append(sentence)
                    return sentence
        return self._next_sentence()

    def _integer(self, schema: dict[str, Any], name: str, index: int) -> int:
        low = name.lower()
        lo, hi = _bounds(schema)
        if "page" in low:
            cited = [p for s in self._frames[-1].sentences for p in self.source.pages_of(s)]
            pages = cited or self.source.pages or [1]
            value = max(pages) if low.startswith("end") or low.startswith("last") else min(pages)
        elif low in _SEQUENTIAL or low in {"count", "position"}:
            value = index
        else:
            value = self.rng.randint(int(lo if lo is not None else 1), int(hi if hi is not None else 12))
        if lo is not None:
            value = max(value, int(lo))
        if hi is not None:
            value = min(value, int(hi))
        return value

    def _number(self, schema: dict[str, Any]) -> float:
        lo, hi = _bounds(schema)
        a = float(lo) if lo is not None else 0.0
        b = float(hi) if hi is not None else a + 100.0
        return round(self.rng.uniform(a, b), 2)


def _singular(name: str) -> str:
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _short(sentence: str, words: int = 8) -> str:
    return " ".join(sentence.split()[:words]).rstrip(".,;:")


def _fit(text: str, schema: dict[str, Any]) -> str:
    max_len = schema.get("maxLength")
    min_len = int(schema.get("minLength", 0))
    if isinstance(max_len, int) and len(text) > max_len:
        text = text[:max_len].rstrip() or text[:max_len]
    while len(text) < min_len:
        text = (text + " " + (text or "x")).strip()
    if isinstance(max_len, int):
        text = text[:max_len]
    return text


def _bounds(schema: dict[str, Any]) -> tuple[float | None, float | None]:
    lo = schema.get("minimum")
    hi = schema.get("maximum")
    if schema.get("exclusiveMinimum") is not None:
        lo = float(schema["exclusiveMinimum"]) + 1
    if schema.get("exclusiveMaximum") is not None:
        hi = float(schema["exclusiveMaximum"]) - 1
    return lo, hi


GENERIC_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "key_points": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 4},
        "pages": {"type": "array", "items": {"type": "integer"}},
    },
    "required": ["summary", "key_points", "pages"],
}
