"""Token economy and window safety of the model engine at several context windows.

    python bench/windows.py [PACK] [--windows 8192,16384,32768,128000]

Runs the model engine over one pack (default: the Kent cabinet pack in ../shared/data) against the
local fake server (synthetic answers, no cache) and prints, per window: calls, input tokens sent as a
multiple of the pack's source tokens, the largest request (input + output cap) against the window,
fallbacks, and ``summarise estimate``'s prediction of calls and input tokens against what was sent.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import summarise
from summarise.engines.model.estimate import Estimate, estimate_run
from summarise.settings import Settings
from summarise.testing import FakeOpenAIServer
from summarise.text.tokens import chat_tokens, count_tokens

ROOT = Path(__file__).resolve().parents[1]
KENT = ROOT.parent / "shared" / "data" / "packs" / "kent-cabinet-2025-01-30-reports-pack.pdf"


def calls_ratio(estimate: Estimate, calls: int) -> float:
    """Estimated over actual calls, from the nearer end of the estimate's range (the glossary call
    is made only when the answers use terms the papers do not define)."""
    nearest = min(max(calls, estimate.fewest_calls), estimate.calls)
    return nearest / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pack", nargs="?", type=Path, default=KENT)
    parser.add_argument("--windows", default="8192,16384,32768,128000")
    args = parser.parse_args()
    meeting = summarise.load_pack(args.pack)
    source = sum(count_tokens(p.text) for item in meeting.items for p in meeting.item_pages(item))
    print(f"{args.pack.name}: {len(meeting.pages)} pages, {source:,} source tokens in items")
    print("window   calls  input/source  largest/window  fallbacks  estimate calls  estimate input")
    for window in (int(w) for w in args.windows.split(",")):
        output = 2_048 if window <= 8_192 else 4_096
        settings = Settings(context_tokens=window, max_output_tokens=output, use_cache=False)
        with FakeOpenAIServer(seed=2) as server:
            result = summarise.summarise_pack(
                args.pack, "llm", settings=settings.with_overrides(base_url=server.base_url)
            )
            bodies = [r.body for r in server.requests]
            largest = max(r.window_tokens() for r in server.requests)
        sizes = [chat_tokens(b["messages"]) for b in bodies]
        estimate = estimate_run(meeting, settings)
        print(
            f"{window:>6}  {len(bodies):>6}  {sum(sizes) / source:>12.3f}  {largest / window:>14.3f}"
            f"  {len(result.provenance.fallbacks):>9}  {calls_ratio(estimate, len(bodies)):>14.2f}"
            f"  {estimate.input_tokens / sum(sizes):>14.2f}"
        )


if __name__ == "__main__":
    main()
