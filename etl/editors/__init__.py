"""Editors: the people who may upload the city's own files in the browser (issue 27 items 3–5).

Everything here lives in `settings().editors_dir` (default `data/editors/`): outside every served folder and outside
git. `users` holds the accounts (argon2 hashes), managed only from the CLI (`bezpieczny users …`).
"""

from __future__ import annotations

from pathlib import Path

from etl.config import settings


def editors_dir() -> Path:
    folder = settings().editors_dir
    assert folder is not None  # always set by settings()
    return folder
