"""The floors of the code base hold: `lint-imports` checks the contracts in pyproject.toml ([tool.importlinter]),
so an import that goes up a floor, an import circle or the network code in the offline build fails the suite."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "contract", ["floors", "read-side-acyclic", "etl-acyclic", "no-statistics-per-request", "offline-build"]
)
def test_import_contract_is_kept(contract):
    result = lint_imports("--contract", contract)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_import_up_a_floor_breaks_the_contract(tmp_path):
    """The same contract on a tiny synthetic tree where etl imports dashboard: lint-imports must fail."""
    for package, body in (("dashboard", ""), ("bezpieczny", ""), ("etl", "import dashboard\n")):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(body)
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent("""
        [importlinter]
        root_packages =
            etl
            bezpieczny
            dashboard

        [importlinter:contract:floors]
        name = Floors
        type = layers
        layers =
            dashboard
            bezpieczny
            etl
    """)
    )
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0 and "etl -> dashboard" in result.stdout.replace("etl.__init__", "etl")


# The read side and its tests; the rest of the tree joins this list as it is made ruff-clean.
RUFF_CLEAN = [
    "bezpieczny",
    "dashboard",
    "tests/browser",
    "tests/notebooks",
    "tests/conftest.py",
    *(
        f"tests/unit/test_{name}.py"
        for name in (
            "api",
            "chart_panel",
            "committee_deck",
            "comparisons_callbacks",
            "comparisons_figures",
            "data_reopen",
            "exports",
            "i18n",
            "layering",
            "methods_tables",
            "objsub_directions",
            "pages",
            "security",
            "sparkline",
            "trend_marts",
            "trends_callbacks",
            "trends_figure",
        )
    ),
]


def test_ruff_finds_nothing_in_the_read_side():
    ruff = shutil.which("ruff", path=str(LINT_IMPORTS.parent))
    result = subprocess.run([ruff, "check", *RUFF_CLEAN], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
