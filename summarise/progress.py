"""Progress bars for the terminal and Jupyter.

Stages and their units: ``pages`` (reading the files), ``items``, then ``synopsis`` and ``glossary``
(one step each). Each stage reports ``(stage, 0, total)`` when it starts, so its clock starts then; the
bars show counts and elapsed time, never a rate (a stage of a few quick steps would read as a million
"it/s"). In Jupyter with ipywidgets the bars are widgets; without ipywidgets, plain text bars (tqdm.auto
would warn about the missing widgets instead).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each stage starts (``done`` 0) and as its work completes."""

UNITS = {"pages": "pages", "items": "items", "synopsis": "step", "glossary": "step"}
LABELS = {"pages": "reading", "items": "items", "synopsis": "synopsis", "glossary": "glossary"}
BAR_FORMAT = "{desc}: {n_fmt}/{total_fmt} {unit} |{bar}| {elapsed}"


def tqdm_class() -> Any:
    """tqdm.auto's choice (a widget in Jupyter) when ipywidgets is there, else plain text bars."""
    if importlib.util.find_spec("ipywidgets") is None:
        from tqdm.std import tqdm  # noqa: PLC0415 - tqdm is loaded only when bars are drawn

        return tqdm
    from tqdm.auto import tqdm as auto_tqdm  # noqa: PLC0415 - tqdm.auto probes for Jupyter; only when drawn

    return auto_tqdm


def progress_bars(file: Any = None) -> ProgressCallback:
    """A callback drawing one bar per stage: a widget in Jupyter, text on stderr elsewhere."""
    bar_type = tqdm_class()
    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None or (bar.disable and done < total):  # new, or the stage runs again
            bar = bars[stage] = bar_type(
                total=total,
                desc=LABELS.get(stage, stage),
                unit=UNITS.get(stage, "steps"),
                bar_format=BAR_FORMAT,
                file=file or sys.stderr,
                leave=False,
            )
        if bar.disable:  # closed: the stage is done
            return
        bar.total = total
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def resolve_progress(progress: ProgressCallback | bool | None) -> ProgressCallback | None:
    """``True`` means bars, ``False``/``None`` means silence, a callable is used as given."""
    if progress is True:
        return progress_bars()
    if progress is False or progress is None:
        return None
    return progress
