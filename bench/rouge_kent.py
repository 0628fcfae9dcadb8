"""Per-item ROUGE of the offline engine against Kent's printed minutes, beside a lead-3 baseline.

    python bench/rouge_kent.py [--data ../shared/data]

Reference: the printed minutes of Kent County Council's Cabinet, 30 January 2025,
split into per-item sections at their numbered minute headings ("88. 24/00108 -
Revenue and Capital ..."). Each section is matched to an item of the reports pack
for that meeting by title similarity. For every matched item with papers it
scores (ROUGE-1/2/L F-measure, stemmed, rouge-score package):

- extractive: the item's paragraphs and key points from ``summarise.engines.extractive``;
- lead-3: the first three sentences of the item's papers (headings skipped), the
  classic baseline an extractive summariser has to beat;
- lead-N: the first sentences of the papers up to the extractive summary's length,
  since ROUGE F1 against a long reference rewards length.

Minutes record what was said and decided, a pack what was proposed, so absolute
scores are low for any summary of the pack; the comparison is what matters.
Reads ``../shared/data`` and writes nothing.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from summarise.engines.extractive import summarise_meeting
from summarise.evaluation.metrics import ROUGE_TYPES, item_text, rouge
from summarise.ingest.pack import load_pack
from summarise.models.meeting import AgendaItem, Meeting
from summarise.text.sentences import sentences_of_pages

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PACK = "packs/kent-cabinet-2025-01-30-reports-pack.pdf"
MINUTES = "reference/kent-cabinet-2025-01-30-printed-minutes.pdf"
MINUTE_HEADING = re.compile(r"(?m)^(\d{1,3})\.[ \t]+((?:.+\n){1,3}?)[ \t]*\(Item (\d+[a-z]?)\)[ \t]*$")
MIN_SIMILARITY = 0.6


@dataclass(frozen=True)
class Section:
    minute: str
    title: str
    stamp: str  # the "(Item N)" the minutes print, used only to check the title match
    text: str


def minute_sections(minutes: Meeting) -> list[Section]:
    """The minutes cut at each numbered heading that carries an "(Item N)" stamp."""
    text = "\n".join(p.text for p in minutes.pages)
    heads = list(MINUTE_HEADING.finditer(text))
    out = []
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)].strip()
        out.append(Section(head.group(1), " ".join(head.group(2).split()), head.group(3), body))
    return out


def _norm(title: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", title.lower()).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio()


def match_sections(items: list[AgendaItem], sections: list[Section]) -> dict[str, tuple[Section, float]]:
    """Item number -> its minutes section, greedily by title similarity (one section per item)."""
    pairs = sorted(
        ((similarity(i.title, s.title), i.number, k) for i in items for k, s in enumerate(sections)),
        reverse=True,
    )
    matched: dict[str, tuple[Section, float]] = {}
    used: set[int] = set()
    for score, number, k in pairs:
        if score < MIN_SIMILARITY or number in matched or k in used:
            continue
        matched[number] = (sections[k], score)
        used.add(k)
    return matched


def lead(meeting: Meeting, item: AgendaItem, sentences: int = 3, words: int | None = None) -> str:
    """The first ``sentences`` sentences of the item's papers, or as many as fit in ``words``."""
    found = [s.text for s in sentences_of_pages(meeting.item_pages(item)) if not s.heading]
    if words is None:
        return "\n".join(found[:sentences])
    out: list[str] = []
    for text in found:
        if out and sum(len(t.split()) for t in out) + len(text.split()) > words:
            break
        out.append(text)
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    args = parser.parse_args()
    pack, minutes_pdf = args.data / PACK, args.data / MINUTES
    if not pack.is_file() or not minutes_pdf.is_file():
        print(f"skipped: {pack} or {minutes_pdf} not present", file=sys.stderr)
        return 0
    meeting = load_pack(pack)
    sections = minute_sections(load_pack(minutes_pdf))
    summary = summarise_meeting(meeting)
    by_number = {s.number: s for s in summary.items}
    matched = match_sections(meeting.items, sections)

    head = ["item", "title", "minute", "sim", "words ref/ext/lead3/leadN"]
    engines = ("ext", "lead3", "leadN")
    head += [f"{e} {t[5:]}" for e in engines for t in ROUGE_TYPES]
    rows = [head]
    totals: dict[str, list[float]] = {}
    for item in meeting.items:
        if item.number not in matched:
            rows.append([item.number, item.title[:40], "-", "-", "-"] + ["-"] * 9)
            continue
        section, sim = matched[item.number]
        stamp_ok = "" if section.stamp == item.number else f" (stamp says item {section.stamp})"
        if not item.has_papers:
            rows.append(
                [item.number, item.title[:40], section.minute + stamp_ok, f"{sim:.2f}", "-"] + ["-"] * 9
            )
            continue
        ext_text = item_text(by_number[item.number])
        texts = (ext_text, lead(meeting, item), lead(meeting, item, words=len(ext_text.split())))
        scored = [rouge(t, section.text) for t in texts]
        lengths = "/".join(str(len(t.split())) for t in (section.text, *texts))
        for engine, scores in zip(engines, scored, strict=True):
            for t in ROUGE_TYPES:
                totals.setdefault(f"{engine} {t}", []).append(scores[t])
        rows.append(
            [
                item.number,
                item.title[:40],
                section.minute + stamp_ok,
                f"{sim:.2f}",
                lengths,
            ]
            + [f"{scores[t]:.3f}" for scores in scored for t in ROUGE_TYPES]
        )
    n = len(totals.get("ext rouge1", []))
    columns = [f"{engine} {t}" for engine in engines for t in ROUGE_TYPES]
    mean = [f"{sum(totals[c]) / n:.3f}" if n else "-" for c in columns]
    rows.append(["mean", f"{n} items with papers", "", "", "", *mean])
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    print(
        f"Per-item ROUGE F1 vs {minutes_pdf.name} ({len(sections)} minute sections, {len(matched)} matched)"
    )
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
