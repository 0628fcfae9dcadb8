"""Model rows: summarise's model engine at a window, and the naive "stuff" baseline, on the fake server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openai

from bench.common import MODEL, Row, Served, Traffic, depth_of, ratio, served, traffic
from summarise.api import asummarise_meeting
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary
from summarise.settings import ModelPrice, Settings
from summarise.testing import FakeOpenAIServer
from summarise.text.tokens import count_tokens, offline_encoding

CONCURRENCY = 8
UNBOUNDED = 256  # concurrency for the run that measures the longest chain of dependent calls
STUFF_PROMPT = "Write a concise summary of the following council meeting papers, item by item:"


@dataclass(frozen=True)
class Setup:
    """What every model row shares: the pack, its source tokens, the server's speed."""

    meeting: Meeting
    source_tokens: int
    latency: float
    tokens_per_second: float | None

    def server(self) -> FakeOpenAIServer:
        return FakeOpenAIServer(seed=2, latency=self.latency, tokens_per_second=self.tokens_per_second)


def source_tokens(meeting: Meeting) -> int:
    """Tokens of the items' pages: the denominator of every input / source figure (as bench/windows.py)."""
    return sum(count_tokens(p.text) for item in meeting.items for p in meeting.item_pages(item))


def output_cap(window: int) -> int:
    return 2_048 if window <= 8_192 else 4_096


def settings_for(window: int, base_url: str, concurrency: int) -> Settings:
    return Settings(
        base_url=base_url,
        api_key="bench",
        model=MODEL,
        context_tokens=window,
        max_output_tokens=output_cap(window),
        concurrency=concurrency,
        use_cache=False,
        # The server's structured-output mode as a second run finds it: remembered per server in
        # the cache (engines/model/client.py), so no call probes it alone. A first run ever against
        # a server adds one latency to the chain for that probe.
        structured="json_schema",
        prices={MODEL: ModelPrice(input=0.15, output=0.60)},  # nominal (gpt-4o-mini's list price)
    )


def covered(meeting: Meeting, summary: MeetingSummary) -> tuple[int, int, int, int]:
    """Items and documents represented in the output: an item by text of its own (a note for an item
    without papers), a document by its title among the item's documents or a page of it cited."""
    by_number = {i.number: i for i in summary.items}
    items = docs = all_docs = 0
    for item in meeting.items:
        out = by_number.get(item.number)
        has_text = out is not None and bool(
            out.paragraphs or out.key_points or (out.note and not item.has_papers)
        )
        items += has_text
        for doc in item.documents:
            all_docs += 1
            if out is None:
                continue
            cited = {p for c in [*out.paragraphs, *out.key_points] for p in c.pages}
            named = any(doc.title.strip().lower() == t.strip().lower() for t in out.documents)
            docs += named or any(doc.start_page <= p <= doc.end_page for p in cited)
    return items, len(meeting.items), docs, all_docs


def summarise_run(setup: Setup, window: int, concurrency: int) -> tuple[MeetingSummary, Served, float]:
    """One run, the fake server in its own process (:func:`bench.common.served`): the summary,
    what the server saw, and the run's own wall time."""
    with served(setup.latency, setup.tokens_per_second) as (base_url, seen):
        start = time.perf_counter()
        summary = asyncio.run(
            asummarise_meeting(setup.meeting, "llm", settings=settings_for(window, base_url, concurrency))
        )
        wall = time.perf_counter() - start
    return summary, seen[0], wall


def rounds_bound(timeline: list[dict[str, Any]], concurrency: int) -> int:
    """Latencies a run of these requests needs at ``concurrency``: the items' calls in full rounds
    of ``concurrency``, then the synopsis and glossary (which read every item) side by side."""
    tail = sum(r["stage"].startswith(("Synopsis", "Glossary")) for r in timeline)
    return -(-(len(timeline) - tail) // concurrency) + (1 if tail else 0)


def summarise_row(setup: Setup, window: int) -> Row:
    """The model engine at ``window`` and concurrency 8. The critical path is the chain the requests
    need (:func:`planned_chain`) times the latency; a second run without a concurrency limit shows the
    chain the engine actually runs (its model phase in latencies), longer where it serialises calls."""
    summary, server, total = summarise_run(setup, window, CONCURRENCY)
    _, unbounded, _ = summarise_run(setup, window, UNBOUNDED)
    seen, depth = server.traffic, server.chain
    as_run = depth_of(unbounded.traffic.model_wall_s, setup.latency)
    critical = depth * setup.latency
    bound = max(depth, -(-seen.calls // CONCURRENCY)) * setup.latency  # the chain, or the calls / slots
    rounds = max(depth, rounds_bound(server.timeline, CONCURRENCY)) * setup.latency
    items, n_items, docs, n_docs = covered(setup.meeting, summary)
    return Row(
        name=f"summarise model, {window // 1000}k window",
        calls=seen.calls,
        input_tokens=seen.input_tokens,
        input_per_source=ratio(seen.input_tokens, setup.source_tokens),
        output_tokens=seen.output_tokens,
        wall_s=seen.model_wall_s,
        critical_path_s=critical,
        wall_per_critical=ratio(seen.model_wall_s, critical),
        coverage=f"{items}/{n_items}",
        note=f"docs {docs}/{n_docs}, fallbacks {len(summary.provenance.fallbacks)},"
        f" chain {depth} (as run: {as_run}), wall/max(chain, calls/8) {seen.model_wall_s / bound:.2f},"
        f" wall/rounds {seen.model_wall_s / rounds:.2f}",
        extra={
            "window": window,
            "stages": seen.stages,
            "depth": depth,
            "depth_as_run": as_run,
            "bound_s": bound,
            "wall_per_bound": ratio(seen.model_wall_s, bound),
            "rounds_s": rounds,
            "wall_per_rounds": ratio(seen.model_wall_s, rounds),
            "timeline": server.timeline,
            "server_cpu_s": server.cpu_s,
            "run_wall_s": total,
            "documents": f"{docs}/{n_docs}",
            "fallbacks": len(summary.provenance.fallbacks),
            "usage_cached_calls": summary.usage.cached_calls,
        },
    )


def page_text(meeting: Meeting, numbers: list[int] | None = None) -> list[tuple[int, str]]:
    """The pack's pages with text, as a PDF loader hands them to a peer (summarise's extraction)."""
    pages = [(p.number, p.text) for p in meeting.pages if p.text.strip()]
    return pages if numbers is None else [(n, t) for n, t in pages if n in numbers]


def read_coverage(meeting: Meeting, pages_sent: set[int]) -> str:
    """Peers answer in free text, so their coverage counts items whose pages reached the model at all."""
    with_papers = [i for i in meeting.items if i.has_papers]
    read = sum(1 for i in with_papers if pages_sent & {p.number for p in meeting.item_pages(i)})
    return f"{read}/{len(with_papers)} read"


def stuff_row(setup: Setup, window: int) -> Row:
    """The whole pack in one call, cut to what the window leaves after the prompt and the answer."""
    enc = offline_encoding()
    room = window - output_cap(window) - count_tokens(STUFF_PROMPT) - 64
    parts: list[str] = []
    sent: set[int] = set()
    used = 0
    for number, text in page_text(setup.meeting):
        block = f"[page {number}]\n{text}\n"
        tokens = enc.encode(block, disallowed_special=())
        if used + len(tokens) > room:
            parts.append(enc.decode(tokens[: max(room - used, 0)]))
            sent.add(number)
            break
        parts.append(block)
        sent.add(number)
        used += len(tokens)
    with setup.server() as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="bench", max_retries=0)
        client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": f"{STUFF_PROMPT}\n\n{''.join(parts)}"}],
            max_tokens=output_cap(window),
            temperature=0,
        )
        seen = traffic(server, setup.latency)
    return _peer_row(
        f'"stuff" baseline, {window // 1000}k', setup, seen, 1, read_coverage(setup.meeting, sent)
    )


def _peer_row(name: str, setup: Setup, seen: Traffic, depth: int, coverage: str, note: str = "") -> Row:
    critical = depth * setup.latency
    return Row(
        name=name,
        calls=seen.calls,
        input_tokens=seen.input_tokens,
        input_per_source=ratio(seen.input_tokens, setup.source_tokens),
        output_tokens=seen.output_tokens,
        wall_s=seen.model_wall_s,
        critical_path_s=critical,
        wall_per_critical=ratio(seen.model_wall_s, critical),
        coverage=coverage,
        note=note or f"chain {depth} calls",
        extra={"stages": seen.stages, "depth": depth},
    )


def guarded(name: str, build: Callable[[], Row]) -> Row:
    """A row whose failure is reported in the table rather than ending the run."""
    try:
        return build()
    except Exception as exc:
        return Row(name=name, status=f"failed: {type(exc).__name__}: {exc}"[:200])


peer_row = _peer_row
