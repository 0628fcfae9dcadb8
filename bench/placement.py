"""Sentence placement and debris on every shared pack, for the offline engine.

    python bench/placement.py [--json OUT] [--show]

For each pack in ``../shared/data/packs``: the number of summary sentences (paragraphs and key
points), how many are not found in their own item's text (wrong item), and how many a reader would
flag by simple rules: debris (table rows, record codes, headers glued on, contents lines, exempt
boilerplate, a lead-in whose list is dropped) and dangling openers ("This ...", "These ...", "It
...") that are not the first sentence kept from their paragraph in the source.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import summarise
from summarise.glossary.footnotes import strip_markers

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT.parent / "shared" / "data" / "packs"

_DANGLING = re.compile(r"^(?:This|These|That|Those|It|They|Such)\b(?!\s+(?:report|paper|item|meeting))")
_DEBRIS = re.compile(
    r"(?:\b[A-Z]{2,}\d+(?:,\s*[A-Z]{2,}\d+)+|~|\.{4,}|\bEXEMPT ITEMS\b|\bexempt items?\b"
    r"|(?:as follows|following)\s*[:.]$|\b(?:Page|Item)\s+\d+\s+(?:Page|Item)\s+\d+)",
)


def flat(text: str) -> str:
    return " ".join(re.sub(r"[^\w£$%]+", " ", text.lower()).split())


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])[)\]\"”’]*\s+(?=[A-Z£$\"“(])", strip_markers(text).strip()) if s]


def _parts(sentence: str) -> list[str]:
    """The sentence, and what follows a title or "is asked to" put before it by the engine."""
    parts = [sentence]
    if ": " in sentence and sentence.index(": ") < 200:
        parts.append(sentence.split(": ", 1)[1])
    asked = re.search(r"\basked to ", sentence)
    if asked:
        parts.append(sentence[asked.end() :])
    return parts


def measure(pack: Path, show: bool = False) -> dict[str, object]:
    meeting = summarise.load_pack([pack])
    summary = summarise.summarise_pack([pack], engine="extractive")
    by_number = {i.number: i for i in meeting.items}
    total = wrong = debris = dangling = 0
    flagged: list[str] = []
    for item in summary.items:
        source = by_number.get(item.number)
        own = flat(meeting.item_text(source)) if source else ""
        texts = [p.text for p in item.paragraphs] + [k.text for k in item.key_points if k.kind != "decision"]
        for text in texts:
            for s in sentences(text):
                if s.startswith(("The minutes of the previous meeting were submitted", "The item lists")):
                    continue  # written by the engine, not quoted
                total += 1
                if not any(flat(part)[:200] in own for part in _parts(s)):
                    wrong += 1
                    flagged.append(f"WRONG {item.number}: {s[:140]}")
                elif _DEBRIS.search(s):
                    debris += 1
                    flagged.append(f"DEBRIS {item.number}: {s[:140]}")
                elif _DANGLING.match(s) and s is sentences(text)[0]:
                    dangling += 1
                    flagged.append(f"DANGLING {item.number}: {s[:140]}")
    if show:
        for line in flagged:
            print("   ", line)
    return {
        "pack": pack.stem,
        "items": len(summary.items),
        "sentences": total,
        "wrong_item": wrong,
        "debris": debris,
        "dangling": dangling,
        "flagged_rate": round((debris + dangling) / total, 3) if total else 0.0,
        "synopsis_words": len(summary.synopsis.split()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--packs", type=Path, default=PACKS)
    args = parser.parse_args()
    if not args.packs.is_dir():
        print(f"no packs at {args.packs}", file=sys.stderr)
        return 1
    rows = []
    for pack in sorted(args.packs.glob("*.pdf")):
        row = measure(pack, args.show)
        rows.append(row)
        print(
            f"{row['pack'][:44]:44} sent {row['sentences']:3} wrong {row['wrong_item']:2}"
            f" debris {row['debris']:2} dangling {row['dangling']:2} flagged {row['flagged_rate']:.3f}"
            f" synopsis {row['synopsis_words']}w"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
