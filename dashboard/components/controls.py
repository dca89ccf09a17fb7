"""Accessible form controls: drop-in replacements for `dcc.RadioItems` and `dcc.Checklist`.

Dash's own option lists render each choice as `<label role="option">` holding an `<input>` inside a
`role="listbox"` container: an interactive control nested in another (WCAG 4.1.2, axe `nested-interactive`) and a
listbox without a name. These wrappers use dash-bootstrap-components' lists instead — a native `<input>` beside its
own `<label for>`, no ARIA roles — so screen readers announce "radio button, 2023, 2 of 5" and the arrow keys move
between choices as in any HTML form. `radio_group` / `checklist_group` add the `<fieldset>` and `<legend>` that name
the group. Same `id`, `options` and `value` as the dcc components, so callbacks do not change; the dcc-style
camelCase class props are accepted and passed on.

`dcc.Dropdown` stays as it is in the pages: its markup is repaired in the browser by `assets/a11y-controls.js`
(named after its `<label for>`, focus on the real button instead of a hidden input).
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

# dcc prop name → dash-bootstrap-components prop name (the camelCase aliases are deprecated there).
_PROPS = {
    "className": "class_name",
    "inputClassName": "input_class_name",
    "labelClassName": "label_class_name",
    "inputStyle": "input_style",
    "labelStyle": "label_style",
}


def _dbc_props(props: dict) -> dict:
    return {_PROPS.get(name, name): value for name, value in props.items()}


def radio_items(**props) -> dbc.RadioItems:
    """A list of radio buttons, each a native input with its own label (props as `dcc.RadioItems`)."""
    return dbc.RadioItems(**_dbc_props(props))


def checklist(**props) -> dbc.Checklist:
    """A list of checkboxes, each a native input with its own label (props as `dcc.Checklist`)."""
    return dbc.Checklist(**_dbc_props(props))


def radio_group(legend: str, *, group_class: str = "control-group", **props) -> html.Fieldset:
    """Radio buttons in a `<fieldset>` named by its `<legend>` (replaces a `html.Label` + `dcc.RadioItems` pair)."""
    return html.Fieldset([html.Legend(legend), radio_items(**props)], className=group_class)


def checklist_group(legend: str, *, group_class: str = "control-group", **props) -> html.Fieldset:
    """Checkboxes in a `<fieldset>` named by its `<legend>` (replaces a `html.Label` + `dcc.Checklist` pair)."""
    return html.Fieldset([html.Legend(legend), checklist(**props)], className=group_class)
