"""The offline build never loads the network step; etl has no import circles."""

from __future__ import annotations

import ast
import subprocess
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ETL = Path(__file__).resolve().parents[2] / "etl"


def test_offline_build_does_not_import_requests_or_the_fetch_module():
    code = (
        "import etl.build, etl.sources.registry, sys; "
        "assert 'requests' not in sys.modules and 'etl.fetch' not in sys.modules, "
        "sorted(m for m in sys.modules if m in ('requests', 'etl.fetch'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_cli_and_the_build_start_without_the_network_step_or_scipy_stats():
    """`bezpieczny build` imports the CLI, the build and the verdict marts: none of them loads `requests`, the
    fetch step or scipy.stats (importing scipy.stats cost a fresh build 0.7 s; the build uses scipy.special)."""
    code = (
        "import dashboard.cli, etl.build, etl.sources.registry, etl.marts, sys; "
        "loaded = sorted(m for m in sys.modules if m in ('requests', 'etl.fetch', 'etl.loaders.http', "
        "'scipy.stats')); assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ETL.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """etl modules a file imports (at any depth: a deferred import inside a function is still an edge)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("etl"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("etl"))
    return found


def test_etl_modules_import_each_other_without_circles():
    modules = {_module_name(p): p for p in ETL.rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    try:
        list(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import circle in etl: {error.args[1]}") from None
