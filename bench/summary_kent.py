"""Benchmark: the Kent Cabinet reports pack (30 Jan 2025) to a Markdown summary, offline.

    python bench/summary_kent.py            # cold: time, items, footnotes; output to a temp folder
    python bench/summary_kent.py --warm     # reuse the ingest cache (~/.cache/summarise)
    python bench/summary_kent.py --compare  # also: ranking methods against the printed minutes

Targets (issue 3): a section for every agenda item, at least 10 footnotes whose
definitions appear in the pack, under 60 s on the project machine. The output
goes to a temporary folder, never into the repository (the pack is not ours).

``--compare`` scores each ranking method (LexRank and TextRank, from
``bench/rankers.py``, and the engine's centroid, each with and without the
position prior) per item against that item's section of the printed minutes:
ROUGE-1/ROUGE-2 recall (rouge-score, the ``eval`` extra) and the share of the
minutes' money and percentage figures the summary carries.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import pypdf
from rankers import SCORERS  # bench/rankers.py: LexRank and TextRank

from summarise import load_pack
from summarise.engines.extractive import summarise_meeting
from summarise.engines.extractive.engine import summarise_item
from summarise.models.meeting import Meeting
from summarise.render.formats import render_markdown

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PACK = DATA / "packs" / "kent-cabinet-2025-01-30-reports-pack.pdf"
MINUTES = DATA / "reference" / "kent-cabinet-2025-01-30-printed-minutes.pdf"


def load_meeting(path: Path) -> Meeting:

    return load_pack([path])


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _minutes_by_item() -> dict[str, str]:

    text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(MINUTES).pages)
    parts = re.split(r"\(Item (\d+)\)", text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


_FIGURE = re.compile(r"£\s?\d[\d,.]*\s?(?:m|bn|k)?|\d[\d.]*\s?%")


def compare(meeting: Meeting) -> None:
    from rouge_score import rouge_scorer  # noqa: PLC0415 - optional (eval extra); only --compare needs it

    minutes = _minutes_by_item()
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    items = [
        i for i in meeting.items if i.has_papers and i.number in minutes and not i.title.startswith("Minutes")
    ]
    print(f"\nmean over items {[i.number for i in items]}")
    print(f"{'method':<20}{'R1 recall':>10}{'R2 recall':>10}{'figures':>10}")
    for method, ranker in SCORERS.items():
        for position in (True, False):
            r1 = r2 = figs = 0.0
            for item in items:
                summary = summarise_item(meeting, item, scorer=ranker, position=position)
                text = " ".join([p.text for p in summary.paragraphs] + [k.text for k in summary.key_points])
                score = scorer.score(minutes[item.number], text)
                r1 += score["rouge1"].recall
                r2 += score["rouge2"].recall
                wanted = {f.replace(" ", "") for f in _FIGURE.findall(minutes[item.number])}
                got = {f.replace(" ", "") for f in _FIGURE.findall(text)}
                figs += len(wanted & got) / len(wanted) if wanted else 1.0
            n = len(items)
            label = f"{method}{'+position' if position else ''}"
            print(f"{label:<20}{r1 / n:>10.3f}{r2 / n:>10.3f}{figs / n:>10.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true", help="compare ranking methods against the minutes")
    parser.add_argument("--warm", action="store_true", help="use the ingest cache instead of a fresh one")
    args = parser.parse_args()
    if not args.warm:  # a newcomer's first run: nothing cached
        os.environ["SUMMARISE_CACHE_DIR"] = tempfile.mkdtemp(prefix="summarise-bench-cache-")
    if not PACK.exists():
        print(f"{PACK} not present: nothing to benchmark", file=sys.stderr)
        return 0
    start = time.perf_counter()
    meeting = load_meeting(PACK)
    loaded = time.perf_counter()
    summary = summarise_meeting(meeting)
    markdown = render_markdown(summary)
    done = time.perf_counter()

    out = Path(tempfile.mkdtemp(prefix="summarise-bench-")) / "kent-cabinet-2025-01-30.md"
    out.write_text(markdown, encoding="utf-8")
    flat_pages = {p.number: _normal(p.text) for p in meeting.pages}
    supported = [
        f for f in summary.footnotes if any(_normal(f.definition) in flat_pages.get(n, "") for n in f.pages)
    ]
    sections = [i for i in summary.items if f"## {i.number}. " in markdown or f"## {i.number} " in markdown]
    print(f"pages: {len(meeting.pages)}   agenda items: {len(meeting.items)}   sections: {len(sections)}")
    print(
        f"footnotes: {len(summary.footnotes)}   with definitions found on their cited pages: {len(supported)}"
    )
    print(
        f"time: load {loaded - start:.1f} s + summarise/render {done - loaded:.1f} s = {done - start:.1f} s"
    )
    print(f"output: {out}")
    ok = len(sections) == len(meeting.items) and len(supported) >= 10 and done - start < 60
    print("targets met" if ok else "TARGETS NOT MET")
    if args.compare:
        compare(meeting)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
