"""Engines turn a meeting's items into drafts; :func:`assemble` makes one summary of them.

Built in: ``extractive`` (offline, :mod:`.extractive`) and ``llm`` (any OpenAI-compatible
endpoint, :mod:`.model`). Both register themselves when imported here.
"""

from summarise.engines.base import (
    Engine,
    EngineFactory,
    ProgressCallback,
    assemble,
    check_engine_name,
    choose_engine,
    create_engine,
    engine_names,
    register_engine,
)
from summarise.engines.extractive.contract import ExtractiveEngine
from summarise.engines.model.engine import ModelEngine

__all__ = [
    "Engine",
    "EngineFactory",
    "ExtractiveEngine",
    "ModelEngine",
    "ProgressCallback",
    "assemble",
    "check_engine_name",
    "choose_engine",
    "create_engine",
    "engine_names",
    "register_engine",
]
