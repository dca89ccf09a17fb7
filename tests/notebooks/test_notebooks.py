"""The analysts' notebooks: committed without outputs, and executed top to bottom (nbclient, the venv's own
kernel) against the warehouse built for this test session, failing on any cell error. Notebook 01's key numbers
must equal what the dashboard's overview shows."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = REPO / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ["01_trendy_krakow", "02_porownania_miast", "03_bezpieczenstwo_subiektywne", "04_wlasny_wskaznik"]
REPORT_MARK = "NOTEBOOK-TEST-REPORT "

# Appended to every executed copy (never to the committed file): which interpreter ran the kernel and which
# warehouse the notebook read.
KERNEL_REPORT = f"""
import json as _json, sys as _sys
from bezpieczny import read as _read
print({REPORT_MARK!r} + _json.dumps({{"prefix": _sys.prefix, "warehouse": str(_read.warehouse().path)}}))
"""
KEY_NUMBERS_REPORT = f"""
print({REPORT_MARK!r} + _json.dumps({{**kluczowe_liczby, "sentence_pl": w2024["sentence_pl"]}}))
"""


def test_the_four_numbered_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_carries_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name} cell {index} has outputs: clear them before committing"
            assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"
    assert "widgets" not in notebook.metadata
    assert notebook.metadata["kernelspec"]["name"] == "python3"


@pytest.fixture(scope="module")
def kernel_env(warehouse_path) -> dict[str, str]:
    """The kernel's environment: the session warehouse, and plotly's plain JSON renderer (no embedded plotly.js)."""
    return {**os.environ, "BEZPIECZNY_WAREHOUSE": str(warehouse_path), "PLOTLY_RENDERER": "json"}


_executed: dict[str, list[dict]] = {}


def execute(path: Path, env: dict[str, str]) -> list[dict]:
    """Run a copy of the notebook top to bottom (errors raise CellExecutionError); return the report lines."""
    if path.stem not in _executed:
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(new_code_cell(KERNEL_REPORT))
        if path.stem == "01_trendy_krakow":
            notebook.cells.append(new_code_cell(KEY_NUMBERS_REPORT))
        client = NotebookClient(
            notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(NOTEBOOK_DIR)}}
        )
        client.execute(env=env)
        reports = [
            json.loads(line[len(REPORT_MARK) :])
            for cell in notebook.cells
            if cell.cell_type == "code"
            for output in cell.outputs
            if output.get("name") == "stdout"
            for line in output["text"].splitlines()
            if line.startswith(REPORT_MARK)
        ]
        _executed[path.stem] = reports
    return _executed[path.stem]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_on_the_session_warehouse(path, kernel_env, warehouse_path):
    report = execute(path, kernel_env)[0]
    assert report["prefix"] == sys.prefix, "the kernel is not this virtual environment's python"
    assert Path(report["warehouse"]) == warehouse_path.resolve()


@pytest.mark.slow
def test_notebook_01_key_numbers_equal_the_dashboard_overview(kernel_env, dashboard_app):
    from dash.development.base_component import Component

    from bezpieczny.i18n import fmt_number
    from dashboard.pages import overview

    key = execute(NOTEBOOK_DIR / "01_trendy_krakow.ipynb", kernel_env)[1]
    assert key["indicator_id"] == "crimes_count__criminal" and key["period_id"] == "2024"

    tile = None
    stack: list = [overview.layout(lang="pl", period="2024")]
    while stack and tile is None:
        node = stack.pop()
        if isinstance(node, Component):
            if getattr(node, "id", None) == f"tile-{key['indicator_id']}":
                tile = node
            children = getattr(node, "children", None)
            stack.extend(children if isinstance(children, list) else [children])
    assert tile is not None, "the overview has no tile for crimes of criminal character"

    texts: list[str] = []
    stack = [tile]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, Component):
            children = getattr(node, "children", None)
            stack.extend(children if isinstance(children, list) else [children])
    shown = " ".join(texts)
    assert f"tile-{key['reading']}" in tile.className  # the card shows the verdict's reading
    assert key["sentence_pl"] in shown  # value, baseline, change, interval and state in one generated sentence
    assert fmt_number(key["assessment_value"], "pl", 0) in shown
    assert fmt_number(key["baseline_value"], "pl", 1) in shown
