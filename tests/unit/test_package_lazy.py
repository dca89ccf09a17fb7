"""`import bezpieczny` stays cheap: the API's names load on first use, not with every read module."""

from __future__ import annotations

import subprocess
import sys

import pytest


def _loaded_after(statement: str) -> set[str]:
    code = (
        f"import sys; {statement}; print(' '.join(m for m in sys.modules if m.split('.')[0] in ('bezpieczny', 'etl')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return set(out.stdout.split())


def test_importing_a_read_module_does_not_load_the_api_views_or_charts():
    loaded = _loaded_after("import bezpieczny.read.connection")
    assert "bezpieczny.read.connection" in loaded
    assert not {"bezpieczny.api", "bezpieczny.views", "bezpieczny.charts"} & loaded


def test_api_names_are_still_reachable_from_the_package():
    import bezpieczny
    from bezpieczny import api

    assert bezpieczny.verdicts is api.verdicts
    assert bezpieczny.__all__ == list(api.__all__)
    assert "verdicts" in dir(bezpieczny)


def test_an_unknown_name_is_an_attribute_error():
    import bezpieczny

    with pytest.raises(AttributeError, match="no_such_function"):
        bezpieczny.no_such_function  # noqa: B018
