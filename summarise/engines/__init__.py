"""Engines turn a meeting's items into drafts; :func:`assemble` makes one summary of them.

Built in: ``extractive`` (offline, :mod:`.extractive`) and ``llm`` (any OpenAI-compatible
endpoint, :mod:`.model`). The offline engine registers itself when imported here; the model
engine is registered by name and imported when a model run starts.
"""

from typing import Any

from summarise.engines.base import (
    MODEL,
    OFFLINE,
    Engine,
    EngineFactory,
    PeopleFinder,
    ProgressCallback,
    assemble,
    check_engine_name,
    choose_engine,
    create_engine,
    engine_names,
    register_engine,
)
from summarise.engines.extractive.contract import ExtractiveEngine
from summarise.engines.extractive.voice import item_people
from summarise.settings import Settings

__all__ = [
    "MODEL",
    "OFFLINE",
    "Engine",
    "EngineFactory",
    "ExtractiveEngine",
    "PeopleFinder",
    "ProgressCallback",
    "assemble",
    "check_engine_name",
    "choose_engine",
    "create_engine",
    "engine_names",
    "item_people",
    "register_engine",
]


def _model_engine(settings: Settings, *, client: Any = None) -> Engine:
    # Imported when a model run starts: openai takes about 0.7 s to import, which offline runs,
    # `summarise --help` and `import summarise` should not pay.
    from summarise.engines.model.engine import ModelEngine  # noqa: PLC0415 - openai is slow to import

    return ModelEngine(settings, client=client)


register_engine(MODEL, _model_engine)
