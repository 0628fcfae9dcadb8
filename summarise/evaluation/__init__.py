"""Evaluating prompt changes: recorded fixtures replayed, scored and compared with a baseline."""
