"""Argument checks for the public API (`bezpieczny.api`): each function's type hints are its contract.

`checked(function)` compares every argument with the function's annotation before the function runs and raises an
`ArgumentTypeError` (both a `TypeError` and a `ValueError`, so code catching either sees it) naming the function,
the argument, what it accepts and what it got — instead of an internal error deep inside (`unhashable type:
'list'`, `'NoneType' object has no attribute …`). An argument annotated as an iterable is materialised once into a
tuple, so a generator is checked and still read whole by the function. Values (unknown ids, years without data) are
then checked by the function itself against the warehouse's allow-lists (`ValueError`).
"""

from __future__ import annotations

import collections.abc
import inspect
import os
import types
import typing
from functools import wraps
from pathlib import Path
from typing import Any

_SHOWN = 60


class ArgumentTypeError(TypeError, ValueError):
    """An argument of a public API function is not of a type the function accepts."""


def describe(hint: object) -> str:
    """A type hint in words: 'str', 'an iterable of str', 'int or None'."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(arg) for arg in args)
    if hint is type(None):
        return "None"
    if hint is Path:
        return "a path (str or os.PathLike)"
    if origin is collections.abc.Iterable:
        return f"an iterable of {describe(args[0])}"
    if origin in (tuple, list, dict):
        return f"a {origin.__name__} of {', '.join(describe(arg) for arg in args)}"
    return getattr(hint, "__name__", str(hint))


def matches(value: object, hint: object) -> bool:
    """Whether `value` is what `hint` allows (bool is not an int here; an int is a float)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(matches(value, arg) for arg in args)
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is Path:
        return isinstance(value, str | os.PathLike)
    if origin is collections.abc.Iterable:
        if isinstance(value, str | bytes | dict) or not isinstance(value, collections.abc.Iterable):
            return False
        return all(matches(item, args[0]) for item in value)
    if origin is tuple:
        return isinstance(value, tuple) and len(value) == len(args) and all(map(matches, value, args))
    if origin is list:
        return isinstance(value, list) and all(matches(item, args[0]) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(matches(key, args[0]) for key in value)
    return isinstance(value, hint) if isinstance(hint, type) else True


def _iterable_in(hint: object) -> bool:
    if typing.get_origin(hint) is collections.abc.Iterable:
        return True
    return any(_iterable_in(arg) for arg in typing.get_args(hint))


def checked(function):
    """`function` with its arguments checked against its type hints (see the module's docstring)."""
    hints = typing.get_type_hints(function)
    signature = inspect.signature(function)
    name = function.__name__.lstrip("_")

    @wraps(function)
    def call(*args, **kwargs):
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:
            raise ArgumentTypeError(f"{name}(): {err}") from None
        for parameter, value in bound.arguments.items():
            hint = hints.get(parameter)
            if hint is None or signature.parameters[parameter].kind is inspect.Parameter.VAR_KEYWORD:
                continue
            if _iterable_in(hint) and isinstance(value, collections.abc.Iterator):
                value = bound.arguments[parameter] = tuple(value)  # a generator: read once, checked, passed on
            if not matches(value, hint):
                shown = repr(value)
                shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
                raise ArgumentTypeError(f"{name}(): {parameter} must be {describe(hint)}, not {shown}")
        return function(*bound.args, **bound.kwargs)

    return call
