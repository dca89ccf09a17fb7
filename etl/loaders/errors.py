"""Errors that offline code (transforms, the build) raises about landed files. No network imports here."""

from __future__ import annotations


class SchemaDriftError(ValueError):
    """A landed file no longer has the shape the transform expects. Names source, file and field."""

    def __init__(self, source: str, file: str, field: str, detail: str):
        super().__init__(f"{source}: schema drift in {file}, field {field!r}: {detail}")
        self.source, self.file, self.field, self.detail = source, file, field, detail
