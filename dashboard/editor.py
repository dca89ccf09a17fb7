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
from collections.abc import Callable
from datetime import timedelta
from typing import Any
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

from bezpieczny.i18n import fmt_number, language
from dashboard.downloads import template_href
from dashboard.settings import settings
from etl import paths, uploads
from etl import upload_jobs as jobs
from etl.editors import audit, history, users
from etl.sources.city_imports.landing import CITY_NAMES

EDITOR_PREFIX = "/redaktor"
LOGIN_PATH = f"{EDITOR_PREFIX}/logowanie"
LOGOUT_PATH = f"{EDITOR_PREFIX}/wyloguj"
HOME_PATH = f"{EDITOR_PREFIX}/"
UPLOAD_PATH = f"{EDITOR_PREFIX}/przeslij"
PUBLISH_PATH = f"{EDITOR_PREFIX}/publikuj"
RESTORE_PATH = f"{EDITOR_PREFIX}/przywroc"
JOB_PATH = f"{EDITOR_PREFIX}/zadanie/"
PROGRESS_SCRIPT_PATH = f"{EDITOR_PREFIX}/postep.js"
# While a job runs, its page fetches itself every 2 s and swaps in the status region (a live region, so screen
# readers hear each step); no meta refresh, which reloads the page under the reader (WCAG 2.2.1).
PROGRESS_SCRIPT = """
(function () {
  function poll() {
    fetch(window.location.href, {credentials: "same-origin"}).then(function (response) { return response.text(); })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html").getElementById("job-status");
        var current = document.getElementById("job-status");
        if (!fresh || !current) { return; }
        current.innerHTML = fresh.innerHTML;
        current.dataset.state = fresh.dataset.state;
        if (fresh.dataset.state === "running") { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
"""
# Room for the form fields and multipart boundaries around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
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
        "upload_heading": "Prześlij tabelę raportu (CSV lub XLSX)",
        "upload_hint": (
            "Plik CSV (UTF-8) lub skoroszyt XLSX w formacie szablonu tabeli raportu, najwyżej {mb} MB. "
            "Skoroszytów z makrami (XLSM) nie przyjmujemy; z XLSX czytamy tylko wartości pierwszego arkusza, "
            "bez łączy zewnętrznych."
        ),
        "template": "Szablon tabeli raportu",
        "register_heading": "Prześlij rejestr zgłoszeń straży miejskiej (CSV)",
        "register_hint": (
            "Jeden lub kilka plików CSV rejestru jednego miasta (jeden wiersz na zgłoszenie), razem najwyżej {mb} MB. "
            "Okres, który obejmuje plik, odczytujemy z jego nazwy („01.01.2016 do 09.03.2016”) albo z dat zgłoszeń."
        ),
        "register_template": "Szablon rejestru",
        "files": "Pliki rejestru",
        "city": "Miasto",
        "replace": "Ten eksport zastępuje wcześniej zaimportowane pliki tego miasta z tych samych dni",
        "register_preview_intro": (
            "{files} (plików: {count}, zgłoszeń: {reports}, okres {start} – {end}; SHA-256 {sha}) w porównaniu "
            "z opublikowanymi danymi: liczby zgłoszeń w kolejnych miesiącach, {city}."
        ),
        "replaces": "Wycofane zostaną wcześniejsze pliki: {files}.",
        "category": "Kategoria",
        "withdrawn": "Wycofane",
        "reports_after": "Zgłoszeń po publikacji",
        "new_months": "Nowe miesiące",
        "month_detail": "Zmiany (miesiąc: było → będzie)",
        "attribution": "Podpis pod wykresami (np. „Źródło: Straż Miejska Wrocławia, udostępnione na wniosek”)",
        "url": "Adres publikacji lub wniosku (nieobowiązkowy)",
        "see_chart": "Zobacz wykres miesięczny rejestru",
        "file_col": "Plik",
        "file": "Plik",
        "check": "Sprawdź plik",
        "problems_heading": "Plik odrzucony: nic nie opublikowano",
        "problems_intro": "Popraw te miejsca i prześlij plik ponownie.",
        "line": "Wiersz",
        "column": "Kolumna",
        "problem": "Problem",
        "refused": "Plik odrzucony: {reason}. Nic nie opublikowano.",
        "preview_heading": "Podgląd zmian",
        "preview_intro": (
            "Plik „{name}” (wierszy: {rows}, SHA-256 {sha}) w porównaniu z opublikowanymi danymi. Wartości, których "
            "plik nie podaje, pozostają opublikowane."
        ),
        "indicator": "Wskaźnik",
        "new": "Nowe",
        "changed": "Zmienione",
        "unchanged": "Bez zmian",
        "not_given": "Opublikowane, nieobecne w pliku (pozostają)",
        "detail": "Zmiany (obszar okres: było → będzie)",
        "publisher": "Wydawca danych",
        "licence": "Warunki ponownego wykorzystania",
        "citation": "Cytowanie źródła (dokument, pismo lub adres, z datą)",
        "publish": "Opublikuj",
        "citation_missing": "Podaj wydawcę i cytowanie źródła: bez nich nie publikujemy.",
        "job_heading": "Publikacja",
        "job_running": "Trwa budowa hurtowni; strona odświeża się sama.",
        "job_published": "Opublikowano (wersja danych {warehouse}).",
        "job_refused": "Nie opublikowano: {reason}. Opublikowane dane pozostały bez zmian.",
        "history_heading": "Wcześniejsze wersje danych",
        "history_intro": (
            "Każda opublikowana wersja jest przechowywana; przywrócenie publikuje ją ponownie, bajt w bajt, i trafia "
            "do rejestru zmian."
        ),
        "restore": "Przywróć {warehouse}",
        "restored": "Przywrócono wersję {warehouse}.",
        "no_history": "Brak przechowanych wersji.",
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
        "upload_heading": "Upload a report table (CSV or XLSX)",
        "upload_hint": (
            "A CSV file (UTF-8) or an XLSX workbook in the report-table template's format, at most {mb} MB. "
            "Macro-enabled workbooks (XLSM) are not accepted; from an XLSX only the first sheet's values are read, "
            "without external links."
        ),
        "template": "Report-table template",
        "register_heading": "Upload a city-guard register of reports (CSV)",
        "register_hint": (
            "One or more CSV files of one city's register (one row per report), at most {mb} MB together. The "
            "period a file covers is read from its name ('01.01.2016 do 09.03.2016') or from the report dates."
        ),
        "register_template": "Register template",
        "files": "Register files",
        "city": "City",
        "replace": "This export replaces earlier imported files of this city covering the same days",
        "register_preview_intro": (
            "{files} (files: {count}, reports: {reports}, period {start} – {end}; SHA-256 {sha}) against the "
            "published data: reports per month, {city}."
        ),
        "replaces": "These earlier files will be withdrawn: {files}.",
        "category": "Category",
        "withdrawn": "Withdrawn",
        "reports_after": "Reports after publishing",
        "new_months": "New months",
        "month_detail": "Changes (month: was → will be)",
        "attribution": "Credit line under the charts (e.g. 'Source: Wrocław city guard, released on request')",
        "url": "Address of the publication or request (optional)",
        "see_chart": "See the register's monthly chart",
        "file_col": "File",
        "file": "File",
        "check": "Check the file",
        "problems_heading": "File refused: nothing was published",
        "problems_intro": "Correct these places and upload the file again.",
        "line": "Line",
        "column": "Column",
        "problem": "Problem",
        "refused": "File refused: {reason}. Nothing was published.",
        "preview_heading": "Preview of the changes",
        "preview_intro": (
            "The file '{name}' ({rows} rows, SHA-256 {sha}) against the published data. Values the file does not "
            "give stay published."
        ),
        "indicator": "Indicator",
        "new": "New",
        "changed": "Changed",
        "unchanged": "Unchanged",
        "not_given": "Published, not in the file (kept)",
        "detail": "Changes (area period: was → will be)",
        "publisher": "Publisher of the data",
        "licence": "Terms of re-use",
        "citation": "Citation of the source (document, letter or address, with its date)",
        "publish": "Publish",
        "citation_missing": "Give the publisher and the citation of the source: nothing is published without them.",
        "job_heading": "Publishing",
        "job_running": "The warehouse is being built; this page refreshes itself.",
        "job_published": "Published (data version {warehouse}).",
        "job_refused": "Not published: {reason}. The published data were left unchanged.",
        "history_heading": "Earlier versions of the data",
        "history_intro": (
            "Every published version is kept; restoring one publishes it again, byte for byte, and is recorded in "
            "the change log."
        ),
        "restore": "Restore {warehouse}",
        "restored": "Version {warehouse} restored.",
        "no_history": "No kept versions yet.",
    },
}

PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
{% if refresh %}<script src="{{ progress_script }}" defer></script>{% endif %}
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
<input type="hidden" name="csrf_token" value="{{ csrf }}"><button type="submit">{{ text.logout }}</button></form>
<section aria-labelledby="upload-heading"><h2 id="upload-heading">{{ text.upload_heading }}</h2>
<p>{{ upload_hint }} <a href="{{ report_template }}" download>{{ text.template }}</a></p>
<form method="post" action="{{ upload }}?lang={{ lang }}" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="kind" value="report">
<p><label for="file">{{ text.file }}</label><br>
<input id="file" name="file" type="file" accept=".csv,text/csv,.xlsx" required></p>
<p><button type="submit">{{ text.check }}</button></p></form></section>
<section aria-labelledby="register-heading"><h2 id="register-heading">{{ text.register_heading }}</h2>
<p>{{ register_hint }} <a href="{{ register_template }}" download>{{ text.register_template }}</a></p>
<form method="post" action="{{ upload }}?lang={{ lang }}" enctype="multipart/form-data" id="register-form">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="kind" value="register">
<p><label for="register-files">{{ text.files }}</label><br>
<input id="register-files" name="file" type="file" accept=".csv,text/csv" multiple required></p>
<p><label for="city">{{ text.city }}</label><br>
<select id="city" name="city" required>{% for code, name in cities %}
<option value="{{ code }}">{{ name }} ({{ code }})</option>{% endfor %}</select></p>
<p><input id="replace" name="replace" type="checkbox" value="1"> <label for="replace">{{ text.replace }}</label></p>
<p><button type="submit">{{ text.check }}</button></p></form></section>
<section aria-labelledby="history-heading"><h2 id="history-heading">{{ text.history_heading }}</h2>
<p>{{ text.history_intro }}</p>
{% if kept %}<ul>{% for entry in kept %}<li><form method="post" action="{{ restore }}?lang={{ lang }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="warehouse_id" value="{{ entry.warehouse_id }}">
{{ entry.kept_at }} · SHA-256 {{ entry.sha256[:12] }}
<button type="submit">{{ text.restore.format(warehouse=entry.warehouse_id) }}</button>
</form></li>{% endfor %}</ul>{% else %}<p>{{ text.no_history }}</p>{% endif %}</section>"""

PROBLEMS = """<p>{{ text.problems_intro }}</p>
<table><caption>{{ name }}</caption><thead><tr><th scope="col">{{ text.file_col }}</th>
<th scope="col">{{ text.line }}</th><th scope="col">{{ text.column }}</th>
<th scope="col">{{ text.problem }}</th></tr></thead><tbody>
{% for p in problems %}<tr><td>{{ p.file }}</td><td>{{ p.line or "" }}</td><td>{{ p.column or "" }}</td>
<td>{{ p.message }}</td></tr>{% endfor %}
</tbody></table><p><a href="{{ home }}?lang={{ lang }}">{{ text.upload_heading }}</a></p>"""

# The publish form's opening and the fields both kinds of upload ask for (the citation fields follow per kind).
PUBLISH_FORM_START = """<form method="post" action="{{ publish }}?lang={{ lang }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="upload_id" value="{{ upload_id }}">
<p><label for="publisher">{{ text.publisher }}</label><br>
<input id="publisher" name="publisher" required size="60" value="{{ publisher }}"></p>
<p><label for="licence">{{ text.licence }}</label><br>
<input id="licence" name="licence" required size="60" value="{{ licence }}"></p>
"""

PREVIEW = (
    """<p>{{ intro }}</p>
<table><caption>{{ text.preview_heading }}</caption><thead><tr><th scope="col">{{ text.indicator }}</th>
<th scope="col">{{ text.new }}</th><th scope="col">{{ text.changed }}</th><th scope="col">{{ text.unchanged }}</th>
<th scope="col">{{ text.not_given }}</th><th scope="col">{{ text.detail }}</th></tr></thead><tbody>
{% for r in rows %}<tr><th scope="row">{{ r.indicator_name }} ({{ r.report_indicator }})</th><td>{{ r.new }}</td>
<td>{{ r.changed }}</td><td>{{ r.unchanged }}</td><td>{{ r.not_given }}</td><td>{{ r.changed_detail }}</td>
</tr>{% endfor %}
</tbody></table>
"""
    + PUBLISH_FORM_START
    + """<p><label for="citation">{{ text.citation }}</label><br>
<textarea id="citation" name="citation" required rows="3" cols="60">{{ citation }}</textarea></p>
<p><button type="submit">{{ text.publish }}</button></p></form>"""
)

REGISTER_PREVIEW = (
    """<p>{{ intro }}</p>
{% if replaces %}<p>{{ replaces }}</p>{% endif %}
<table id="register-preview"><caption>{{ text.preview_heading }}</caption><thead><tr>
<th scope="col">{{ text.category }}</th><th scope="col">{{ text.new }}</th><th scope="col">{{ text.changed }}</th>
<th scope="col">{{ text.withdrawn }}</th><th scope="col">{{ text.unchanged }}</th>
<th scope="col">{{ text.reports_after }}</th><th scope="col">{{ text.new_months }}</th>
<th scope="col">{{ text.month_detail }}</th></tr></thead><tbody>
{% for r in rows %}<tr><th scope="row">{{ r.category_name }}</th><td>{{ r.new }}</td><td>{{ r.changed }}</td>
<td>{{ r.withdrawn }}</td><td>{{ r.unchanged }}</td><td>{{ number(r.reports_after) }}</td><td>{{ r.new_months }}</td>
<td>{{ r.changed_detail }}</td></tr>{% endfor %}
</tbody></table>
"""
    + PUBLISH_FORM_START
    + """<p><label for="attribution">{{ text.attribution }}</label><br>
<input id="attribution" name="attribution" size="60" value="{{ attribution }}"></p>
<p><label for="url">{{ text.url }}</label><br>
<input id="url" name="url" type="url" size="60" value="{{ url }}"></p>
<p><label for="citation">{{ text.citation }}</label><br>
<textarea id="citation" name="citation" required rows="3" cols="60">{{ citation }}</textarea></p>
<p><button type="submit">{{ text.publish }}</button></p></form>"""
)

JOB = """<div id="job-status" data-state="{{ state }}" role="status" aria-live="polite"><p>{{ state_text }}</p>
<ol>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ol>
{% if chart %}<p><a href="{{ chart }}" id="register-chart-link">{{ text.see_chart }}</a></p>{% endif %}</div>
<p><a href="{{ home }}?lang={{ lang }}">{{ text.home_title }}</a>
· <a href="/dane-i-metody?lang={{ lang }}#methods-audit">{{ text.history_heading }}</a></p>"""


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


def page(title_key: str, body: str, *, message: str | None = None, status: int = 200, refresh: bool = False, **values):
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
        refresh=refresh,
        progress_script=PROGRESS_SCRIPT_PATH,
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
    # One throttle per app (the login view finds it through current_app), so two apps never share counts.
    server.extensions["bezpieczny_login_throttle"] = LoginThrottle()
    manager.user_loader(_load_editor)
    server.before_request(_guard_editor_area)
    for path, view, methods in _editor_routes():
        server.route(path, methods=methods)(view)


def _editor_routes() -> list[tuple[str, Callable[..., Any], list[str] | None]]:
    """Each editor page: its path, its view and the methods it answers (None: Flask's default, GET)."""
    return [
        (LOGIN_PATH, _login, ["GET", "POST"]),
        (LOGOUT_PATH, _logout, ["POST"]),
        (HOME_PATH, _home, None),
        (UPLOAD_PATH, _upload, ["POST"]),
        (PUBLISH_PATH, _publish, ["POST"]),
        (f"{JOB_PATH}<job_id>", _job, None),
        (PROGRESS_SCRIPT_PATH, _progress_script, None),
        (RESTORE_PATH, _restore, ["POST"]),
    ]


def _load_editor(login: str):
    """Flask-Login's user loader: the editor a session names, while that editor still exists."""
    editor = users.find_user(login)  # a removed editor's session ends here
    return EditorUser(editor) if editor else None


def _guard_editor_area():
    """Before every request: the editor area needs a login, an upload stays under the cap, a POST a CSRF token."""
    path = flask.request.path
    if not (path == EDITOR_PREFIX or path.startswith(EDITOR_PREFIX + "/")):
        return None
    if path != LOGIN_PATH and not flask_login.current_user.is_authenticated:
        if flask.request.method in ("GET", "HEAD"):
            return flask.redirect(f"{LOGIN_PATH}?lang={_lang()}&next={quote(flask.request.full_path)}")
        return flask.abort(401)
    if path == UPLOAD_PATH:
        limit = uploads.max_bytes() + FORM_OVERHEAD_BYTES
        flask.request.max_content_length = limit  # a body without Content-Length is cut off here too
        if (flask.request.content_length or 0) > limit:
            return _refused_upload(f"more than the cap of {uploads.max_bytes():,} bytes", 413)
    if flask.request.method == "POST":
        try:
            validate_csrf(flask.request.form.get("csrf_token"))
        except ValidationError:  # missing, expired or forged token
            return page("login_title", "", message=TEXT[_lang()]["csrf"], status=400)
    return None


def _login():
    text = TEXT[_lang()]
    target = _safe_next(flask.request.args.get("next"))
    action = flask.request.full_path
    if flask.request.method == "GET":
        return page("login_title", LOGIN_FORM, action=action, login="")
    login = flask.request.form.get("login", "").strip().lower()[:64]
    keys = [f"address:{flask.request.remote_addr}", f"login:{login}"]
    throttle: LoginThrottle = flask.current_app.extensions["bezpieczny_login_throttle"]
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


def _logout():
    flask_login.logout_user()
    flask.session.clear()
    return flask.redirect(f"{LOGIN_PATH}?lang={_lang()}")


def _home():
    text = TEXT[_lang()]
    name = flask_login.current_user.editor.display_name
    return page(
        "home_title",
        HOME,
        signed_in=text["signed_in"].format(name=name),
        logout=LOGOUT_PATH,
        upload=UPLOAD_PATH,
        restore=RESTORE_PATH,
        upload_hint=text["upload_hint"].format(mb=f"{uploads.max_bytes() / 1e6:g}"),
        register_hint=text["register_hint"].format(mb=f"{uploads.max_bytes() / 1e6:g}"),
        report_template=template_href("report"),
        register_template=template_href("register"),
        cities=list(CITY_NAMES.items()),
        kept=list(reversed(history.kept())),
    )


def _upload():
    editor = flask_login.current_user.editor
    form = flask.request.form
    kind = form.get("kind", "report")
    city = form.get("city") if kind == "register" else None
    if city is not None and city not in CITY_NAMES:
        return _refused_upload(f"unknown city '{city[:20]}'", 400)
    sent = [f for f in flask.request.files.getlist("file") if f.filename]
    if not sent:
        return _refused_upload("no file", 400)
    names = "; ".join(f.filename or "" for f in sent)[:500]
    try:
        upload = uploads.save(
            [(f.read(uploads.max_bytes() + 1), f.filename or "") for f in sent],
            editor.login,
            kind=kind,
            city=city,
            replace=form.get("replace") == "1",
        )
    except uploads.UploadRefused as err:
        audit.record("upload", editor_name=editor.display_name, file_name=names, build_result=f"refused: {err}")
        return _refused_upload(str(err), 413 if "cap" in str(err) else 415)
    if upload.kind == "register":
        return _register_preview(upload)
    table = uploads.check_report(upload)
    if table.problems:
        return _problems(upload, table.problems)
    return _report_preview(upload, table)


def _problems(upload: uploads.Upload, problems: list):
    audit.record(
        "upload",
        editor_name=flask_login.current_user.editor.display_name,
        file_name=upload.original_name,
        sha256=upload.sha256,
        build_result=f"refused: {len(problems)} problem(s) in the file",
    )
    return page(
        "problems_heading",
        PROBLEMS,
        status=422,
        problems=problems,
        name=upload.original_name,
        home=HOME_PATH,
    )


def _report_preview(upload: uploads.Upload, table, *, message=None, status=200, form=None):
    text = TEXT[_lang()]
    compared = uploads.preview(table.values, uploads.published_report_values())
    intro = text["preview_intro"].format(name=upload.original_name, rows=len(table.values), sha=upload.sha256[:12])
    return page(
        "preview_heading",
        PREVIEW,
        message=message,
        status=status,
        intro=intro,
        rows=compared.to_dict("records"),
        publish=PUBLISH_PATH,
        upload_id=upload.upload_id,
        **_citation_fields(form),
    )


def _register_preview(upload: uploads.Upload, *, message=None, status=200, form=None):
    lang = _lang()
    text = TEXT[lang]
    check = uploads.check_register(upload)
    if check.problems or check.monthly is None or check.coverage is None:
        return _problems(upload, check.problems)
    compared = uploads.register_preview(
        check.monthly, uploads.published_register_monthly(), check.area_code or "", lang
    )
    intro = text["register_preview_intro"].format(
        files=upload.original_name if len(upload.files) < 4 else f"{upload.files[0].name} …",
        count=len(upload.files),
        reports=fmt_number(check.reports, lang),
        start=check.coverage[0],
        end=check.coverage[1],
        sha=upload.sha256[:12],
        city=f"{check.area_name} ({check.area_code})",
    )
    return page(
        "preview_heading",
        REGISTER_PREVIEW,
        message=message,
        status=status,
        intro=intro,
        replaces=text["replaces"].format(files="; ".join(check.replaces)) if check.replaces else "",
        rows=compared.to_dict("records"),
        number=lambda value: fmt_number(value, lang),
        publish=PUBLISH_PATH,
        upload_id=upload.upload_id,
        **_citation_fields(form),
    )


def _publish():
    text = TEXT[_lang()]
    editor = flask_login.current_user.editor
    form = flask.request.form
    try:
        upload = uploads.load(form.get("upload_id", ""), editor.login)
    except uploads.UploadRefused as err:
        return _refused_upload(str(err), 404)
    given = _citation_fields(form)
    if not (given["publisher"] and given["licence"] and given["citation"]):
        missing = {"message": text["citation_missing"], "status": 400, "form": form}
        if upload.kind == "register":
            return _register_preview(upload, **missing)
        return _report_preview(upload, uploads.check_report(upload), **missing)
    job_id = jobs.start_upload(
        upload,
        editor_name=editor.display_name,
        publisher=given["publisher"],
        licence=given["licence"],
        citation=given["citation"],
        attribution=given["attribution"] or None,
        url=given["url"] or None,
    )
    return flask.redirect(f"{JOB_PATH}{job_id}?lang={_lang()}", 303)


def _job(job_id: str):
    text = TEXT[_lang()]
    job = jobs.read(job_id)
    if job is None:
        flask.abort(404)
    state = job["state"]
    if state == "running":
        state_text = text["job_running"]
    elif state == "published":
        state_text = text["job_published"].format(warehouse=job.get("warehouse_id"))
    else:
        state_text = text["job_refused"].format(reason=job.get("message", ""))
    chart = None
    if state == "published" and job.get("kind") == "register" and job.get("area_code"):
        chart = f"/trendy?reg={job['area_code']}&lang={_lang()}#trends-registers"
    return page(
        "job_heading",
        JOB,
        chart=chart,
        refresh=state == "running",
        state=state,
        state_text=state_text,
        lines=job["lines"],
        home=HOME_PATH,
    )


def _progress_script():
    return flask.Response(PROGRESS_SCRIPT, mimetype="text/javascript", headers={"Cache-Control": "no-store"})


def _restore():
    text = TEXT[_lang()]
    editor = flask_login.current_user.editor
    warehouse_id = flask.request.form.get("warehouse_id", "")
    try:
        history.restore(warehouse_id, editor_name=editor.display_name, warehouse=paths.warehouse_path())
    except history.RestoreError as err:
        return page("history_heading", "", message=str(err), status=404)
    return page("history_heading", "", message=text["restored"].format(warehouse=warehouse_id))


def _citation_fields(form) -> dict[str, str]:
    """The citation a publish form gives (each field trimmed and capped), or empty fields."""
    names = ("publisher", "licence", "citation", "attribution", "url")
    return {name: (form.get(name, "") if form is not None else "").strip()[:500] for name in names}


def _refused_upload(reason: str, status: int):
    return page("problems_heading", "", message=TEXT[_lang()]["refused"].format(reason=reason), status=status)
