"""Editor accounts: login name, display name and an argon2 password hash, in one JSON file.

There is no default account: until `bezpieczny users add` runs, nobody can log in. The file is written through a
temporary file and a rename (a reader never sees half of it) and readable by its owner only.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.editors import editors_dir
from etl.loaders.errors import ExpectedError

MIN_PASSWORD_LENGTH = 12
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class UserError(ExpectedError, ValueError):
    """A refused account change (bad login name, short password, unknown or existing user)."""


@dataclass(frozen=True)
class Editor:
    login: str
    display_name: str
    created: str


def users_file() -> Path:
    return editors_dir() / "users.json"


def _read() -> dict[str, dict]:
    path = users_file()
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _write(users: dict[str, dict]) -> None:
    path = users_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".users-")  # created 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(users, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def add_user(login: str, display_name: str, password: str, *, replace: bool = False) -> Editor:
    """Create an account (or, with `replace`, give an existing one a new password and name)."""
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise UserError(f"login {login!r}: use 2–40 characters a–z, 0–9, '.', '_' or '-', starting with a letter/digit")
    if not display_name.strip():
        raise UserError("the display name is empty; it is shown in the public audit table")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password is shorter than {MIN_PASSWORD_LENGTH} characters")
    users = _read()
    if login in users and not replace:
        raise UserError(f"user {login!r} exists; use --replace to set a new password")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    users[login] = {"display_name": display_name.strip(), "hash": _hasher.hash(password), "created": created}
    _write(users)
    return Editor(login, display_name.strip(), created)


def remove_user(login: str) -> None:
    users = _read()
    if login not in users:
        raise UserError(f"no user {login!r}")
    del users[login]
    _write(users)


def list_users() -> list[Editor]:
    return [Editor(login, entry["display_name"], entry["created"]) for login, entry in sorted(_read().items())]


def find_user(login: str) -> Editor | None:
    entry = _read().get(login)
    return Editor(login, entry["display_name"], entry["created"]) if entry else None


@cache
def _dummy_hash() -> str:
    """A hash of a random password: an unknown login is verified against it, so it takes as long as a wrong one."""
    return _hasher.hash(secrets.token_hex(16))


def verify(login: str, password: str) -> Editor | None:
    """The editor when `password` is right for `login`, else None (same work done either way)."""
    login = login.strip().lower()
    entry = _read().get(login)
    try:
        _hasher.verify(entry["hash"] if entry else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    return Editor(login, entry["display_name"], entry["created"]) if entry else None


def secret_key() -> str:
    """The key that signs editor sessions: BEZPIECZNY_SECRET_KEY, else one created once in the editors folder
    (every worker of this host reads the same file; the first to start creates it)."""
    from etl.config import settings

    configured = settings().secret_key
    if configured:
        return configured
    path = editors_dir() / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")  # created 0600
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # fails if another worker got there first: then its key is the key
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii").strip()
