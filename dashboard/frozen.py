"""Cached layouts encoded once: a frozen component answers `to_plotly_json()` with its whole subtree already
turned into plain dicts and lists, so encoding a response that holds it is a pass of the C JSON encoder instead of
a Python call per component.

Why: Dash encodes a callback's output with plotly's JSON encoder, which calls `to_plotly_json()` for every
component it meets, ~430 of them on a comparisons page, ~5 ms a response even when every section of the page
comes from the cache. A layout that is cached (per published warehouse) is encoded the same way every time, so
it is walked once, when it is made.

The component tree itself is kept unchanged beside its plain form: the server still reads it (the charts' rows
for the downloads, the request guard's options). A frozen tree must not be changed afterwards, which cached
layouts never are (they are shared between requests).
"""

from __future__ import annotations

from dash.development.base_component import Component


class _KeptJson:
    """A frozen component's `to_plotly_json`: its plain form, worked out once. A class rather than a closure, so
    that a frozen tree can still be pickled or deep-copied."""

    __slots__ = ("plain",)

    def __init__(self, plain: dict):
        self.plain = plain

    def __call__(self) -> dict:
        return self.plain


def freeze(component):
    """``component`` (or anything else, returned as it is) with its plain JSON form worked out and kept."""
    if not isinstance(component, Component) or isinstance(component.__dict__.get("to_plotly_json"), _KeptJson):
        return component
    # An instance attribute in front of the class's method: the encoder, and anything else asking, gets the kept
    # form. Set through object.__setattr__ so that it is not mistaken for a component property.
    object.__setattr__(component, "to_plotly_json", _KeptJson(_plain(component)))
    return component


def _plain(component: Component) -> dict:
    kept = component.__dict__.get("to_plotly_json")
    if isinstance(kept, _KeptJson):  # a frozen section inside a page being frozen: already done
        return kept.plain
    spec = type(component).to_plotly_json(component)  # the class's method, not the kept form
    props = spec["props"]
    if "children" in props:
        props["children"] = _plain_children(props["children"])
    return spec


def _plain_children(children):
    # Components sit in `children`. Another property holding a component (none of ours do) is still encoded
    # correctly, by the encoder's own call of its `to_plotly_json()`.
    if isinstance(children, Component):
        return _plain(children)
    if isinstance(children, list | tuple):
        return [_plain_children(child) for child in children]
    return children
