"""Prompt files: loaded as data, filled by name, versioned by content hash.

Each step has one file, ``prompts/<name>.md``. Placeholders use
:class:`string.Template` syntax, ``$name`` or ``${name}``, so JSON examples
with braces need no escaping; a literal dollar sign is written ``$$``.

A file may hold a system part and a user part, separated by a line that is
exactly ``<!-- user -->``; without it, the whole file is the user message.

The packaged copies live in ``summarise/prompts/`` inside the wheel and in
the top-level ``prompts/`` folder of a source checkout. A user folder
(``--prompts DIR``) wins file by file: a prompt it lacks comes from the package.

>>> p = load_prompt("synopsis")
>>> len(p.version)
12
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import logging
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise.errors import PromptError

log = logging.getLogger(__name__)

_MARKER_LINE = re.compile(r"^[ \t]*<!-- user -->[ \t]*$", re.MULTILINE)


@functools.lru_cache(maxsize=1)
def packaged_prompts_dir() -> Path:
    """``summarise/prompts`` in an installed wheel, else the repository's ``prompts/``.

    Found once per process: every model call loads its prompt, and the lookup costs about 1 ms."""
    packaged = importlib.resources.files("summarise") / "prompts"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[3] / "prompts"  # summarise/engines/model/ -> repository
    if checkout.is_dir():
        return checkout
    raise PromptError("the packaged prompts are missing: reinstall summarise")


@dataclass(frozen=True)
class Prompt:
    """One prompt template. ``version`` is the first 12 hex digits of the sha256 of its text."""

    name: str
    text: str
    path: Path

    # Worked out once per template (every model call renders its prompt): the dataclass is frozen.
    @functools.cached_property
    def version(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]

    @functools.cached_property
    def placeholders(self) -> frozenset[str]:
        return frozenset(string.Template(self.text).get_identifiers())

    def _fill(self, values: dict[str, Any]) -> list[str]:
        missing = self.placeholders - values.keys()
        unknown = values.keys() - self.placeholders
        if missing or unknown:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(sorted(missing))}")
            if unknown:
                parts.append(f"unknown {', '.join(sorted(unknown))}")
            raise PromptError(f"prompt {self.name!r} ({self.path}): {'; '.join(parts)}")
        filled = {k: "(none)" if v is None else str(v) for k, v in values.items()}
        # Fill each part on its own, so a marker inside a value cannot move the split.
        return [part.substitute(filled).strip() for part in self._parts]

    @functools.cached_property
    def _parts(self) -> tuple[string.Template, ...]:
        """The system and user parts (or the user part alone), each a template of its own."""
        return tuple(string.Template(part) for part in _MARKER_LINE.split(self.text, maxsplit=1))

    def render(self, **values: Any) -> str:
        """The filled text, marker line removed. Every placeholder, and nothing else, is required."""
        return "\n\n".join(p for p in self._fill(values) if p) + "\n"

    def messages(self, **values: Any) -> list[dict[str, str]]:
        """Chat messages: a system message when the file has a system part, then the user message."""
        parts = self._fill(values)
        if len(parts) == 1:
            return [{"role": "user", "content": parts[0]}]
        system, user = parts
        out = [{"role": "system", "content": system}] if system else []
        out.append({"role": "user", "content": user})
        return out


def _read(name: str, folder: Path) -> Prompt | None:
    path = folder / f"{name}.md"
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    template = string.Template(text)
    if not template.is_valid():
        raise PromptError(f"prompt {name!r} ({path}): a '$' that is not a placeholder; write '$$'")
    return Prompt(name=name, text=text, path=path)


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, folder: Path, mtime_ns: int) -> Prompt | None:
    """``mtime_ns`` is only part of the cache key: an edited prompt file is read again."""
    return _read(name, folder)


def load_prompt(name: str, prompts_dir: str | Path | None = None) -> Prompt:
    """Load ``<name>.md`` from ``prompts_dir`` if it has it, else from the package."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise PromptError(f"bad prompt name {name!r}")
    folders: list[Path] = []
    if prompts_dir is not None:
        user = Path(prompts_dir).expanduser()
        if not user.is_dir():
            raise PromptError(f"prompts folder {user} does not exist")
        folders.append(user)
    folders.append(packaged_prompts_dir())
    for folder in folders:
        path = folder / f"{name}.md"
        if path.is_file():
            prompt = _load_cached(name, folder, path.stat().st_mtime_ns)
            if prompt is not None:
                if folder is not folders[-1]:
                    log.debug("prompt %s from %s", name, folder)
                return prompt
    raise PromptError(f"no prompt named {name!r} in {', '.join(str(f) for f in folders)}")


def prompt_names(prompts_dir: str | Path | None = None) -> list[str]:
    names = {p.stem for p in packaged_prompts_dir().glob("*.md")}
    if prompts_dir is not None and Path(prompts_dir).is_dir():
        names |= {p.stem for p in Path(prompts_dir).glob("*.md")}
    return sorted(names)


def prompt_versions(prompts_dir: str | Path | None = None) -> dict[str, str]:
    """``{name: version}`` for every prompt in use, for provenance and cache keys."""
    return {name: load_prompt(name, prompts_dir).version for name in prompt_names(prompts_dir)}
