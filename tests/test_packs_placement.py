"""On every shared council pack, each sentence the offline engine quotes sits under the item whose
own text holds it (the agenda's attachments are not the adjournment's, sibling items are not cut
from each other's text), and debris a reader would flag stays under 5% of sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import summarise
from summarise.evaluation.quality import flag_sentences
from summarise.glossary.footnotes import strip_markers

PACKS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "packs"
pytestmark = pytest.mark.skipif(not PACKS.is_dir(), reason="the shared council packs (../shared) are absent")
# Lines the engine writes itself rather than quotes.
WRITTEN = re.compile(
    r"^The minutes of the previous meeting were submitted|^The item lists (?:\d+ )?further matters"
    r"|^The amount proposed is"  # an amendment form's own figure, framed
)


def _flat(text: str) -> str:
    return " ".join(re.sub(r"[^\w£$%]+", " ", text.lower()).split())


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])[)\]\"”’]*\s+(?=[A-Z£$\"“(])", strip_markers(text)) if s]


def _quoted(sentence: str) -> list[str]:
    """The sentence, and what follows a label or "is asked to" put before it by the engine."""
    parts = [sentence]
    if ": " in sentence and sentence.index(": ") < 200:
        parts.append(sentence.split(": ", 1)[1])
    asked = re.search(r"\basked to ", sentence)
    if asked:
        parts.append(sentence[asked.end() :])
    quote = re.search(r"“([^”]+)”|\"([^\"]+)\"", sentence)
    if quote:
        parts.append(quote.group(1) or quote.group(2))
    return parts


def _packs() -> list[Path]:
    return sorted(PACKS.glob("*.pdf")) if PACKS.is_dir() else []


@pytest.mark.parametrize("pack", _packs(), ids=lambda p: p.stem[:40])
def test_every_quoted_sentence_is_in_its_own_items_text(pack: Path) -> None:
    meeting = summarise.load_pack([pack])
    summary = summarise.summarise_pack([pack], engine="extractive")
    by_number = {i.number: i for i in meeting.items}
    misplaced = []
    for item in summary.items:
        own = _flat(meeting.item_text(by_number[item.number]))
        quoted = [k.text for k in item.key_points if k.kind != "decision"]
        for block in [p.text for p in item.paragraphs] + quoted:
            for sentence in _sentences(block):
                if WRITTEN.match(sentence):
                    continue
                if not any(_flat(part)[:200] in own for part in _quoted(sentence)):
                    misplaced.append((item.number, sentence[:100]))
    assert misplaced == []
    seen, flags = flag_sentences(summary, meeting)  # debris, dangling, wrong item (the bench's rules)
    assert len(flags) <= 0.05 * seen, [f"{f.item}: {f.reason}: {f.sentence[:80]}" for f in flags]
