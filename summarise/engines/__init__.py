"""Engines turn a meeting's items into drafts: the offline extractive engine and the model engine."""
