"""Run examples/summarise_meeting.ipynb on a real kernel and commit it with its outputs.

    python examples/execute_notebook.py [--check]

The notebook runs as a newcomer would run it in Jupyter, with no key and no base URL, so the offline
engine writes the summary (nothing is sent anywhere), and the caches go to a temporary folder.
Progress bars (stderr) are left out of the saved outputs: they are drawn for a person watching.
``--check`` writes nothing and exits 1 when the committed outputs differ from a fresh run's, beyond
what differs on every run (the summary's creation time and the ids made from it).
Needs the dev extra (nbformat, nbclient, ipykernel, pandas).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
NOTEBOOK = HERE / "summarise_meeting.ipynb"
# What changes on every run: the creation time, the summary id made from it, and the kernel's timings.
_VOLATILE = [
    (re.compile(r"\bs[0-9a-f]{8}\b"), "sID"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "TIME"),
    (re.compile(r"datetime\.datetime\([^)]*\)"), "TIME"),
]


def execute(notebook: Any) -> Any:
    """``notebook`` run top to bottom in examples/, offline; stderr streams (progress bars) dropped."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_API_KEY", "SUMMARISE_API_KEY"):
        os.environ.pop(name, None)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["SUMMARISE_CACHE_DIR"] = cache
        client = NotebookClient(
            notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}
        )
        client.execute()
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
            cell.metadata.pop("execution", None)
    return notebook


def normalised(notebook: Any) -> list[Any]:
    """Each code cell's source and outputs, with what changes on every run replaced."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        outputs = [{k: v for k, v in o.items() if k != "execution_count"} for o in cell.outputs]
        text = json.dumps([cell.source, outputs], sort_keys=True)
        for pattern, stand_in in _VOLATILE:
            text = pattern.sub(stand_in, text)
        cells.append(text)
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed outputs only")
    args = parser.parse_args()
    committed = nbformat.read(NOTEBOOK, as_version=4)
    fresh = execute(copy.deepcopy(committed))
    if args.check:
        if normalised(fresh) != normalised(committed):
            print(
                f"{NOTEBOOK.name}: outputs are stale; run python examples/execute_notebook.py",
                file=sys.stderr,
            )
            return 1
        print(f"{NOTEBOOK.name}: outputs are current")
        return 0
    nbformat.write(fresh, NOTEBOOK)
    print(f"wrote {NOTEBOOK} with its outputs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
