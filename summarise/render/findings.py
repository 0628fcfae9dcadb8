"""The verification findings, each with its item and claim, for every rendering.

Counts alone ("2 unsupported") tell a reader nothing they can check, so each rendering lists every
error and warning: how serious, what kind, under which item, the claim itself and why it was
flagged, and the pages searched. Notes (``info``) stay in the JSON only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from summarise.models.summary import Finding, MeetingSummary

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
        out.append(f"- **{head}** — {where}: “{claim}” — {why}")
    return [*out, ""]


def findings_html(summary: MeetingSummary) -> list[str]:
    """A "Checks" section as HTML lines, or nothing."""
    found = listed(summary)
    if not found:
        return []
    e = html.escape
    out = [
        '<section class="checks">',
        "<h2>Checks</h2>",
        "<p>What verification could not confirm against the papers:</p>",
        "<ul>",
    ]
    for finding in found:
        head, where, claim, why = describe(finding, summary)
        out.append(
            f'<li class="{e(finding.severity)} {e(finding.kind)}"><strong>{e(head)}</strong> — {e(where)}: '
            f"“{e(claim)}” — {e(why)}</li>"
        )
    return [*out, "</ul>", "</section>"]
