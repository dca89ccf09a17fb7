"""Errors that offline code (transforms, the build) raises about landed files. No network imports here.

`ExpectedError` is the base of every error the project raises on purpose about its inputs (a file, a field, a
setting, a source): its message is one line naming the file and the place, and `hint` (one line) says what to do.
The command line prints both without a traceback (`--debug` shows it); a test enumerates every subclass.
"""

from __future__ import annotations


class ExpectedError(Exception):
    """An expected failure about an input: one line naming the file and the place; `hint` is the fix, one line."""

    hint: str = ""


class SchemaDriftError(ExpectedError, ValueError):
    """A landed file no longer has the shape the transform expects. Names source, file and field."""

    hint = (
        "the publisher's response no longer has the expected shape: check the field named, or delete that landed "
        "file (and its .meta.json) to build from the snapshot"
    )

    def __init__(self, source: str, file: str, field: str, detail: str):
        super().__init__(f"{source}: schema drift in {file}, field {field!r}: {detail}")
        self.source, self.file, self.field, self.detail = source, file, field, detail
