"""Quality bench: every labelled shared pack summarised and scored against ``bench/labels``.

Per pack: must-mention recall, title accuracy, presenter accuracy, people named, the share of item
sentences flagged by the automatic rules (debris, dangling, wrong item;
:mod:`summarise.evaluation.quality`), and the verifier on seeded errors (figure, status,
attribution, person; :mod:`summarise.evaluation.seeding`): recall per kind and false alarms on the
faithful texts. Skips (exit 0, with a message) when ``../shared/data/packs`` is absent.

    python bench/quality.py [--engine extractive|llm] [--json F] [--seed 7] [--per-kind 40]
        [--no-seeded] [--show 5] [--pack NAME]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from summarise import summarise_pack
from summarise.evaluation.labels import PackLabels, load_labels, score
from summarise.evaluation.quality import flag_sentences
from summarise.evaluation.seeding import KINDS, SeedScore, measure, with_page_sentences
from summarise.ingest import load_pack

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "bench" / "labels"
PACKS = ROOT.parent / "shared" / "data" / "packs"


def labelled() -> list[PackLabels]:
    return [load_labels(path) for path in sorted(LABELS.glob("*.toml"))]


def run_pack(labels: PackLabels, engine: str, args: argparse.Namespace) -> dict[str, Any]:
    path = PACKS / labels.pack
    started = time.perf_counter()
    meeting = load_pack([path])
    summary = summarise_pack([path], engine, progress=False)
    scored = score(summary, labels)
    sentences, flags = flag_sentences(summary, meeting)
    families = Counter(f.family for f in flags)
    row: dict[str, Any] = {
        "pack": labels.pack,
        "kind": labels.kind,
        "summary_kind": scored.kind,
        "facts": scored.facts,
        "fact_recall": round(scored.fact_recall, 3),
        "title_accuracy": round(scored.title_accuracy, 3),
        "presenter_items": scored.presenter_items,
        "presenter_accuracy": round(scored.presenter_accuracy, 3),
        "people_recall": round(scored.people_recall, 3),
        "sentences": sentences,
        "flagged": len(flags),
        "flagged_rate": round(len(flags) / sentences, 3) if sentences else 0.0,
        "debris": families["debris"],
        "dangling": families["dangling"],
        "wrong_item": families["wrong-item"],
        "missed_facts": scored.missed,
        "flags": [f"item {f.item}: {f.family} ({f.reason}): {f.sentence[:160]}" for f in flags],
    }
    if not args.no_seeded:
        rng = random.Random(f"{args.seed}:{labels.pack}")
        faithful = with_page_sentences(summary, meeting, rng, args.page_sentences)
        seeded = measure(faithful, meeting, rng, args.per_kind)
        row["seeded"] = _seeded_row(seeded)
        row["_seeded"] = seeded
    row["seconds"] = round(time.perf_counter() - started, 1)
    return row


def _seeded_row(seeded: SeedScore) -> dict[str, Any]:
    return {
        "seeded": dict(seeded.seeded),
        "caught": dict(seeded.caught),
        "faithful_texts": seeded.faithful,
        "false_alarms": seeded.false_alarms,
        "missed": [f"{s.kind} item {s.item}: {s.after[-200:]}" for s in seeded.missed],
        "alarms": seeded.alarms,
    }


def _pct(x: float) -> str:
    return "  n/a" if x != x else f"{x:5.2f}"  # NaN: nothing of that kind to seed


def report(rows: list[dict[str, Any]], show: int) -> str:
    lines = [
        f"{'pack':48} {'facts':>5} {'recall':>6} {'titles':>6} {'pres.':>5} {'people':>6} "
        f"{'sents':>5} {'flag%':>6} {'deb':>4} {'dang':>4} {'wrong':>5}"
    ]
    for r in rows:
        lines.append(
            f"{r['pack'][:48]:48} {r['facts']:5d} {r['fact_recall']:6.2f} {r['title_accuracy']:6.2f} "
            f"{r['presenter_accuracy']:5.2f} {r['people_recall']:6.2f} {r['sentences']:5d} "
            f"{100 * r['flagged_rate']:5.1f}% {r['debris']:4d} {r['dangling']:4d} {r['wrong_item']:5d}"
        )
    facts = sum(r["facts"] for r in rows)
    found = sum(r["fact_recall"] * r["facts"] for r in rows)
    sentences = sum(r["sentences"] for r in rows)
    flagged = sum(r["flagged"] for r in rows)
    lines.append(
        f"all: must-mention recall {found / facts:.2f} ({round(found)}/{facts}); "
        f"flagged sentences {flagged}/{sentences} ({100 * flagged / max(1, sentences):.1f}%)"
    )
    total = SeedScore()
    for r in rows:
        if "_seeded" in r:
            total.add(r["_seeded"])
    if total.faithful:
        lines.append("seeded errors (verifier recall per kind; false alarms on faithful texts):")
        for kind in KINDS:
            lines.append(
                f"  {kind:12} {total.caught[kind]:4d}/{total.seeded[kind]:<4d} {_pct(total.recall(kind))}"
            )
        rate = f"{total.false_alarms}/{total.faithful} faithful texts ({total.false_alarm_rate:.3f})"
        lines.append(f"  false alarms {rate}")
    if show:
        for r in rows:
            extra = r["missed_facts"][:show] + r["flags"][:show]
            extra += (
                r.get("seeded", {}).get("missed", [])[:show] + r.get("seeded", {}).get("alarms", [])[:show]
            )
            if extra:
                lines.append(f"-- {r['pack']}")
                lines.extend(f"   {e}" for e in extra)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", default="extractive", choices=["extractive", "llm"])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-kind", type=int, default=40, help="seeded errors per kind per pack")
    parser.add_argument(
        "--page-sentences", type=int, default=4, help="faithful page sentences added per item before seeding"
    )
    parser.add_argument("--no-seeded", action="store_true", help="skip the seeded-error verifier bench")
    parser.add_argument("--show", type=int, default=3, help="examples of misses and flags per pack")
    parser.add_argument("--pack", help="only packs whose file name contains this")
    args = parser.parse_args(argv)
    if not PACKS.is_dir():
        print(f"skipped: {PACKS} is absent (the shared packs are not in this checkout)")
        return 0
    rows = []
    for labels in labelled():
        if args.pack and args.pack not in labels.pack:
            continue
        if not (PACKS / labels.pack).is_file():
            print(f"skipped {labels.pack}: not in {PACKS}", file=sys.stderr)
            continue
        rows.append(run_pack(labels, args.engine, args))
    print(report(rows, args.show))
    if args.json:
        clean = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        args.json.write_text(json.dumps({"engine": args.engine, "packs": clean}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
