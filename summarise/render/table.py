"""A summary's items as a table: plain rows for anything, a pandas DataFrame for notebooks.

>>> import summarise
>>> summary = summarise.summarise_pack("examples/sample-pack.pdf", engine="extractive")
>>> item_rows(summary)[3]["title"]
'Revenue Budget Monitoring 2025-26 Quarter 1'
>>> to_dataframe(summary).shape[0] == len(summary.items)  # needs pandas
True

pandas is never a dependency of this library: :func:`to_dataframe` imports it when called and says
how to install it when it is missing.
"""

from __future__ import annotations

from typing import Any

from summarise.errors import ConfigurationError
from summarise.models.summary import MeetingSummary
from summarise.render.text import item_pages_label

COLUMNS = (
    "number",
    "title",
    "kind",
    "pages",
    "presented_by",
    "key_points",
    "figures",
    "recommendations",
    "decisions",
    "unsupported",
    "to_review",
    "engine",
    "summary",
)
SUMMARY_CHARS = 200


def _opening(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"


def item_rows(summary: MeetingSummary) -> list[dict[str, Any]]:
    """One dict per item (keys: :data:`COLUMNS`): counts of key points by kind and of the checks'
    findings, the pages, who presented, the engine, and the opening of its summary."""
    rows = []
    for item in summary.items:
        kinds = [point.kind for point in item.key_points]
        findings = [f for f in summary.verification.findings if f.item == item.number]
        opening = item.paragraphs[0].text if item.paragraphs else (item.note or "")
        rows.append(
            {
                "number": item.number,
                "title": item.title,
                "kind": item.kind or "",
                "pages": item_pages_label(item),
                "presented_by": "; ".join(p.name for p in item.presenters),
                "key_points": len(item.key_points),
                "figures": kinds.count("figure"),
                "recommendations": kinds.count("recommendation"),
                "decisions": kinds.count("decision"),
                "unsupported": sum(f.severity == "error" for f in findings),
                "to_review": sum(f.severity == "warning" for f in findings),
                "engine": item.engine or summary.provenance.engine,
                "summary": _opening(opening),
            }
        )
    return rows


def to_dataframe(summary: MeetingSummary) -> Any:
    """:func:`item_rows` as a ``pandas.DataFrame`` indexed by item number (pandas must be installed)."""
    try:
        import pandas as pd  # noqa: PLC0415 - optional: only this function needs pandas
    except ImportError:
        raise ConfigurationError(
            "to_dataframe needs pandas, which summarise does not install: pip install pandas "
            "(or use item_rows(summary) for the same table as a list of dicts)"
        ) from None
    return pd.DataFrame(item_rows(summary), columns=list(COLUMNS)).set_index("number")
