"""Every expected failure is one line under the command's headline: the test enumerates every error class the
project defines (walking all of `etl`) and the libraries' input errors, and fails when one is not mapped."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import duckdb
import pytest
import yaml

import etl
from etl.cli import _describe
from etl.loaders.errors import ExpectedError

MESSAGE = "data/curated/police.csv, line 3, column 'value': 'abc' is not a number"


def project_error_classes() -> list[type[BaseException]]:
    """Every exception class defined in a module of `etl` (imported, so a new module's errors are found too)."""
    found = {}
    for module_info in pkgutil.walk_packages(etl.__path__, "etl."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[name] for name in sorted(found)]


CLASSES = project_error_classes()


def test_the_walk_finds_the_readers_loaders_and_build_errors():
    names = {cls.__name__ for cls in CLASSES}
    assert {"JsonStatError", "BulkFormatError", "CuratedDataError", "SchemaDriftError", "BuildError"} <= names


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
def test_every_project_error_is_an_expected_error_printed_in_one_line(cls):
    assert issubclass(cls, ExpectedError), f"{cls.__name__}: derive it from etl.loaders.errors.ExpectedError"
    error = cls.__new__(cls)
    Exception.__init__(error, MESSAGE)  # the message a real raise would carry; its own __init__ only composes it
    text = _describe(error)
    assert text is not None and MESSAGE in text and "\n" not in text


@pytest.mark.parametrize(
    "error",
    [
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        FileNotFoundError(2, "No such file or directory", "data/curated/police.csv"),
        duckdb.IOException("IO Error: could not read\nfile data/warehouse/x.duckdb"),
        yaml.YAMLError("mapping values are not allowed here\n  in 'a.yaml', line 3, column 7"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_the_libraries_input_errors_are_mapped_to_one_line(error):
    text = _describe(error)
    assert text is not None and "\n" not in text


def test_an_unexpected_error_is_not_mapped_so_its_traceback_shows():
    assert _describe(KeyError("bug")) is None
