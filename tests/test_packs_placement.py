"""On every shared council pack, each sentence the offline engine quotes sits under the item whose
own text holds it (the agenda's attachments are not the adjournment's, sibling items are not cut
from each other's text), and debris a reader would flag stays under 5% of sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

import summarise
from summarise.evaluation.quality import flag_sentences, not_in_own_text

PACKS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "packs"
pytestmark = pytest.mark.skipif(not PACKS.is_dir(), reason="the shared council packs (../shared) are absent")


def _packs() -> list[Path]:
    return sorted(PACKS.glob("*.pdf")) if PACKS.is_dir() else []


@pytest.mark.parametrize("pack", _packs(), ids=lambda p: p.stem[:40])
def test_every_quoted_sentence_is_in_its_own_items_text(pack: Path) -> None:
    meeting = summarise.load_pack([pack])
    summary = summarise.summarise_pack([pack], engine="extractive")
    misplaced = [(number, sentence[:100]) for number, sentence in not_in_own_text(summary, meeting)]
    assert misplaced == []
    seen, flags = flag_sentences(summary, meeting)  # debris, dangling, wrong item (the bench's rules)
    assert len(flags) <= 0.05 * seen, [f"{f.item}: {f.reason}: {f.sentence[:80]}" for f in flags]
