"""The type checker ([tool.mypy] in pyproject.toml) finds no error in etl/ and bezpieczny/, and it would find one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mypy(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def test_mypy_finds_no_error_in_etl_and_bezpieczny():
    result = mypy(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_a_mistyped_function_in_etl_fails_the_check(tmp_path):
    """The project's settings on a two-package tree whose etl/ returns an int where it promises text."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for package in ("etl", "bezpieczny"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "etl" / "label.py").write_text("def label(year: int) -> str:\n    return year + 1\n")
    result = mypy(tmp_path, "--cache-dir", str(tmp_path / ".mypy_cache"))
    assert result.returncode == 1
    assert 'etl/label.py:2: error: Incompatible return value type (got "int", expected "str")' in result.stdout
