"""Which recording replays a fixture meeting, and what to say when one cannot.

Recorded model responses sit beside the fixtures::

    FIXTURES/
      cassettes/<meeting>/<prompt-set>.yaml   recorded model responses (vcrpy)
      cassettes/<meeting>/<prompt-set>.json   prompt versions and settings they were recorded with

``<prompt-set>`` is a hash of every prompt's version, so a prompt change is caught
before any call by comparing the prompt versions with the ones recorded; the
error names the prompt, its old and new hash, and says to re-record with
``--record``. How vcrpy records and matches is :mod:`summarise.evaluation.recordings`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from summarise._version import __version__
from summarise.errors import CassetteMissError, ConfigurationError

log = logging.getLogger(__name__)

CASSETTES = "cassettes"


def record_hint(fixtures: Path, rerun: Sequence[str] | None = None) -> str:
    """What to run to re-record: the user's own ``summarise eval`` arguments, plus ``--record``."""
    args = [a for a in rerun or [] if a != "--record"] or [str(fixtures)]
    return (
        f"re-record the fixtures with `summarise eval {shlex.join(args)} --record` "
        "(needs OPENAI_API_KEY or --base-url; never in CI)"
    )


def prompt_set_hash(versions: Mapping[str, str]) -> str:
    """One hash for the whole set of prompt versions: the name of its cassettes."""
    text = json.dumps(dict(sorted(versions.items())), separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Recording:
    """What a cassette was recorded with. Replay reuses ``settings`` so request bodies match."""

    cassette: Path
    prompt_versions: dict[str, str]
    settings: dict[str, Any]
    recorded_at: str
    synthetic: bool

    @property
    def prompt_set(self) -> str:
        return prompt_set_hash(self.prompt_versions)

    def to_json(self) -> str:
        data = {
            "prompt_set": self.prompt_set,
            "prompt_versions": self.prompt_versions,
            "settings": self.settings,
            "recorded_at": self.recorded_at,
            "synthetic": self.synthetic,
            "library_version": __version__,
        }
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def load(cls, record: Path) -> Recording:
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            return cls(
                cassette=record.with_suffix(".yaml"),
                prompt_versions=dict(data["prompt_versions"]),
                settings=dict(data["settings"]),
                recorded_at=str(data["recorded_at"]),
                synthetic=bool(data.get("synthetic", False)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"{record}: not a recording record ({exc})") from None


def cassette_folder(fixtures: Path, meeting: str) -> Path:
    return fixtures / CASSETTES / meeting


def describe_prompt_changes(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """``prompt 'x' changed: old -> new`` lines (and added/removed prompts)."""
    lines = []
    for name in sorted(set(old) | set(new)):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        if before is None:
            lines.append(f"prompt {name!r} added ({after})")
        elif after is None:
            lines.append(f"prompt {name!r} removed (was {before})")
        else:
            lines.append(f"prompt {name!r} changed: {before} -> {after}")
    return lines


def find_recording(
    fixtures: Path, meeting: str, versions: Mapping[str, str], rerun: Sequence[str] | None = None
) -> Recording:
    """The recording made with these prompt versions, or CassetteMissError saying what changed.

    A recording made before a prompt was *added* still serves: none of its requests used it.
    """
    folder = cassette_folder(fixtures, meeting)
    current = prompt_set_hash(versions)
    record = folder / f"{current}.json"
    if record.is_file() and record.with_suffix(".yaml").is_file():
        return Recording.load(record)
    recordings = [
        Recording.load(p) for p in sorted(folder.glob("*.json")) if p.with_suffix(".yaml").is_file()
    ]
    if not recordings:
        raise CassetteMissError(
            f"meeting {meeting!r}: no recorded model responses in {folder}; {record_hint(fixtures, rerun)}",
            details={"meeting": meeting, "prompt_set": current},
        )
    latest = max(recordings, key=lambda r: r.recorded_at)
    if all(versions.get(name) == version for name, version in latest.prompt_versions.items()):
        # Only new prompts since recording: the recorded requests still hold, and a new prompt that
        # the pipeline now sends would miss in replay and be reported then.
        log.info("meeting %s: prompts added since recording; replaying %s", meeting, latest.cassette)
        return latest
    changes = describe_prompt_changes(latest.prompt_versions, versions)
    raise CassetteMissError(
        f"meeting {meeting!r}: the prompts changed since the fixtures were recorded "
        f"(prompt set {latest.prompt_set} -> {current}), so the recorded requests would miss: "
        f"{'; '.join(changes)}. The fixtures need re-recording: {record_hint(fixtures, rerun)}",
        details={
            "meeting": meeting,
            "recorded": latest.prompt_versions,
            "current": dict(versions),
            "changes": changes,
        },
    )


def require_vcr() -> None:
    """Replay and recording need vcrpy, from the ``eval`` extra."""
    try:
        import vcr  # noqa: F401, PLC0415 - optional dependency, eval extra
    except ImportError:
        raise ConfigurationError(
            "summarise eval replays cassettes with vcrpy: pip install 'summarise[eval]'"
        ) from None


def describe_missed_request(miss: BaseException) -> str:
    """The opening of the request the cassette lacks: enough to tell which call and what changed."""
    request = getattr(miss, "failed_request", None)
    body = getattr(request, "body", None)
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        messages = json.loads(text)["messages"]
        user = str(messages[-1]["content"])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return "a request"
    lines = [line.strip() for line in user.splitlines() if line.strip()][:2]
    return "the request starting " + repr(" / ".join(lines)[:160])
