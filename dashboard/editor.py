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
from dashboard.settings import settings
from etl import paths, uploads
from etl import upload_jobs as jobs
from etl.editors import audit, history, users

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
        "upload_heading": "Prześlij tabelę raportu (CSV)",
        "upload_hint": (
            "Plik CSV (UTF-8) w formacie szablonu tabeli raportu, najwyżej {mb} MB. Arkuszy XLSX nie przyjmujemy: "
            "zapisz arkusz jako „CSV UTF-8”."
        ),
        "template": "Szablon tabeli raportu",
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
            "Plik „{name}” ({rows} wierszy, SHA-256 {sha}) w porównaniu z opublikowanymi danymi. Wartości, których "
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
        "upload_heading": "Upload a report table (CSV)",
        "upload_hint": (
            "A CSV file (UTF-8) in the report-table template's format, at most {mb} MB. XLSX sheets are not "
            "accepted: save the sheet as 'CSV UTF-8'."
        ),
        "template": "Report-table template",
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
<p>{{ upload_hint }} <a href="/szablony/report_table.csv">{{ text.template }}</a></p>
<form method="post" action="{{ upload }}?lang={{ lang }}" enctype="multipart/form-data">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<p><label for="file">{{ text.file }}</label><br>
<input id="file" name="file" type="file" accept=".csv,text/csv" required></p>
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
<table><caption>{{ name }}</caption><thead><tr><th scope="col">{{ text.line }}</th>
<th scope="col">{{ text.column }}</th>
<th scope="col">{{ text.problem }}</th></tr></thead><tbody>
{% for p in problems %}<tr><td>{{ p.line or "" }}</td><td>{{ p.column or "" }}</td><td>{{ p.message }}</td>
</tr>{% endfor %}
</tbody></table><p><a href="{{ home }}?lang={{ lang }}">{{ text.upload_heading }}</a></p>"""

PREVIEW = """<p>{{ intro }}</p>
<table><caption>{{ text.preview_heading }}</caption><thead><tr><th scope="col">{{ text.indicator }}</th>
<th scope="col">{{ text.new }}</th><th scope="col">{{ text.changed }}</th><th scope="col">{{ text.unchanged }}</th>
<th scope="col">{{ text.not_given }}</th><th scope="col">{{ text.detail }}</th></tr></thead><tbody>
{% for r in rows %}<tr><th scope="row">{{ r.indicator_name }} ({{ r.report_indicator }})</th><td>{{ r.new }}</td>
<td>{{ r.changed }}</td><td>{{ r.unchanged }}</td><td>{{ r.not_given }}</td><td>{{ r.changed_detail }}</td>
</tr>{% endfor %}
</tbody></table>
<form method="post" action="{{ publish }}?lang={{ lang }}">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="upload_id" value="{{ upload_id }}">
<p><label for="publisher">{{ text.publisher }}</label><br>
<input id="publisher" name="publisher" required size="60" value="{{ publisher }}"></p>
<p><label for="licence">{{ text.licence }}</label><br>
<input id="licence" name="licence" required size="60" value="{{ licence }}"></p>
<p><label for="citation">{{ text.citation }}</label><br>
<textarea id="citation" name="citation" required rows="3" cols="60">{{ citation }}</textarea></p>
<p><button type="submit">{{ text.publish }}</button></p></form>"""

JOB = """<div id="job-status" data-state="{{ state }}" role="status" aria-live="polite"><p>{{ state_text }}</p>
<ol>{% for line in lines %}<li>{{ line }}</li>{% endfor %}</ol></div>
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
        return page(
            "home_title",
            HOME,
            signed_in=text["signed_in"].format(name=name),
            logout=LOGOUT_PATH,
            upload=UPLOAD_PATH,
            restore=RESTORE_PATH,
            upload_hint=text["upload_hint"].format(mb=f"{uploads.max_bytes() / 1e6:g}"),
            kept=list(reversed(history.kept())),
        )

    @server.route(UPLOAD_PATH, methods=["POST"])
    def _upload():
        text = TEXT[_lang()]
        editor = flask_login.current_user.editor
        sent = flask.request.files.get("file")
        if sent is None:
            return _refused_upload("no file", 400)
        try:
            upload = uploads.save(sent.read(uploads.max_bytes() + 1), sent.filename or "", editor.login)
        except uploads.UploadRefused as err:
            audit.record(
                "upload", editor_name=editor.display_name, file_name=sent.filename, build_result=f"refused: {err}"
            )
            return _refused_upload(str(err), 413 if "cap" in str(err) else 415)
        table = uploads.check_report(upload)
        if table.problems:
            audit.record(
                "upload",
                editor_name=editor.display_name,
                file_name=upload.original_name,
                sha256=upload.sha256,
                build_result=f"refused: {len(table.problems)} problem(s) in the file",
            )
            return page(
                "problems_heading",
                PROBLEMS,
                status=422,
                problems=table.problems,
                name=upload.original_name,
                home=HOME_PATH,
            )
        compared = uploads.preview(table.values, uploads.published_report_values())
        intro = text["preview_intro"].format(name=upload.original_name, rows=len(table.values), sha=upload.sha256[:12])
        return page(
            "preview_heading",
            PREVIEW,
            intro=intro,
            rows=compared.to_dict("records"),
            publish=PUBLISH_PATH,
            upload_id=upload.upload_id,
            publisher="",
            licence="",
            citation="",
        )

    @server.route(PUBLISH_PATH, methods=["POST"])
    def _publish():
        text = TEXT[_lang()]
        editor = flask_login.current_user.editor
        form = flask.request.form
        try:
            upload = uploads.load(form.get("upload_id", ""), editor.login)
        except uploads.UploadRefused as err:
            return _refused_upload(str(err), 404)
        publisher, licence, citation = (form.get(k, "").strip()[:500] for k in ("publisher", "licence", "citation"))
        if not (publisher and licence and citation):
            table = uploads.check_report(upload)
            compared = uploads.preview(table.values, uploads.published_report_values())
            intro = text["preview_intro"].format(
                name=upload.original_name, rows=len(table.values), sha=upload.sha256[:12]
            )
            return page(
                "preview_heading",
                PREVIEW,
                message=text["citation_missing"],
                status=400,
                intro=intro,
                rows=compared.to_dict("records"),
                publish=PUBLISH_PATH,
                upload_id=upload.upload_id,
                publisher=publisher,
                licence=licence,
                citation=citation,
            )
        job_id = jobs.start_report_upload(
            upload, editor_name=editor.display_name, publisher=publisher, licence=licence, citation=citation
        )
        return flask.redirect(f"{JOB_PATH}{job_id}?lang={_lang()}", 303)

    @server.route(f"{JOB_PATH}<job_id>")
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
        return page(
            "job_heading",
            JOB,
            refresh=state == "running",
            state=state,
            state_text=state_text,
            lines=job["lines"],
            home=HOME_PATH,
        )

    @server.route(PROGRESS_SCRIPT_PATH)
    def _progress_script():
        return flask.Response(PROGRESS_SCRIPT, mimetype="text/javascript", headers={"Cache-Control": "no-store"})

    @server.route(RESTORE_PATH, methods=["POST"])
    def _restore():
        text = TEXT[_lang()]
        editor = flask_login.current_user.editor
        warehouse_id = flask.request.form.get("warehouse_id", "")
        try:
            history.restore(warehouse_id, editor_name=editor.display_name, warehouse=paths.warehouse_path())
        except history.RestoreError as err:
            return page("history_heading", "", message=str(err), status=404)
        return page("history_heading", "", message=text["restored"].format(warehouse=warehouse_id))


def _refused_upload(reason: str, status: int):
    return page("problems_heading", "", message=TEXT[_lang()]["refused"].format(reason=reason), status=status)
