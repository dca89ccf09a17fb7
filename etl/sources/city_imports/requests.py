"""Holders of curated series and what to ask them for (`requests.yaml`), for the requests for public information
the overview offers (the read layer's requests view)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from etl.loaders.yaml_files import read_yaml

REQUESTS_PATH = Path(__file__).resolve().parent / "requests.yaml"


@cache
def holders() -> dict[str, dict]:
    """{indicator id: {holder, scope, register}}."""
    return read_yaml(REQUESTS_PATH)
