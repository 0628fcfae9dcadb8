"""Every rendering lists each finding with its item and claim, not only counts."""

from __future__ import annotations

import json

import pytest
from test_extractive import make_meeting
from test_render import _Collect

from summarise.engines.extractive import summarise_meeting
from summarise.models.summary import Finding, MeetingSummary, Verification
from summarise.render.findings import findings_text
from summarise.render.formats import render_html, render_json, render_markdown

FINDINGS = [
    Finding(
        kind="status",
        text="Cabinet unanimously agreed the <plan>.",
        item="2",
        pages_searched=[3, 4],
        message="says 'unanimously agreed': the pages only propose or recommend it",
    ),
    Finding(kind="name", text="Jo Bloggs", item="3", severity="warning", message="name not found"),
    Finding(kind="citation", text="7", item="3", severity="info", message="no text layer"),
]


@pytest.fixture(scope="module")
def summary() -> MeetingSummary:
    made = summarise_meeting(make_meeting())
    return made.model_copy(update={"verification": Verification(checked=9, findings=FINDINGS)})


def test_markdown_lists_each_finding_with_item_and_claim(summary: MeetingSummary) -> None:
    text = render_markdown(summary)
    section = text[text.index("## Checks") :]
    title = next(i.title for i in summary.items if i.number == "2")
    claim = "“Cabinet unanimously agreed the \\<plan>.”"  # escaped: no live HTML
    assert f"**error: decision status** — item 2 ({title}): {claim}" in section
    assert "pages searched: 3, 4" in section
    assert "**warning: name** — item 3" in section and "“Jo Bloggs”" in section
    assert "no text layer" not in section  # info stays in the JSON
    assert section.index("error:") < section.index("warning:")


def test_html_lists_each_finding_escaped(summary: MeetingSummary) -> None:
    page = render_html(summary)
    parsed = _Collect()
    parsed.feed(page)
    assert not parsed.errors
    assert "Cabinet unanimously agreed the &lt;plan&gt;." in page
    assert 'class="finding warning name"' in page
    assert "no text layer" not in page


def test_text_and_json_carry_every_finding(summary: MeetingSummary) -> None:
    lines = findings_text(summary).splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: decision status — item 2")
    data = json.loads(render_json(summary))
    assert [(f["kind"], f["item"], f["text"]) for f in data["verification"]["findings"]] == [
        (f.kind, f.item, f.text) for f in FINDINGS
    ]


def test_no_checks_section_without_findings(summary: MeetingSummary) -> None:
    clean = summary.model_copy(update={"verification": Verification(checked=9)})
    assert "## Checks" not in render_markdown(clean)
    assert 'class="checks"' not in render_html(clean)
