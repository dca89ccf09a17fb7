"""The editor area (`/redaktor/…`): login, logout and the pages only editors see (issue 27 items 3–5).

The public dashboard stays open and read-only; everything under `EDITOR_PREFIX` answers a visitor without a login
with a redirect to the login page (GET) or 401 (any other method). Sessions are Flask-Login's on Dash's Flask server,
in a signed cookie (`Secure`, `HttpOnly`, `SameSite=Strict`) that expires after `editor_session_minutes` without a
request. Every form carries a Flask-WTF CSRF token; a POST without a valid one is refused (400) before anything else
runs. Login attempts are counted per client address and per login name (pyrate-limiter sliding windows): past the
limit the login answers 429 with `Retry-After` without checking the password; a successful login clears the count.
The counts live in each worker's memory, so N workers allow N times the attempts; the nginx recipe adds its own limit.

The pages are plain server-rendered HTML (Jinja, autoescaped), Polish first with `?lang=en`.
"""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import quote, urlsplit

import flask
import flask_login
from cachetools import TTLCache
from flask_wtf.csrf import generate_csrf, validate_csrf
from markupsafe import Markup
from pyrate_limiter import Duration, Rate
from pyrate_limiter.abstracts.rate import RateItem
from pyrate_limiter.buckets.in_memory_bucket import InMemoryBucket
from wtforms import ValidationError

from bezpieczny.i18n import language
from etl.config import settings
from etl.editors import users

EDITOR_PREFIX = "/redaktor"
LOGIN_PATH = f"{EDITOR_PREFIX}/logowanie"
LOGOUT_PATH = f"{EDITOR_PREFIX}/wyloguj"
HOME_PATH = f"{EDITOR_PREFIX}/"
# Five tries a minute and twenty an hour, per client address and per login name.
LOGIN_RATES = (Rate(5, Duration.MINUTE), Rate(20, Duration.HOUR))

TEXT = {
    "pl": {
        "login_title": "Logowanie redaktora",
        "login": "Login",
        "password": "Hasło",
        "submit": "Zaloguj",
        "wrong": "Nieprawidłowy login lub hasło.",
        "slowed": "Zbyt wiele prób logowania. Spróbuj ponownie za {seconds} s.",
        "csrf": "Formularz wygasł lub nie pochodzi z tej strony. Odśwież stronę i spróbuj ponownie.",
        "home_title": "Strefa redaktora",
        "signed_in": "Zalogowano jako {name}.",
        "logout": "Wyloguj",
        "public": "Panel publiczny",
        "lang_other": "English",
    },
    "en": {
        "login_title": "Editor login",
        "login": "Login",
        "password": "Password",
        "submit": "Log in",
        "wrong": "Wrong login or password.",
        "slowed": "Too many login attempts. Try again in {seconds} s.",
        "csrf": "The form has expired or did not come from this site. Reload the page and try again.",
        "home_title": "Editor area",
        "signed_in": "Logged in as {name}.",
        "logout": "Log out",
        "public": "Public dashboard",
        "lang_other": "Polski",
    },
}

PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — Bezpieczny Kraków</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body><div class="app editor">
<header class="header"><p><a href="/?lang={{ lang }}">{{ text.public }}</a> ·
<a href="{{ request.path }}?lang={{ other }}" lang="{{ other }}">{{ text.lang_other }}</a></p></header>
<main class="page" id="page"><h1>{{ title }}</h1>
{% if message %}<p role="alert" class="editor-message">{{ message }}</p>{% endif %}
{{ body }}
</main></div></body></html>"""

LOGIN_FORM = """<form method="post" action="{{ action }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<p><label for="login">{{ text.login }}</label><br>
<input id="login" name="login" autocomplete="username" required value="{{ login }}"></p>
<p><label for="password">{{ text.password }}</label><br>
<input id="password" name="password" type="password" autocomplete="current-password" required></p>
<p><button type="submit">{{ text.submit }}</button></p></form>"""

HOME = """<p>{{ signed_in }}</p>
<form method="post" action="{{ logout }}?lang={{ lang }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><button type="submit">{{ text.logout }}</button></form>"""


class EditorUser(flask_login.UserMixin):
    def __init__(self, editor: users.Editor):
        self.editor = editor

    def get_id(self) -> str:
        return self.editor.login


class LoginThrottle:
    """Sliding-window counts of login attempts per key (client address, login name)."""

    def __init__(self, rates=LOGIN_RATES, clock=time.monotonic):
        self.rates = list(rates)
        self.clock = clock
        self._buckets: TTLCache = TTLCache(maxsize=10_000, ttl=max(rate.interval for rate in self.rates) / 1000)

    def attempt(self, keys: list[str]) -> float:
        """Count one attempt for every key; 0 when allowed, else the seconds to wait."""
        now = int(self.clock() * 1000)
        wait_ms = 0
        for key in keys:
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = InMemoryBucket(self.rates)
            item = RateItem(key, now)
            if not bucket.put(item):
                wait_ms = max(wait_ms, int(bucket.waiting(item)), 1)  # type: ignore[arg-type]  # sync bucket
        return wait_ms / 1000

    def clear(self, keys: list[str]) -> None:
        for key in keys:
            self._buckets.pop(key, None)


def _lang() -> str:
    return language(flask.request.args.get("lang"))


def page(title_key: str, body: str, *, message: str | None = None, status: int = 200, **values):
    lang = _lang()
    text = TEXT[lang]
    inner = flask.render_template_string(body, text=text, lang=lang, csrf=generate_csrf(), **values)
    html = flask.render_template_string(
        PAGE,
        lang=lang,
        other="en" if lang == "pl" else "pl",
        text=text,
        title=text[title_key],
        message=message,
        body=Markup(inner),  # rendered by our own autoescaped template just above
    )
    response = flask.make_response(html, status)
    response.headers["Cache-Control"] = "no-store"  # editor pages carry a CSRF token and personal state
    return response


def _safe_next(target: str | None) -> str:
    """Only a path inside the editor area (no other host: no open redirect)."""
    if not target:
        return HOME_PATH
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(EDITOR_PREFIX + "/"):
        return HOME_PATH
    return target


def configure_sessions(server: flask.Flask) -> None:
    """Cookie and session settings for the editor login (the public pages set no session)."""
    config = settings()
    server.secret_key = users.secret_key()
    server.config.update(
        SESSION_COOKIE_NAME="bezpieczny_editor",
        SESSION_COOKIE_SECURE=config.editor_cookie_secure,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.editor_session_minutes),
        REMEMBER_COOKIE_DURATION=timedelta(0),  # no "remember me": a session ends with its idle time
        REMEMBER_COOKIE_SECURE=config.editor_cookie_secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Strict",
        WTF_CSRF_TIME_LIMIT=config.editor_session_minutes * 60,
    )


def add_editor_routes(app) -> None:
    """Mount the editor area on the Dash app's Flask server."""
    server: flask.Flask = app.server
    configure_sessions(server)
    manager = flask_login.LoginManager()
    manager.init_app(server)
    manager.session_protection = "strong"  # a session cookie moved to another browser/address is dropped
    throttle = LoginThrottle()
    server.extensions["bezpieczny_login_throttle"] = throttle

    @manager.user_loader
    def _load(login: str):
        editor = users.find_user(login)  # a removed editor's session ends here
        return EditorUser(editor) if editor else None

    @server.before_request
    def _guard():
        path = flask.request.path
        if not (path == EDITOR_PREFIX or path.startswith(EDITOR_PREFIX + "/")):
            return None
        if path != LOGIN_PATH and not flask_login.current_user.is_authenticated:
            if flask.request.method in ("GET", "HEAD"):
                return flask.redirect(f"{LOGIN_PATH}?lang={_lang()}&next={quote(flask.request.full_path)}")
            return flask.abort(401)
        if flask.request.method == "POST":
            try:
                validate_csrf(flask.request.form.get("csrf_token"))
            except ValidationError:  # missing, expired or forged token
                return page("login_title", "", message=TEXT[_lang()]["csrf"], status=400)
        return None

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    def _login():
        text = TEXT[_lang()]
        target = _safe_next(flask.request.args.get("next"))
        action = flask.request.full_path
        if flask.request.method == "GET":
            return page("login_title", LOGIN_FORM, action=action, login="")
        login = flask.request.form.get("login", "").strip().lower()[:64]
        keys = [f"address:{flask.request.remote_addr}", f"login:{login}"]
        wait_s = throttle.attempt(keys)
        if wait_s:
            seconds = int(wait_s + 0.999)
            response = page(
                "login_title",
                LOGIN_FORM,
                message=text["slowed"].format(seconds=seconds),
                status=429,
                action=action,
                login=login,
            )
            response.headers["Retry-After"] = str(seconds)
            return response
        editor = users.verify(login, flask.request.form.get("password", ""))
        if editor is None:
            return page("login_title", LOGIN_FORM, message=text["wrong"], status=401, action=action, login=login)
        throttle.clear(keys)
        flask.session.clear()  # a new session (and CSRF secret) after login: no session fixation
        flask.session.permanent = True
        flask_login.login_user(EditorUser(editor))
        return flask.redirect(target)

    @server.route(LOGOUT_PATH, methods=["POST"])
    def _logout():
        flask_login.logout_user()
        flask.session.clear()
        return flask.redirect(f"{LOGIN_PATH}?lang={_lang()}")

    @server.route(HOME_PATH)
    def _home():
        text = TEXT[_lang()]
        name = flask_login.current_user.editor.display_name
        return page("home_title", HOME, signed_in=text["signed_in"].format(name=name), logout=LOGOUT_PATH)
