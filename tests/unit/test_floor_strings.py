"""No module names a floor above its own, not even in a string (issue 25 item 5).

import-linter sees `import` statements only; a module path in a string (`importlib.import_module("dashboard.wsgi")`,
gunicorn's `"dashboard.wsgi:server"`, a docstring pointing at `dashboard/editor.py`) is a dependency it cannot see.
Every string literal of `etl/` (docstrings and f-string parts included) must not name a module or folder of
`bezpieczny/` or `dashboard/`, and none of `bezpieczny/` may name `dashboard/`. Comments are not strings and may.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABOVE = {"etl": ("bezpieczny", "dashboard"), "bezpieczny": ("dashboard",)}
# `dashboard.wsgi`, `dashboard.wsgi:server`, `dashboard.worker`, `bezpieczny/views/x.py`, `"dashboard"`
REFERENCE = re.compile(r"(?<![\w./-])(?P<floor>bezpieczny|dashboard)(?:(?P<sep>[./:])(?P<name>[A-Za-z_]\w*))?")


def _is_module_reference(floor: str, separator: str | None, name: str | None, root: Path) -> bool:
    """Whether a match names the floor's package: alone, as a folder (`floor/x`), or a module (`floor.x` that exists).

    `bezpieczny.duckdb` (the warehouse's file name) is not a module of the `bezpieczny` package, so it passes."""
    if separator is None:
        return True
    if separator in "/:":
        return True
    return (root / floor / name).is_dir() or (root / floor / f"{name}.py").is_file()


def upward_references(source: str, floor: str, root: Path = ROOT) -> list[str]:
    """The strings in `source` (a module of `floor`) that name a floor above it, each as `line: text`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        for match in REFERENCE.finditer(node.value):
            floor_named, separator, name = match.group("floor", "sep", "name")
            if floor_named in ABOVE[floor] and _is_module_reference(floor_named, separator, name, root):
                if separator is None and match.group(0) != node.value.strip():
                    continue  # the word in a sentence ("the dashboard shows"); only the bare name as a whole string
                found.append(f"{node.lineno}: {match.group(0)}")
    return found


@pytest.mark.parametrize("floor", sorted(ABOVE))
def test_no_module_names_a_floor_above_its_own(floor):
    offenders = {
        str(path.relative_to(ROOT)): refs
        for path in sorted((ROOT / floor).rglob("*.py"))
        if (refs := upward_references(path.read_text(encoding="utf-8"), floor))
    }
    assert not offenders, offenders


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('COMMAND = ["gunicorn", "-A", "dashboard.worker", "dashboard.wsgi:server"]', 2),
        ('import importlib\nimportlib.import_module("dashboard")', 1),
        ('"""Read by `bezpieczny/views/trends.py`."""', 1),
        ('NAME = f"{1}bezpieczny.views"', 1),
        ('WAREHOUSE = "bezpieczny.duckdb"', 0),
        ('"""What the dashboard shows, and `bezpieczny check`."""', 0),
    ],
)
def test_the_scan_finds_a_floor_named_in_a_string_and_only_then(source, expected):
    assert len(upward_references(source, "etl")) == expected
