"""What every page shares: the wrapper that makes a page's layout safe and cached (`page_layout`), the friendly
message for a bad link (`bad_link`), and the navigation with the language switch.

Pages register themselves with `dash.register_page` and import this module; it imports no page and not
`dashboard.app`, so there is no import circle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

import dash
from dash import dcc, html

from bezpieczny import read
from bezpieczny.i18n import language, t
from dashboard.frozen import freeze
from dashboard.url_state import PAGE_PARAMETERS, canonical, clean, href

log = logging.getLogger(__name__)
APP_TITLE = "Bezpieczny Kraków"
MAX_QUERY_VALUE = 4096  # what a page layout is given of a value (and its cache keyed on)
MAX_LINK_VALUE = 200  # the language link keeps the view's state, not a visitor's junk


def message(text: str, element_id: str | None = None) -> html.P:
    """A message the reader must notice (screen readers announce it)."""
    return html.P(text, className="message", role="alert", **({"id": element_id} if element_id else {}))


def page_layout(render: Callable[..., object]) -> Callable[..., object]:
    """Wrap a page's `render(snap, lang, query) -> component` as the `layout(**query)` Dash Pages calls; `snap` is
    the request's read snapshot (`bezpieczny.read.snapshot()`, resolved once here).

    The query is cleaned (first value of each name, blanks dropped), reduced to the parameters the page reads
    (`url_state.PAGE_PARAMETERS`, by the page module's name), the language made safe, and the result cached
    per published warehouse (layouts are pure functions of the URL and the data, so each worker keeps a result
    until a rebuild publishes a new file). Never raises: an error becomes a friendly message, logged for us.
    """

    @read.per_snapshot
    def cached(snap: read.Snapshot, lang: str, query_items: tuple[tuple[str, str], ...]):
        return freeze(render(snap, lang, dict(query_items)))

    parameters = PAGE_PARAMETERS[render.__module__.rsplit(".", 1)[-1]]

    @wraps(render)
    def layout(**query):
        query = page_query(query, parameters)
        lang = language(query.pop("lang", None))
        try:
            return cached(read.snapshot(), lang, tuple(sorted(query.items())))
        except Exception:  # a broken view must not show a stack trace to a council member
            log.exception("page %s failed", render.__module__)
            return message(t("error_generic", lang))

    layout.cache_clear = cached.cache_clear
    return layout


def page_query(query: dict, parameters: tuple[str, ...]) -> dict[str, str]:
    """A page's query as its view reads it: first values, blanks dropped, only `lang` and the page's parameters.
    A URL is at most a few kB (gunicorn's request line limit); a callback body can carry 1 MB: values are cut down
    so one visitor cannot fill the layout cache. A cut value is still unknown, so it is still reported."""
    return {key: value[:MAX_QUERY_VALUE] for key, value in canonical(clean(query), parameters).items()}


def not_found(lang: str) -> html.Div:
    return message(t("not_found", lang))


def pages_in_order() -> list[dict]:
    """The registered pages (besides the not-found page), in navigation order."""
    return sorted(
        (page for page in dash.page_registry.values() if page["module"].split(".")[-1] != "not_found_404"),
        key=lambda page: page["order"],
    )


def navigation(path: str, query: dict[str, str], lang: str) -> html.Nav:
    other = "en" if lang == "pl" else "pl"
    links = [
        dcc.Link(
            t(page["name"], lang),
            href=href(page["path"], {"lang": lang}),
            className="nav-link active" if page["path"] == path else "nav-link",
        )
        for page in pages_in_order()
    ]
    page = next((page for page in pages_in_order() if page["path"] == path), None)
    parameters = PAGE_PARAMETERS.get(page["module"].rsplit(".", 1)[-1], ()) if page else ()
    kept = {
        name: value for name, value in canonical(query, parameters).items() if len(value) <= MAX_LINK_VALUE
    }  # the view's own parameters only; an over-long value is not echoed
    switch = dcc.Link(
        t("language_switch", lang),
        href=href(path, {**kept, "lang": other}),
        id="language-switch",
        className="language-switch",
        title=t("language_label", lang),
    )
    return html.Nav(links + [switch], className="nav", **{"aria-label": "main"})
