"""Definitions found in the source (:mod:`.definitions`), and the numbered footnotes that carry
them into a summary (:mod:`.footnotes`)."""

from summarise.glossary.definitions import Definition, find_definitions
from summarise.glossary.footnotes import attach_footnotes, strip_markers

__all__ = ["Definition", "attach_footnotes", "find_definitions", "strip_markers"]
