"""The examples in `bezpieczny.api`'s docstrings run, on the session warehouse built from the committed snapshot."""

from __future__ import annotations

import doctest

from bezpieczny import api


def test_every_api_docstring_example_gives_what_it_shows(warehouse_path, monkeypatch):
    from etl.config import settings

    # `open_warehouse()` in the examples opens the default warehouse: here, the session's.
    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse_path))
    settings.cache_clear()
    try:
        result = doctest.testmod(api, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=True)
    finally:
        settings.cache_clear()
        api.open_warehouse(warehouse_path)
    assert result.failed == 0, "see the doctest report above"
    assert result.attempted >= 20, "the examples ran (none skipped)"
