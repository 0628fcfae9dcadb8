"""The ``summarise`` command."""

from summarise.cli.app import main

__all__ = ["main"]
