"""CPU seconds of verification per shared pack: full evidence (every page indexed for a wide
scope, as before issue 12) against lazy evidence (only the pages that may settle a claim), cold
(a new index) and warm (the process's index for the same meeting, as a re-run of an unchanged
pack in one process finds it). Both engines' summaries: the offline engine's and the model
engine's against the local fake server. Findings must be identical between the two searches;
the script exits 1 if they are not.

    python bench/verify_speed.py [--packs DIR]

CPU time (``time.process_time``), so other work on a shared machine slows it less than wall time
would; compare the ratios, not the seconds, across machines.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import summarise
from summarise.models.meeting import Meeting
from summarise.models.summary import MeetingSummary, Verification
from summarise.testing import FakeOpenAIServer
from summarise.verify import MeetingIndex, verify_summary

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT.parent / "shared" / "data" / "packs"


def timed(summary: MeetingSummary, meeting: Meeting, index: MeetingIndex) -> tuple[float, Verification]:
    start = time.process_time()
    result = verify_summary(summary, meeting, index=index)
    return time.process_time() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packs", type=Path, default=PACKS, help="folder of PDFs (../shared/data/packs)")
    args = parser.parse_args()
    packs = sorted(args.packs.glob("*.pdf")) if args.packs.is_dir() else []
    if not packs:
        print(f"no packs in {args.packs}", file=sys.stderr)
        return 2
    same = True
    header = f"{'pack':48} {'engine':10} {'pages':>5} {'full s':>7} {'lazy s':>7} {'warm s':>7} {'ratio':>6}"
    print(header)
    print("-" * len(header))
    totals = [0.0, 0.0, 0.0]
    with FakeOpenAIServer(seed=1) as server, tempfile.TemporaryDirectory() as tmp:
        for pack in packs:
            meeting = summarise.load_pack([pack])
            for engine in ("extractive", "llm"):
                extra = (
                    {"base_url": server.base_url, "api_key": "bench", "cache_dir": tmp}
                    if engine == "llm"
                    else {}
                )
                summary = summarise.summarise_pack([pack], engine=engine, **extra)  # type: ignore[arg-type]
                full, before = timed(summary, meeting, MeetingIndex(meeting, exhaustive=True))
                index = MeetingIndex(meeting)
                lazy, after = timed(summary, meeting, index)
                warm, again = timed(summary, meeting, index)
                if not before.findings == after.findings == again.findings or before.checked != after.checked:
                    same = False
                    print(f"DIFFERENT FINDINGS: {pack.name} {engine}", file=sys.stderr)
                totals = [totals[0] + full, totals[1] + lazy, totals[2] + warm]
                ratio = full / lazy if lazy else float("inf")
                name = pack.stem[:48]
                figures = f"{full:7.3f} {lazy:7.3f} {warm:7.3f} {ratio:6.1f}"
                print(f"{name:48} {engine:10} {len(meeting.pages):5} {figures}")
    print("-" * len(header))
    ratio = totals[0] / totals[1] if totals[1] else float("inf")
    print(f"{'all':48} {'':10} {'':5} {totals[0]:7.3f} {totals[1]:7.3f} {totals[2]:7.3f} {ratio:6.1f}")
    print("findings identical (full vs lazy vs warm):", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
