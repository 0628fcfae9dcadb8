"""The offline engine: a summary built from the pack's own sentences, no model, no network."""

from summarise.engines.extractive.contract import ExtractiveEngine, summarise_meeting

__all__ = ["ExtractiveEngine", "summarise_meeting"]
