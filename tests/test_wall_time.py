"""What keeps a run's wall time near its critical path: the fake server measures the client, not
itself (its latency runs from each request's arrival; its answers stay short), and the model engine
does its own CPU work for the glossary while the items wait for the model.

All source text here is synthetic (written for these tests).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

import summarise
from summarise.engines.model import engine as model_engine
from summarise.engines.model.steps import ItemDraft
from summarise.engines.model.terms import PackTerms, pack_terms
from summarise.models.meeting import Meeting
from summarise.testing import FakeOpenAIServer, Source
from summarise.testing._reply import Settings as ReplySettings
from summarise.testing._reply import build_reply

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"
NOTES = [
    "[figure] The forecast revenue overspend is £23.3m, excluding schools (pages 12)",
    "[figure] Schools' delegated budgets are forecast to overspend by £30.4m (pages 12)",
    "[other] Pressures arise from school places and redundancy costs (pages 27)",
    "[recommendation] Cabinet is asked to note the capital underspend of £111.6m (pages 12)",
]


class _Waits:
    """Stands in for the server's stop event: records how long each answer was held."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def wait(self, seconds: float) -> bool:
        self.seconds.append(seconds)
        return False

    def is_set(self) -> bool:
        return False


def test_the_latency_runs_from_the_requests_arrival() -> None:
    """Time spent building an answer is part of the latency (a model reading its prompt), not
    added to it: otherwise a large request's answer came a second late, and the fake server's CPU
    was measured as if it were the client's."""
    server = FakeOpenAIServer(latency=1.0)
    waits = _Waits()
    server._stopping = waits  # type: ignore[assignment]
    assert server._work(1.0, since=time.monotonic() - 0.4)
    assert server._work(1.0, since=time.monotonic() - 2.0)  # built slower than the latency: no wait
    assert server._work(1.0)  # no arrival known: the whole latency
    assert len(waits.seconds) == 2
    assert 0.5 < waits.seconds[0] <= 0.6
    assert waits.seconds[1] == 1.0


def test_each_request_is_stamped_on_arrival_and_answer() -> None:
    with FakeOpenAIServer(latency=0.05) as server:
        summarise.summarise_pack(EXAMPLE, engine="llm", base_url=server.base_url, use_cache=False)
        requests = server.requests
    assert requests
    for r in requests:
        assert r.arrived_at is not None and r.answered_at is not None
        assert r.arrived_at <= r.received_at <= r.answered_at
        assert r.answered_at - r.arrived_at >= 0.05  # the latency is honoured from arrival


def _notes_request() -> bytes:
    source = "\n".join(f"- {n}" for n in NOTES)
    prompt = f"Agenda item 6: Budget monitoring\n\n<<<SOURCE\n{source}\nSOURCE>>>"
    body: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "messages": [
            {"role": "system", "content": "Summarise the agenda item from the notes."},
            {"role": "user", "content": prompt},
        ],
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "ItemDraft", "schema": ItemDraft.model_json_schema(), "strict": True},
        },
    }
    return json.dumps(body).encode()


def test_a_list_of_notes_is_answered_note_by_note() -> None:
    """The map step's notes travel as a list; the engine's sentence splitter joined its lines into
    one "sentence", which every paragraph of the answer then repeated: a summary longer than its
    source, cut off at the output cap and re-sent."""
    reply = build_reply(_notes_request(), "ok", ReplySettings())
    draft = ItemDraft.model_validate_json(json.loads(reply.body)["choices"][0]["message"]["content"])
    texts = [p.text for p in draft.paragraphs] + [k.text for k in draft.key_points]
    assert texts
    for text in texts:
        assert any(text in note for note in NOTES), text  # one note's line, never several
    assert reply.finish_reason == "stop"


def test_a_long_source_is_sampled_from_its_start_to_its_end() -> None:
    pages = [(n, f"Page {n} says the council will spend £{n},000 on item {n}. " * 40) for n in range(1, 201)]
    source = Source([(n, text) for n, text in pages])
    sampled = source.sampled(20_000)
    sample = sampled.text
    assert len(sample) <= 20_000 + 2 * len(sampled.segments)
    assert sampled.pages[0] == 1 and sampled.pages[-1] == 200 and len(sampled.pages) < 20
    assert "Page 1 says" in sample and "Page 200 says" in sample  # spread over the whole source
    assert "Page 100 says" not in sample or "Page 101 says" not in sample
    short = Source(pages[:3])
    assert short.sampled(20_000) is short


def test_the_pack_is_read_for_the_glossary_while_the_items_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once per meeting, in a worker thread, started when the items are planned: before the
    first answer comes back, not after the synopsis request has gone."""
    answered_when_read: list[int] = []
    server = FakeOpenAIServer(latency=0.5)

    def reading(meeting: Meeting) -> PackTerms:
        answered_when_read.append(sum(r.answered_at is not None for r in server.requests))
        return pack_terms(meeting)

    monkeypatch.setattr(model_engine, "pack_terms", reading)
    with server:
        summary = summarise.summarise_pack(EXAMPLE, engine="llm", base_url=server.base_url, use_cache=False)
    assert answered_when_read == [0]
    assert summary.items
