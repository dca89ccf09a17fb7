"""HTTP security headers compatible with Dash, the callback request guard, and what a failing callback answers.

Dash's renderer starts from a small inline script; instead of allowing all inline scripts we allow exactly those
by their hashes (`app.csp_hashes()`), which Dash computes for us.

Errors go through the framework's own hooks, never a replaced endpoint: a callback that raises reaches
`callback_failed`, the app's `Dash(on_error=…)`; what Dash itself refuses before a callback runs reaches a Flask
error handler on the callback endpoint (`add_request_guard`). Both answer 204 (the page stays as it was) and log one
JSON line with the request id (dashboard/logs.py).
"""

from __future__ import annotations

import logging

import dash

from dashboard import plotlyjs

# Sent with every response, by the app (below), by gunicorn's own error pages (`deploy.gunicorn_conf`) and by
# nginx in production (`deploy/nginx/bezpieczny.conf` repeats them; keep the three in step).
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
# Error pages written by the server itself have no scripts, styles or images at all.
ERROR_PAGE_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
}


def content_security_policy(app: dash.Dash) -> str:
    script_hashes = " ".join(app.csp_hashes())  # already quoted by Dash
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {script_hashes}",
            "style-src 'self' 'unsafe-inline'",  # plotly and Dash components set inline styles
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",  # the maps are SVG (geo subplots): no WebGL map worker started from a blob: URL
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(app: dash.Dash) -> None:
    policy: list[str] = []

    @app.server.after_request
    def _set_headers(response):
        if not policy:  # hashes are known only once Dash has built its index page
            policy.append(content_security_policy(app))
        response.headers["Content-Security-Policy"] = policy[0]
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


# --- request guard ------------------------------------------------------------------------------------------------
# A visitor's browser sends Dash callback requests; a hostile or broken client can send anything. The guard checks
# size and shape only: a body of at most 1 MB, JSON at most 32 deep, naming a registered server callback, with the
# inputs and state it declares, each value of the JSON type its control produces. Anything else is answered 400
# before any callback runs (never a 500); what a value means is the callback's to check (a bad link → a message).
MAX_REQUEST_BYTES = 1024 * 1024  # Dash callback payloads are a few kB (as `deploy.gunicorn_conf.MAX_BODY_BYTES`)
MAX_JSON_DEPTH = 32
_URL_PROPERTIES = {"pathname", "search", "hash", "href"}
_COUNT_PROPERTIES = {"n_clicks", "n_clicks_timestamp"}
_OPTION_COMPONENTS = {"Dropdown", "RadioItems", "Checklist"}


# Dash serves these for its development tools (hot reload) even when they are off; they answer 404 unless they are on.
DEVELOPMENT_ENDPOINTS = ("_reload-hash",)


class BadCallbackRequest(ValueError):
    """A callback request that no browser running this app would send."""


def json_depth(value: object) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if depth > MAX_JSON_DEPTH:
            return depth
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


def decode_body(raw: bytes) -> dict:
    """The request body as a JSON object; malformed, too deep or not an object → BadCallbackRequest."""
    import json

    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as err:  # the C decoder stops at deep nesting with RecursionError
        raise BadCallbackRequest("body is not JSON") from err
    if not isinstance(body, dict):
        raise BadCallbackRequest("body is not a JSON object")
    if json_depth(body) > MAX_JSON_DEPTH:
        raise BadCallbackRequest("JSON nested too deeply")
    return body


def json_kind(value: object) -> str:
    """The JSON type a value is sent as ('str', 'int', 'float', 'bool', 'null', …); numpy numbers included."""
    import numbers

    if value is None or isinstance(value, bool | str):
        return {type(None): "null", bool: "bool", str: "str"}[type(value)]
    if isinstance(value, numbers.Integral):
        return "int"
    return "float" if isinstance(value, numbers.Real) else type(value).__name__


def _is_scalar(value: object) -> bool:
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    return value is None or isinstance(value, str | int | bool)


def option_types(app: dash.Dash) -> dict[str, tuple[set[str], bool]]:
    """{control id: (types of its option values, whether its value is a list)} for every Dropdown, RadioItems and
    Checklist in the pages' default layouts: the types a browser can send as that control's `value`."""
    found: dict[str, tuple[set[str], bool]] = {}
    for page in dash.page_registry.values():
        layout = page["layout"]() if callable(page["layout"]) else page["layout"]
        if not isinstance(layout, dash.development.base_component.Component):
            continue
        for component in [layout, *layout._traverse()]:
            kind = type(component).__name__
            ident, options = getattr(component, "id", None), getattr(component, "options", None)
            if kind in _OPTION_COMPONENTS and isinstance(ident, str) and isinstance(options, list):
                types = {json_kind(option.get("value")) for option in options if isinstance(option, dict)}
                if "float" in types:
                    types.add("int")
                found[ident] = (types, kind == "Checklist" or bool(getattr(component, "multi", False)))
    return found


def check_value(ident: object, prop: str, value: object, options: dict) -> None:
    """One input or state value against what its control can produce."""
    if prop in _URL_PROPERTIES:
        ok = value is None or isinstance(value, str)
    elif prop in _COUNT_PROPERTIES:
        ok = value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0)
    elif prop == "value" and isinstance(ident, str) and ident in options:
        types, many = options[ident]
        items = value if many and isinstance(value, list) else [value]
        ok = value is None or (
            isinstance(value, list) == many and all(json_kind(item) in types and _is_scalar(item) for item in items)
        )
    elif prop == "value":
        ok = _is_scalar(value) or (isinstance(value, list) and all(_is_scalar(item) for item in value))
    else:
        ok = True  # other properties (e.g. a <details>' `open`) are checked by the callback that reads them
    if not ok:
        raise BadCallbackRequest(f"unexpected value for {prop}")


def _check_items(items: object, declared: list[dict], options: dict) -> None:
    if not isinstance(items, list) or len(items) != len(declared):
        raise BadCallbackRequest("inputs do not match the callback")
    for item, spec in zip(items, declared):
        for entry in item if isinstance(item, list) else [item]:  # ALL / ALLSMALLER wildcards give lists
            if (
                not isinstance(entry, dict)
                or entry.get("property") != spec["property"]
                or not isinstance(entry.get("id"), str | dict)
            ):
                raise BadCallbackRequest("inputs do not match the callback")
            check_value(entry["id"], entry["property"], entry.get("value"), options)


def check_callback_request(body: dict, callback_map: dict, options: dict) -> None:
    """A decoded `_dash-update-component` body against the registered callback it names."""
    output = body.get("output")
    if not isinstance(output, str) or "callback" not in callback_map.get(output, {}):  # clientside ones have none
        raise BadCallbackRequest("unknown callback")
    outputs = body.get("outputs")
    if not all(isinstance(o, dict) for o in (outputs if isinstance(outputs, list) else [outputs])):
        raise BadCallbackRequest("malformed outputs")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("malformed changedPropIds")
    declared = callback_map[output]
    _check_items(body.get("inputs"), declared["inputs"], options)
    _check_items(body.get("state", []), declared.get("state", []), options)


_GUARD_OPTIONS = "bezpieczny.control_options"


def prime_request_guard(server) -> None:
    """Work out the controls' option types the request guard checks values against (see `add_request_guard`), if
    this Flask server has the guard."""
    control_options = server.extensions.get(_GUARD_OPTIONS)
    if control_options is not None:
        control_options()


log = logging.getLogger(__name__)


def _output() -> str:
    """The output the current callback request names (for the log line; cut there like every client value)."""
    import flask

    return str((flask.request.get_json(silent=True) or {}).get("output"))


def callback_failed(error: Exception) -> None:
    """The app's `Dash(on_error=…)`: a callback raised. One visitor's odd request must not show as a server error:
    the error is logged in one JSON line with the request id and the traceback's frames, values cut
    (dashboard/logs.py), and the answer is Dash's "nothing to update", 204 (the page stays as it was). Returning
    None would answer 200 with an empty update: Dash counts a callback with outputs as having updated."""
    from dash.exceptions import PreventUpdate

    log.error("callback %s failed", _output(), exc_info=error)
    raise PreventUpdate from error


def add_request_guard(app: dash.Dash) -> None:
    """Reject oversized and malformed callback requests (413, 400), unknown component-suite files and development
    endpoints (404) before Dash sees them; what Dash still refuses (a `DashException` for what the client sent) or
    fails on outside a callback answers 204 and is logged in one line, a refusal without a traceback."""
    app.server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    prefix = app.config.routes_pathname_prefix
    endpoint = prefix + "_dash-update-component"
    options: list[dict] = []

    def control_options() -> dict:
        # Renders every page's default layout once: the worker's warm-up calls this (`prime_request_guard`), so a
        # fresh worker's first visitor does not wait for it (~4 s). Two threads racing here compute the same dict.
        if not options:
            options.append(option_types(app))
        return options[0]

    app.server.extensions[_GUARD_OPTIONS] = control_options
    development_paths = {prefix + name for name in DEVELOPMENT_ENDPOINTS}

    app.server.before_request(_request_guard(app, endpoint, development_paths, control_options))
    app.server.errorhandler(Exception)(_dash_refusal_handler(endpoint))


def _request_guard(app: dash.Dash, endpoint: str, development_paths: set[str], control_options):
    """The before-request check of `add_request_guard`: development endpoints, component suites, callback bodies."""
    import flask

    prefix = app.config.routes_pathname_prefix

    def _guard():
        request = flask.request
        if request.path in development_paths and not app._dev_tools.get("hot_reload"):
            flask.abort(404)  # Dash's hot-reload poll lists the installed packages; only `app.run(debug=True)` needs it
        if request.endpoint == plotlyjs.ENDPOINT:  # the dashboard's own plotly.js, at the address Dash uses for it
            return None
        if request.path == prefix + "_dash-component-suites/" or request.path.startswith(
            prefix + "_dash-component-suites/"
        ):
            return _check_suite(app, request.view_args or {})
        if request.path != endpoint or request.method != "POST":
            return None
        try:
            body = decode_body(request.get_data(cache=True))
            check_callback_request(body, app.callback_map, control_options())
        except BadCallbackRequest as err:
            return flask.jsonify({"message": f"bad callback request: {err}"}), 400
        return None

    return _guard


def _dash_refusal_handler(endpoint: str):
    """The error handler of `add_request_guard` for the callback endpoint."""
    import flask
    from dash.exceptions import DashException
    from werkzeug.exceptions import HTTPException

    def _refused_by_dash(error: Exception):
        """Errors raised outside a callback's own code (those reach `callback_failed`). Elsewhere, and for HTTP
        errors (404, 413, …), Flask's own handling is kept."""
        if isinstance(error, HTTPException):
            return error
        if flask.request.path != endpoint:
            raise error
        if isinstance(error, DashException):  # Dash refused what the client sent: its fault, not ours; no traceback
            log.warning("callback %s refused by Dash: %s: %s", _output(), type(error).__name__, error)
        else:
            log.error("callback %s failed", _output(), exc_info=error)
        return flask.Response(status=204)

    return _refused_by_dash


def _check_suite(app: dash.Dash, view_args: dict):
    """404 unless the file is one the app registered (Dash itself answers 500 for anything else)."""
    import flask
    from dash.fingerprint import check_fingerprint

    package, fingerprinted = view_args.get("package_name"), view_args.get("fingerprinted_path")
    if not package or not fingerprinted:
        flask.abort(404)
    path_in_package, _ = check_fingerprint(fingerprinted)
    if path_in_package not in app.registered_paths.get(package, ()):
        flask.abort(404)
    return None
