"""What every bench row shares: the packs, a row record, and timing of a run against the fake server."""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarise.testing import FakeOpenAIServer, RecordedRequest
from summarise.text.tokens import chat_tokens

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT.parent / "shared" / "data" / "packs"
KENT = PACKS / "kent-cabinet-2025-01-30-reports-pack.pdf"
SAMPLE = ROOT / "examples" / "sample-pack.pdf"
MODEL = "summarise-fake"  # a name tiktoken does not know: the offline encoding, no download tried
NOT_INSTALLED = "not installed"


@dataclass
class Row:
    """One line of the table. Model rows fill calls..coverage; other rows put their figure in ``value``."""

    name: str
    status: str = "ok"  # "ok", NOT_INSTALLED, "skipped: why", "failed: why"
    calls: int | None = None
    input_per_source: float | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    wall_s: float | None = None
    critical_path_s: float | None = None
    wall_per_critical: float | None = None
    coverage: str | None = None  # "items represented/items"
    value: float | None = None
    unit: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Traffic:
    """What the server saw of one run: calls answered, input as a server counts it, output, model wall."""

    calls: int
    input_tokens: int
    output_tokens: int
    model_wall_s: float
    distinct: int
    stages: dict[str, int]


def traffic(server: FakeOpenAIServer, latency: float) -> Traffic:
    """Count the server's answered requests. The model phase runs from the first request to the last
    answer (its arrival plus the set latency), so ingest and verification are not in it."""
    answered = [r for r in server.requests if r.status == 200 and isinstance(r.body, dict)]
    sizes = [chat_tokens(r.body["messages"]) for r in answered]
    wall = model_wall(answered, latency)
    stages: dict[str, int] = {}
    for r in answered:
        fmt = r.body.get("response_format") or {}
        name = (fmt.get("json_schema") or {}).get("name") or fmt.get("type") or "text"
        stages[name] = stages.get(name, 0) + 1
    distinct = len({_canonical(r.body) for r in answered})
    return Traffic(len(answered), sum(sizes), server.stats.completion_tokens, wall, distinct, stages)


def model_wall(answered: list[RecordedRequest], latency: float) -> float:
    """From the first request's arrival to the last answer out (a server that does not stamp
    those: the last request's recording plus the latency)."""
    if not answered:
        return 0.0
    if all(r.arrived_at is not None and r.answered_at is not None for r in answered):
        return max(r.answered_at or 0.0 for r in answered) - min(r.arrived_at or 0.0 for r in answered)
    times = [r.received_at for r in answered]
    return max(times) + latency - min(times)


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True)


def depth_of(unbounded_wall_s: float, latency: float) -> int:
    """Dependent calls in the longest chain: the model-phase wall with no concurrency limit, in latencies."""
    return max(1, round(unbounded_wall_s / latency))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KB


def cpu_s() -> float:
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def fmt(value: float | int | None, spec: str = ".3f") -> str:
    if value is None:
        return "-"
    return f"{value:,}" if isinstance(value, int) else format(value, spec)


_ITEM = re.compile(r"^Agenda item (\S+?):", re.MULTILINE)
_PART = re.compile(r"^Part \d+ of (\d+)\b", re.MULTILINE)


def planned_chain(server: FakeOpenAIServer) -> int:
    """The longest chain of dependent calls the run's requests need: map -> condense rounds -> reduce
    for the longest item, then the synopsis and the glossary side by side (the engine asks them at
    once; a second glossary call for terms only the synopsis uses is not counted). Read from the requests
    (each names its agenda item, a notes call its "Part i of N"), not from the engine's scheduling."""
    items: dict[str, set[int]] = {}  # item -> chunk counts of its notes rounds, 0 for its summary call
    schemas: set[str] = set()
    for r in server.requests:
        if r.status != 200 or not isinstance(r.body, dict):
            continue
        fmt = r.body.get("response_format") or {}
        schemas.add(str((fmt.get("json_schema") or {}).get("name") or ""))
        text = "\n".join(str(m.get("content") or "") for m in r.body["messages"])
        item = _ITEM.search(text)
        if item is not None:
            part = _PART.search(text)
            items.setdefault(item.group(1), set()).add(int(part.group(1)) if part else 0)
    tail = max(any(s.startswith(prefix) for s in schemas) for prefix in ("Synopsis", "Glossary"))
    return max((len(rounds) for rounds in items.values()), default=0) + tail


def stage_of(body: dict[str, Any]) -> str:
    """The request's step, by the name of the schema it asks for (the response format's type else)."""
    fmt = body.get("response_format") or {}
    return str((fmt.get("json_schema") or {}).get("name") or fmt.get("type") or "text")


def timeline(server: FakeOpenAIServer) -> list[dict[str, Any]]:
    """Each answered request: its stage and item, when it arrived, when the server had built its
    answer (``built``) and when the answer went out, in seconds from the first arrival."""
    answered = [r for r in server.requests if r.status == 200 and isinstance(r.body, dict)]
    if not answered:
        return []
    start = min(r.arrived_at or r.received_at for r in answered)
    rows = []
    for r in answered:
        text = "\n".join(str(m.get("content") or "") for m in r.body["messages"])
        item = _ITEM.search(text)
        rows.append(
            {
                "stage": stage_of(r.body),
                "item": item.group(1) if item else "",
                "tokens": chat_tokens(r.body["messages"]),
                "arrived": round((r.arrived_at or r.received_at) - start, 3),
                "built": round(r.received_at - start, 3),
                "answered": None if r.answered_at is None else round(r.answered_at - start, 3),
            }
        )
    return rows


@dataclass(frozen=True)
class Served:
    """What a fake server saw of a run: its traffic, the chain of dependent calls the requests
    need (:func:`planned_chain`), when it ran in a process of its own, that process's CPU,
    and each request's times (:func:`timeline`)."""

    traffic: Traffic
    chain: int
    cpu_s: float | None
    timeline: list[dict[str, Any]] = field(default_factory=list)


def _warm(server: FakeOpenAIServer) -> None:
    """One structured request, then the counters zeroed: the server's first request loads its
    encoding and answer filler (about a second of CPU), which no run's figures should carry."""
    latency, server.latency = server.latency, 0.0
    schema = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    body = {
        "model": MODEL,
        "messages": [{"role": "user", "content": "Agenda item 1: warm-up.\n\nThe council met."}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "Warm", "schema": schema}},
    }
    request = urllib.request.Request(
        f"{server.base_url}/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
    server.reset()
    server.latency = latency


def _serve(latency: float, tokens_per_second: float | None) -> int:
    """The child side of :func:`served`: print the URL, serve until told to stop (a line on stdin,
    or its end), print what it saw."""
    with FakeOpenAIServer(seed=2, latency=latency, tokens_per_second=tokens_per_second) as server:
        _warm(server)
        print(server.base_url, flush=True)
        sys.stdin.readline()
        seen = {
            "traffic": asdict(traffic(server, latency)),
            "chain": planned_chain(server),
            "cpu_s": cpu_s(),
            "timeline": timeline(server),
        }
        print(json.dumps(seen), flush=True)
    return 0


@contextmanager
def served(
    latency: float, tokens_per_second: float | None = None, *, own_process: bool = True
) -> Iterator[tuple[str, list[Served]]]:
    """A fake server's URL; on leaving, what it saw goes into the yielded list.

    ``own_process``: the server runs in a child process, so its CPU (parsing, counting, filling
    answers from the source) does not hold this process's interpreter lock while the client under
    test prepares its next request; in-process, sends were spread and stamped late by it."""
    seen: list[Served] = []
    if not own_process:
        with FakeOpenAIServer(seed=2, latency=latency, tokens_per_second=tokens_per_second) as server:
            yield server.base_url, seen
            seen.append(Served(traffic(server, latency), planned_chain(server), None, timeline(server)))
        return
    command = [sys.executable, "-m", "bench.common", "--latency", str(latency)]
    if tokens_per_second is not None:
        command += ["--tokens-per-second", str(tokens_per_second)]
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdin is not None and child.stdout is not None
    try:
        yield child.stdout.readline().strip(), seen
        # a line, not EOF: worker processes forked meanwhile (ingest's pool) hold the pipe open
        child.stdin.write("stop\n")
        child.stdin.flush()
        got = json.loads(child.stdout.readline())
        seen.append(Served(Traffic(**got["traffic"]), got["chain"], got["cpu_s"], got["timeline"]))
    except BaseException:
        child.kill()
        raise
    finally:
        child.wait(timeout=60)


if __name__ == "__main__":
    _parser = argparse.ArgumentParser(description="a fake server for one bench run (see served)")
    _parser.add_argument("--latency", type=float, default=0.0)
    _parser.add_argument("--tokens-per-second", type=float, default=None)
    _args = _parser.parse_args()
    raise SystemExit(_serve(_args.latency, _args.tokens_per_second))
