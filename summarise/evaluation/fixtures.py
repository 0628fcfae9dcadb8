"""The fixture meetings ``summarise eval`` scores: a ``meeting.toml`` and an optional reference each.

A fixtures folder holds one folder per meeting::

    FIXTURES/
      <meeting>/meeting.toml        packs = ["../../examples/sample-pack.pdf"]; reference = "reference.md"
      <meeting>/reference.md        optional; "## 4 ..." headings give per-item references
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from summarise.errors import ConfigurationError
from summarise.evaluation.metrics import WHOLE

MANIFEST = "meeting.toml"
_HEADING = re.compile(r"^#{1,4}[ \t]*(?:item[ \t]+)?([0-9]+[a-z]?|[ivxlc]+)\b[.:)]?[ \t]*(.*)$", re.I | re.M)


@dataclass(frozen=True)
class MeetingFixture:
    """One meeting to evaluate: its pack files and optional references (item number or ``*``)."""

    name: str
    packs: tuple[Path, ...]
    references: Mapping[str, str] = field(default_factory=dict)


def parse_reference(text: str) -> dict[str, str]:
    """Split a Markdown reference by ``## <item number>`` headings; no headings: one whole reference."""
    heads = list(_HEADING.finditer(text))
    if not heads:
        return {WHOLE: text.strip()} if text.strip() else {}
    out: dict[str, str] = {}
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)].strip()
        if body:
            out[head.group(1)] = body
    return out


def load_fixture(folder: Path) -> MeetingFixture:
    manifest = folder / MANIFEST
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigurationError(f"{manifest}: cannot read the manifest ({exc})") from None
    packs = data.get("packs")
    if isinstance(packs, str):
        packs = [packs]
    if not packs or not all(isinstance(p, str) for p in packs):
        raise ConfigurationError(f'{manifest}: give packs = ["path/to/pack.pdf", ...]')
    paths = tuple((folder / p).resolve() for p in packs)
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise ConfigurationError(f"{manifest}: pack file(s) not found: {', '.join(missing)}")
    references: dict[str, str] = {}
    ref = data.get("reference")
    if ref is not None:
        ref_path = folder / str(ref)
        if not ref_path.is_file():
            raise ConfigurationError(f"{manifest}: reference {ref_path} not found")
        references = parse_reference(ref_path.read_text(encoding="utf-8"))
    return MeetingFixture(name=str(data.get("name") or folder.name), packs=paths, references=references)


def load_fixtures(fixtures: Path) -> list[MeetingFixture]:
    """Every ``<meeting>/meeting.toml`` under ``fixtures``, by name."""
    if not fixtures.is_dir():
        raise ConfigurationError(f"{fixtures}: not a folder of evaluation fixtures")
    found = [load_fixture(m.parent) for m in sorted(fixtures.glob(f"*/{MANIFEST}"))]
    if not found:
        raise ConfigurationError(f"{fixtures}: no <meeting>/{MANIFEST} found")
    return found
