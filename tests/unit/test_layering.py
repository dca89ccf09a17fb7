"""The floors of the code base hold: `lint-imports` checks the contracts in pyproject.toml ([tool.importlinter]),
so an import that goes up a floor, an import circle or the network code in the offline build fails the suite. And one
style: `ruff check` and `ruff format --check` pass on the whole tree (the same hooks as .pre-commit-config.yaml)."""

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
    "contract",
    [
        "floors",
        "cli-starts-light",
        "read-side-acyclic",
        "etl-acyclic",
        "no-statistics-per-request",
        "no-scipy-on-the-read-side",
        "read-side-layers",
        "offline-build",
    ],
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


def test_a_view_importing_a_chart_breaks_the_read_side_layers(tmp_path):
    """charts → views → read on a tiny synthetic tree where a view imports a chart: lint-imports must fail."""
    root = tmp_path / "bezpieczny"
    for package, body in (("", ""), ("charts", ""), ("views", "import bezpieczny.charts\n"), ("read", "")):
        (root / package).mkdir(parents=True, exist_ok=True)
        (root / package / "__init__.py").write_text(body)
    (tmp_path / ".importlinter").write_text(
        textwrap.dedent("""
        [importlinter]
        root_package = bezpieczny

        [importlinter:contract:read-side-layers]
        name = Read side
        type = layers
        layers =
            bezpieczny.charts
            bezpieczny.views
            bezpieczny.read
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
    assert result.returncode != 0 and "bezpieczny.views -> bezpieczny.charts" in result.stdout


RUFF = Path(sys.executable).with_name("ruff")


def ruff(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(RUFF), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_ruff_check_finds_nothing_in_the_whole_tree():
    result = ruff("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_would_change_no_file():
    result = ruff("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_a_finding_and_an_unformatted_file(tmp_path):
    """The two checks above can fail: the project's settings applied to a file with an unused import, badly spaced."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "sloppy.py").write_text("import os\nx=[1,2]\n")
    check, fmt = ruff("check", ".", cwd=tmp_path), ruff("format", "--check", ".", cwd=tmp_path)
    assert check.returncode == 1 and "F401" in check.stdout
    assert fmt.returncode == 1 and "sloppy.py" in fmt.stdout


def test_pre_commit_configuration_is_valid():
    pre_commit = Path(sys.executable).with_name("pre-commit")
    result = subprocess.run(
        [str(pre_commit), "validate-config", ".pre-commit-config.yaml"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
