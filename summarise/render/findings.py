"""The verification findings, each with its item and claim, for every rendering.

Counts alone ("2 unsupported") tell a reader nothing they can check, so each rendering lists every
error and warning: how serious, what kind, under which item, the claim itself and why it was
flagged, and the pages searched. Notes (``info``) stay in the JSON only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from summarise.models.summary import Finding, MeetingSummary
from summarise.render.mdescape import md_text

_KIND = {
    "figure": "figure",
    "quote": "quotation",
    "name": "name",
    "acronym": "acronym",
    "footnote": "footnote",
    "citation": "citation",
    "status": "decision status",
    "attribution": "wrong item",
    "person": "person",
}


def listed(summary: MeetingSummary) -> list[Finding]:
    """Errors first, then warnings, each in the order found."""
    found = [f for f in summary.verification.findings if f.severity in ("error", "warning")]
    return sorted(found, key=lambda f: f.severity != "error")


def _where(finding: Finding, summary: MeetingSummary) -> str:
    if finding.item is None:
        return "summary"
    titles = {item.number: item.title for item in summary.items}
    title = titles.get(finding.item)
    return f"item {finding.item}" + (f" ({title})" if title else "")


def _pages(pages: Sequence[int]) -> str:
    numbers = sorted(set(pages))
    if not numbers:
        return ""
    shown = ", ".join(str(n) for n in numbers[:8]) + (", …" if len(numbers) > 8 else "")
    return f"pages searched: {shown}"


def describe(finding: Finding, summary: MeetingSummary) -> tuple[str, str, str, str]:
    """(severity and kind, where, claim, why) in plain words."""
    head = f"{finding.severity}: {_KIND.get(finding.kind, finding.kind)}"
    why = "; ".join(p for p in (finding.message, _pages(finding.pages_searched)) if p)
    return head, _where(finding, summary), finding.text, why


def findings_text(summary: MeetingSummary) -> str:
    """One line per finding (plain text)."""
    lines = []
    for finding in listed(summary):
        head, where, claim, why = describe(finding, summary)
        lines.append(f"{head} — {where}: “{claim}” — {why}")
    return "\n".join(lines)


def findings_markdown(summary: MeetingSummary) -> list[str]:
    """A "Checks" section, or nothing when there is nothing to report."""
    found = listed(summary)
    if not found:
        return []
    out = ["## Checks", "", "What verification could not confirm against the papers:", ""]
    for finding in found:
        head, where, claim, why = describe(finding, summary)
        where, claim, why = (md_text(t, line_start=False) for t in (where, claim, why))
        out.append(f"- **{head}** — {where}: “{claim}” — {why}")
    return [*out, ""]


def _item_index(summary: MeetingSummary) -> dict[str, int]:
    """Item number -> 1-based position (the first item with that number)."""
    index: dict[str, int] = {}
    for position, item in enumerate(summary.items, 1):
        index.setdefault(item.number, position)
    return index


def _li(finding: Finding, summary: MeetingSummary, element_id: str, link: str, *, where: bool) -> str:
    e = html.escape
    head, place, claim, why = describe(finding, summary)
    place_html = f" — {e(place)}" if where else ""
    return (
        f'<li id="{element_id}" class="finding {e(finding.severity)} {e(finding.kind)}">'
        f"<strong>{e(head)}</strong>{place_html}: “{e(claim)}” — {e(why)} {link}</li>"
    )


def item_findings_html(summary: MeetingSummary, position: int, prefix: str) -> list[str]:
    """The findings on the item at 1-based ``position``, each linked to its entry under Checks."""
    index = _item_index(summary)
    out = []
    for k, finding in enumerate(listed(summary), 1):
        if finding.item is not None and index.get(finding.item) == position:
            link = f'<a href="#{prefix}-check-{k}" class="seeall">(in Checks)</a>'
            out.append(_li(finding, summary, f"{prefix}-finding-{k}", link, where=False))
    if not out:
        return []
    return [
        '<section class="item-findings">',
        "<p><strong>To check</strong></p>",
        "<ul>",
        *out,
        "</ul>",
        "</section>",
    ]


def findings_html(summary: MeetingSummary, prefix: str) -> list[str]:
    """A "Checks" section as HTML lines (id ``{prefix}-checks``), or nothing; each finding on an
    item links to its copy under that item, and ids carry ``prefix`` so two summaries on one page
    do not collide."""
    found = listed(summary)
    if not found:
        return []
    index = _item_index(summary)
    out = [
        f'<section class="checks" id="{prefix}-checks">',
        "<h2>Checks</h2>",
        "<p>What verification could not confirm against the papers:</p>",
        "<ul>",
    ]
    for k, finding in enumerate(found, 1):
        under = finding.item is not None and finding.item in index
        link = f'<a href="#{prefix}-finding-{k}" class="seeall">(under the item)</a>' if under else ""
        out.append(_li(finding, summary, f"{prefix}-check-{k}", link, where=True))
    return [*out, "</ul>", "</section>"]
