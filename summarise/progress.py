"""Progress bars for the terminal and Jupyter (tqdm.auto picks the right one)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

ProgressCallback = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: called as each item (and the synopsis) completes."""


def progress_bars(file: Any = None) -> ProgressCallback:
    """A callback drawing one bar per stage: a widget in Jupyter, text on stderr elsewhere."""
    from tqdm.auto import tqdm  # noqa: PLC0415 - tqdm.auto probes for Jupyter; only when bars are drawn

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=file or sys.stderr, leave=False)
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
