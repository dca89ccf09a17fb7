"""requirements.lock pins every dependency that pyproject.toml declares, at a version the declaration allows.

`make run` and `make test` install from the lock only (the project itself with --no-deps), so a dependency added to
pyproject.toml without `make lock` would be missing on a fresh machine; this test says so first."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
LOCK = REPO / "requirements.lock"
LOCKED_EXTRAS = ("test", "dev")


def declared_requirements(pyproject: dict) -> list[Requirement]:
    project = pyproject["project"]
    lines = list(project["dependencies"])
    for extra in LOCKED_EXTRAS:
        lines += project["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def lock_pins(text: str, environment: dict[str, str]) -> dict[str, str]:
    """Name → pinned version of every lock line whose marker holds in `environment` (a universal lock pins some
    packages twice, e.g. one numpy for Python 3.11 and a newer one for 3.12+)."""
    pins: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"lock line is not a pin: {raw}"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def lock_problems(requirements: list[Requirement], pins: dict[str, str]) -> list[str]:
    problems = []
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{requirement.name} is declared but not in {LOCK.name}")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"{requirement.name}=={pins[name]} in {LOCK.name} does not satisfy {requirement}")
    return problems


def test_lock_pins_every_declared_dependency_within_its_range():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    pins = lock_pins(LOCK.read_text(), default_environment())
    assert lock_problems(declared_requirements(pyproject), pins) == [], "run `make lock`"


def test_a_dependency_missing_from_the_lock_or_pinned_out_of_range_is_reported():
    pins = {"pandas": "2.1.0", "duckdb": "1.1.0"}
    problems = lock_problems([Requirement("pandas>=2.2"), Requirement("duckdb>=1.1"), Requirement("rich>=13")], pins)
    assert problems == [
        f"pandas==2.1.0 in {LOCK.name} does not satisfy pandas>=2.2",
        f"rich is declared but not in {LOCK.name}",
    ]


def test_lock_lines_for_another_python_are_left_out():
    text = "numpy==2.4.6 ; python_full_version < '3.12'\nnumpy==2.5.5 ; python_full_version >= '3.12'\n"
    assert lock_pins(text, {**default_environment(), "python_full_version": "3.11.7"}) == {"numpy": "2.4.6"}
    assert lock_pins(text, {**default_environment(), "python_full_version": "3.13.1"}) == {"numpy": "2.5.5"}
