"""bezpieczny — the public Python API for analysts: `from bezpieczny import api` (see docs/api.md).

The names of `bezpieczny.api` are also available here: `import bezpieczny; bezpieczny.verdicts(period="2024")`.
"""

from bezpieczny import api
from bezpieczny.api import *  # noqa: F401,F403 — the public names, as listed in api.__all__

__all__ = list(api.__all__)  # `bezpieczny.api` itself stays importable as a submodule
