"""A real model end to end: SmolLM2-135M on llama-cpp-python's server, default structured mode.

A 135M-parameter model invents freely, which is the point: the run must complete with every
agenda item (model-written or, where the model failed, the offline engine's, marked), and every
figure or name the model wrote that is not on its item's pages, its title or the meeting's own
details (body, date, time, venue: evidence for every item, as in :meth:`MeetingIndex.meta`) must be
flagged by verification.
That last check is made here independently of :mod:`summarise.verify`: a plain scan of the
model-written text against the item's page text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import summarise
from summarise.cli import main
from summarise.glossary import strip_markers

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample-pack.pdf"
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")  # two or more capitalised words
NOT_A_NAME = re.compile(r"^(?:The|This|These|That|A|An|Our|Its|Their)\s+")  # "The Housing Plan": a title


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower())


def _numbers(text: str) -> set[str]:
    """Numbers as values: "1,200" is 1200, "7.00" (pm) is 7."""
    found = {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}
    return {n.rstrip("0").rstrip(".") if "." in n else n for n in found}


def test_sample_pack_on_a_real_small_model(
    llama_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUMMARISE_MAX_OUTPUT_TOKENS", "512")
    out = tmp_path / "summary.json"
    code = main(
        ["run", str(EXAMPLE), "--engine", "llm", "--base-url", llama_server, "--model", "smollm2",
         "--context-tokens", "8192", "--quiet",  # default concurrency (4) and timeout on a one-slot server
         "--cache-dir", str(tmp_path / "cache"), "-o", str(out)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code in (0, 5), err  # complete, with or without fallbacks
    assert "Traceback" not in err
    summary = summarise.MeetingSummary.from_json(out.read_bytes())
    meeting = summarise.load_pack(EXAMPLE, use_cache=False)
    assert [i.number for i in summary.items] == [i.number for i in meeting.items]
    for item in summary.items:
        assert item.engine in ("llm", "extractive"), item.number
        assert (item.engine == "extractive") == bool(item.fallback_reason), item.number

    by_number = {i.number: i for i in meeting.items}
    missed: list[str] = []
    for item in summary.items:
        if item.engine != "llm":
            continue
        info = meeting.info
        details = [info.body, info.title, info.time, info.venue, item.title]
        details.append(info.date.strftime("%d %B %Y") if info.date else None)
        own = [p.text for p in meeting.item_pages(by_number[item.number])]
        pages = " ".join([*own, *filter(None, details)])
        page_numbers, page_words = _numbers(pages), f" {_squash(pages)} "
        findings = [f.text for f in summary.verification.findings if f.item == item.number]
        flagged = " ".join(findings)
        for cited in [*item.paragraphs, *item.key_points]:
            text = strip_markers(cited.text)
            for number in _numbers(text) - page_numbers:
                if number not in _numbers(flagged):
                    missed.append(f"item {item.number}: figure {number!r} in {text!r}")
            for name in NAME.findall(text):
                name = NOT_A_NAME.sub("", name)
                if " " not in name:
                    continue
                if f" {_squash(name)} " not in page_words and _squash(name) not in _squash(flagged):
                    missed.append(f"item {item.number}: name {name!r} in {text!r}")
    assert not missed, "verification missed invented claims:\n" + "\n".join(missed)
