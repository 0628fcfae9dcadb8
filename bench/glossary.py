"""Benchmark: acronym expansions found in the Kent packs against Kent's own glossary.

    python bench/glossary.py

Ground truth is ``reference/kent-glossary-of-terms-2024-25.pdf`` (treasury
management terms): every acronym entry with an expansion ("CFR Capital
Financing Requirement. ...", "MRP Minimum Revenue Provision – ...",
"Floating rate note (FRN)"). An acronym counts as *defined in the packs' text*
when some Kent pack has the acronym within 60 characters of its glossary
expansion (checked here by plain string search, not by the detector under
test). Then, over those acronyms:

* recall: the share for which ``find_definitions`` gives the glossary's expansion;
* precision: of the glossary acronyms ``find_definitions`` gives any expansion
  for, the share where it is the glossary's.

Expansions compare after lower-casing, dropping punctuation, "&" -> "and" and
a plural "s". Target: both at least 0.9.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pypdf

from summarise import load_pack
from summarise.glossary.definitions import best_long_form, find_definitions
from summarise.models.meeting import Page

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
GLOSSARY = DATA / "reference" / "kent-glossary-of-terms-2024-25.pdf"


def _read(path: Path) -> list[Page]:

    return load_pack([path]).pages


def normal(text: str) -> str:
    text = re.sub(r"['’]s\b", "", text.lower().replace("&", " and "))
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


def glossary_truth(text: str) -> dict[str, str]:
    """Acronym -> expansion from the glossary's entries."""
    truth: dict[str, str] = {}
    for line in text.splitlines():
        line = " ".join(line.split())
        m = re.match(r"^([A-Z]{2,6})\s+(.+)$", line)
        if m:
            expansion = re.split(r"\s+[-–]\s+|[.,]\s|\.$", m.group(2))[0].strip()
            if best_long_form(m.group(1), expansion) and not expansion.split()[0].islower():
                truth[m.group(1)] = expansion
    joined = " ".join(text.split())
    for m in re.finditer(r"([A-Za-z][\w’' ]{3,60}?)\s*\(([A-Z]{2,6})\)", joined):
        sf = m.group(2)
        words = m.group(1).split()[-len(sf) - 2 :]
        for k in range(1, len(words) + 1):
            candidate = " ".join(words[-k:])
            if best_long_form(sf, candidate) == candidate and candidate[0].lower() == sf[0].lower():
                truth.setdefault(sf, candidate)
                break
    return truth


def defined_in(truth: dict[str, str], pages: Sequence[Page]) -> set[str]:
    """Acronyms whose glossary expansion sits within 60 characters of the acronym in some page."""
    found: set[str] = set()
    for page in pages:
        flat = " ".join(page.text.split())
        low = normal(flat)
        for sf, expansion in truth.items():
            if sf in found or sf not in flat or normal(expansion) not in low:
                continue
            exp = normal(expansion)
            for m in re.finditer(rf"(?<![\w]){re.escape(sf)}(?![\w])", flat):
                window = normal(flat[max(0, m.start() - 60 - len(expansion)) : m.end() + 60 + len(expansion)])
                if exp in window:
                    found.add(sf)
                    break
    return found


def measure(truth: dict[str, str], packs: Sequence[Sequence[Page]]) -> dict[str, object]:
    """Precision and recall over (pack, acronym) pairs."""
    in_text: set[tuple[int, str]] = set()
    detected: dict[tuple[int, str], str] = {}
    for n, pages in enumerate(packs):
        in_text |= {(n, sf) for sf in defined_in(truth, pages)}
        for term, definition in find_definitions(pages).items():
            if term in truth:
                detected[n, term] = definition.text
    correct = {key for key, e in detected.items() if normal(e) == normal(truth[key[1]])}
    return {
        "glossary_acronyms": len(truth),
        "defined_in_packs": sorted(in_text),
        "detected": detected,
        "missed": sorted(in_text - correct),
        "wrong": {key: e for key, e in detected.items() if key not in correct},
        "precision": len(correct) / len(detected) if detected else 1.0,
        "recall": len(correct & in_text) / len(in_text) if in_text else 1.0,
    }


def main() -> int:
    packs = sorted((DATA / "packs").glob("kent-*.pdf"))
    if not GLOSSARY.exists() or not packs:
        print("../shared/data not present: nothing to measure", file=sys.stderr)
        return 0

    start = time.perf_counter()
    truth = glossary_truth("\n".join(p.extract_text() or "" for p in pypdf.PdfReader(GLOSSARY).pages))
    result = measure(truth, [_read(p) for p in packs])
    print(f"glossary acronyms with expansions: {result['glossary_acronyms']}  {sorted(truth)}")
    in_text = result["defined_in_packs"]
    assert isinstance(in_text, list)
    print(f"(pack, acronym) pairs defined in the Kent packs' text: {len(in_text)}")
    detected = result["detected"]
    wrong = result["wrong"]
    assert isinstance(detected, dict) and isinstance(wrong, dict)
    for (n, term), expansion in sorted(detected.items()):
        mark = "BAD" if (n, term) in wrong else "ok "
        print(f"  {mark} {packs[n].name[:34]:<34} {term:<6} {expansion!r:<45} glossary {truth[term]!r}")
    print(f"missed: {result['missed']}")
    print(f"precision {result['precision']:.2f}   recall {result['recall']:.2f}   (target both >= 0.9)")
    print(f"time {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
