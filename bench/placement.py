"""Before/after for the offline engine on every shared pack: placement, debris, recall, kinds.

    python bench/placement.py [--summaries DIR] [--json OUT] [--show N]

Scores either fresh offline summaries or saved ones (``DIR/<pack>.json``, e.g. written by an older
checkout) with one yardstick: today's ingest decides each item's own text, the automatic rules of
:mod:`summarise.evaluation.quality` flag debris, dangling openers and sentences under the wrong
item, and the hand labels in ``bench/labels`` give must-mention recall, titles and presenters.
Also counts, per pack: sentences quoted under an item whose own text does not hold them (the
strict test of ``tests/test_packs_placement.py``), synopsis sentences/words/figures, footnotes, and
whether the summary records the document kind and outcomes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import summarise
from summarise.evaluation.labels import load_labels, score
from summarise.evaluation.quality import flag_sentences, not_in_own_text
from summarise.glossary.footnotes import strip_markers
from summarise.models.summary import MeetingSummary
from summarise.text.figures import has_figure

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT.parent / "shared" / "data" / "packs"
LABELS = ROOT / "bench" / "labels"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])[)\]\"”’]*\s+(?=[A-Z£$\"“(])", strip_markers(text)) if s]


def measure(pack: Path, summary: MeetingSummary) -> dict[str, Any]:
    meeting = summarise.load_pack([pack])
    labels = load_labels(LABELS / f"{pack.stem}.toml")
    scored = score(summary, labels)
    sentences, flags = flag_sentences(summary, meeting)
    families = Counter(f.family for f in flags)
    synopsis = strip_markers(summary.synopsis)
    return {
        "pack": pack.stem,
        "sentences": sentences,
        "flagged_rate": round(len(flags) / sentences, 3) if sentences else 0.0,
        "debris": families["debris"],
        "dangling": families["dangling"],
        "wrong_item_rule": families["wrong-item"],
        "not_in_own_text": len(not_in_own_text(summary, meeting)),
        "fact_recall": round(scored.fact_recall, 3),
        "title_accuracy": round(scored.title_accuracy, 3),
        "presenter_accuracy": round(scored.presenter_accuracy, 3),
        "people_recall": round(scored.people_recall, 3),
        "kind": getattr(summary, "kind", None),
        "kind_ok": scored.kind_ok,
        "decisions": sum(k.kind == "decision" for i in summary.items for k in i.key_points),
        "synopsis_sentences": len(_sentences(synopsis)),
        "synopsis_words": len(synopsis.split()),
        "synopsis_figure": has_figure(synopsis),
        "footnotes": len(summary.footnotes),
        "flags": [f"item {f.item}: {f.family} ({f.reason}): {f.sentence[:140]}" for f in flags],
        "missed": scored.missed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--summaries", type=Path, help="score saved DIR/<pack>.json instead of running")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", type=int, default=0, help="flags and misses shown per pack")
    parser.add_argument("--packs", type=Path, default=PACKS)
    args = parser.parse_args()
    if not args.packs.is_dir():
        print(f"no packs at {args.packs}: nothing to measure", file=sys.stderr)
        return 0
    rows = []
    head = f"{'pack':40} sents flag%  deb dang wrong notown recall title pres. people kind  dec syn"
    print(head)
    for pack in sorted(args.packs.glob("*.pdf")):
        if args.summaries:
            summary = MeetingSummary.from_json((args.summaries / f"{pack.stem}.json").read_text())
        else:
            summary = summarise.summarise_pack([pack], engine="extractive")
        row = measure(pack, summary)
        rows.append(row)
        print(
            f"{row['pack'][:40]:40} {row['sentences']:5} {100 * row['flagged_rate']:4.1f}% {row['debris']:4}"
            f" {row['dangling']:4} {row['wrong_item_rule']:5} {row['not_in_own_text']:6}"
            f" {row['fact_recall']:6.2f} {row['title_accuracy']:5.2f} {row['presenter_accuracy']:5.2f}"
            f" {row['people_recall']:6.2f} {str(row['kind'])[:5]:5} {row['decisions']:4}"
            f" {row['synopsis_sentences']}s/{row['synopsis_words']}w{'/£' if row['synopsis_figure'] else ''}"
        )
        for line in (row["flags"] + row["missed"])[: args.show]:
            print("    ", line)
    total = sum(r["sentences"] for r in rows)
    flagged = sum(round(r["flagged_rate"] * r["sentences"]) for r in rows)
    print(
        f"all: {total} sentences, flagged {flagged} ({100 * flagged / max(total, 1):.1f}%),"
        f" not in own text {sum(r['not_in_own_text'] for r in rows)},"
        f" worst pack flagged {100 * max(r['flagged_rate'] for r in rows):.1f}%"
    )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
