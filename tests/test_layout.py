"""The package's shape: no import cycles, no oversized modules, contracts that name every module.

Who may import whom is declared in ``[tool.importlinter]`` (pyproject.toml) and checked by
``lint-imports`` in CI. These tests cover what those contracts cannot: cycles between sibling
modules, module size, and that the hand-written module lists in the contracts stay complete as
modules are added.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "summarise"
MAX_LINES = 500


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("summarise", cache_dir=None)


def import_cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Every direct import ``a -> b`` for which ``b`` leads back to ``a``, as the cycle's modules.

    Imports inside functions and under ``TYPE_CHECKING`` count too: a cycle broken only by
    deferring an import is still a cycle in the design.
    """
    cycles: set[tuple[str, ...]] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycle = (importer, *back)
                # one entry per cycle, whichever edge found it: rotate to start at the smallest name
                start = cycle.index(min(cycle[:-1]))
                cycles.add(cycle[start:-1] + cycle[:start] + (cycle[start],))
    return sorted(cycles)


def test_cycle_finder_finds_a_cycle() -> None:
    g = grimp.ImportGraph()
    for module in ("p", "p.a", "p.b", "p.c", "p.d"):
        g.add_module(module)
    g.add_import(importer="p.a", imported="p.b")
    g.add_import(importer="p.b", imported="p.c")
    g.add_import(importer="p.c", imported="p.a")
    g.add_import(importer="p.d", imported="p.a")
    assert import_cycles(g) == [("p.a", "p.b", "p.c", "p.a")]


def test_no_import_cycles(graph: grimp.ImportGraph) -> None:
    cycles = import_cycles(graph)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(ROOT)) for p in MODULES])
def test_module_is_at_most_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines (limit {MAX_LINES}): split it"


def top_level_modules(graph: grimp.ImportGraph) -> set[str]:
    return {m for m in graph.modules if m.count(".") == 1}


def contracts() -> dict[str, dict[str, Any]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_testing_contract_names_every_library_module(graph: grimp.ImportGraph) -> None:
    """A forbidden contract only checks the sources it lists: a new module must be added."""
    sources = set(contracts()["testing"]["source_modules"])
    assert sources == top_level_modules(graph) - {"summarise.testing"}


def test_shims_contract_names_every_library_module(graph: grimp.ImportGraph) -> None:
    sources = set(contracts()["shims"]["source_modules"])
    assert sources == top_level_modules(graph) - {"summarise.schema", "summarise.meeting"}


def test_facade_does_not_import_testing(graph: grimp.ImportGraph) -> None:
    """The root package (``summarise/__init__.py``) cannot be a contract source; check it here."""
    testing = {m for m in graph.modules if m == "summarise.testing" or m.startswith("summarise.testing.")}
    reached = {m for m in testing if graph.chain_exists(importer="summarise", imported=m)}
    assert not reached


def test_importing_the_library_does_not_import_openai() -> None:
    """openai takes most of a second to import: offline runs, `--help` and `import summarise` skip it."""
    import subprocess
    import sys

    code = "import sys, summarise, summarise.cli, summarise.evaluation; print('openai' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
