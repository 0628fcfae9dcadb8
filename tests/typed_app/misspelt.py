"""The same app with a misspelt setting: mypy --strict must reject it."""

from __future__ import annotations

from summarise import Summariser

summariser = Summariser(engine="extractive", concurency=2)
