"""Definitions found in the source, and the numbered footnotes that carry them into a summary."""

from summarise.glossary.definitions import Definition, attach_footnotes, find_definitions, strip_markers

__all__ = ["Definition", "attach_footnotes", "find_definitions", "strip_markers"]
