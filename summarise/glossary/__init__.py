"""Definitions found in the source (:mod:`.definitions`), what the papers say of the Acts they cite
(:mod:`.acts`), and the numbered footnotes that carry them into a summary (:mod:`.footnotes`)."""

from summarise.glossary.acts import find_acts
from summarise.glossary.definitions import Definition, find_definitions
from summarise.glossary.footnotes import attach_footnotes, strip_markers

__all__ = ["Definition", "attach_footnotes", "find_acts", "find_definitions", "strip_markers"]
