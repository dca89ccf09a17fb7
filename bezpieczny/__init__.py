"""bezpieczny — the public Python API for analysts: `from bezpieczny import api` (see docs/api.md).

The names of `bezpieczny.api` are also available here: `import bezpieczny; bezpieczny.verdicts(period="2024")`.
They are loaded on first use (PEP 562), so importing a small read module (`bezpieczny.read.connection`) does not load
the whole API, its views and charts.
"""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    api = importlib.import_module("bezpieczny.api")
    if name == "__all__" or name in api.__all__:
        return list(api.__all__) if name == "__all__" else getattr(api, name)
    raise AttributeError(f"module 'bezpieczny' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(importlib.import_module("bezpieczny.api").__all__))
