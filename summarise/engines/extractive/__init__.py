"""The offline engine: a summary built from the pack's own sentences, no model, no network."""
