"""Both engines' output on every shared pack, written for before/after comparison.

    python bench/snapshot_outputs.py OUTDIR [--engines extractive,llm]
    diff -r BEFORE AFTER

Each pack in ``../shared/data/packs`` (and the bundled example pack) is summarised by the offline
engine and by the model engine against the local fake server (synthetic answers, no cache), and
written as JSON with the run's timestamp blanked, so two checkouts can be compared file by file.
A restructure that must not change behaviour shows no difference here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import summarise
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]
PACKS = ROOT.parent / "shared" / "data" / "packs"


def packs(folder: Path) -> list[Path]:
    found = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    return [ROOT / "examples" / "sample-pack.pdf", *found]


def normalised(summary: summarise.MeetingSummary) -> str:
    data = json.loads(summarise.render_json(summary))
    data.get("provenance", {}).pop("created_at", None)
    data.get("provenance", {}).pop("library_version", None)
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--engines", default="extractive,llm")
    parser.add_argument("--packs", type=Path, default=PACKS, help="folder of PDFs (../shared/data/packs)")
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    engines = args.engines.split(",")
    with FakeOpenAIServer(seed=1) as server:
        for pack in packs(args.packs):
            for engine in engines:
                extra = {"base_url": server.base_url, "api_key": "snapshot", "use_cache": False}
                summary = summarise.summarise_pack(
                    [pack],
                    engine=engine,
                    **(extra if engine == "llm" else {}),  # type: ignore[arg-type]
                )
                out = args.outdir / f"{pack.stem}.{engine}.json"
                out.write_text(normalised(summary), encoding="utf-8")
                print(f"{out.name}: {len(summary.items)} items", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
