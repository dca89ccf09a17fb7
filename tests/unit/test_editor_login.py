"""Editor accounts and login (issue 27 item 4): CLI-managed users, argon2 hashes, guarded editor pages, CSRF,
login slow-down, cookie flags. A bare Flask app carries the editor routes, so no warehouse is needed."""

from __future__ import annotations

import re
import types

import flask
import pytest
from typer.testing import CliRunner

from etl.config import settings

PASSWORD = "correct horse battery"


@pytest.fixture
def editors(tmp_path, monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_EDITORS_DIR", str(tmp_path / "editors"))
    monkeypatch.setenv("BEZPIECZNY_EDITOR_COOKIE_SECURE", "0")
    monkeypatch.delenv("BEZPIECZNY_SECRET_KEY", raising=False)
    settings.cache_clear()
    yield tmp_path / "editors"
    settings.cache_clear()


@pytest.fixture
def anna(editors):
    from etl.editors import users

    users.add_user("anna", "Anna Nowak", PASSWORD)
    return editors


def make_app():
    from dashboard.editor import add_editor_routes

    server = flask.Flask("editor-test")
    server.route("/")(lambda: "public dashboard")
    add_editor_routes(types.SimpleNamespace(server=server))
    return server


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def log_in(client, password=PASSWORD, login="anna"):
    token = csrf_of(client.get("/redaktor/logowanie"))
    return client.post("/redaktor/logowanie", data={"csrf_token": token, "login": login, "password": password})


def test_cli_adds_lists_and_removes_users_and_stores_only_an_argon2_hash(editors):
    from dashboard.cli import app

    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "anna", "--name", "Anna Nowak"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    stored = (editors / "users.json").read_text()
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert (editors / "users.json").stat().st_mode & 0o077 == 0, "readable by its owner only"
    listed = runner.invoke(app, ["users", "list"])
    assert "anna" in listed.output and "Anna Nowak" in listed.output and "argon2" not in listed.output
    assert runner.invoke(app, ["users", "remove", "anna"]).exit_code == 0
    assert "No editors yet" in runner.invoke(app, ["users", "list"]).output


def test_cli_refuses_a_short_password_and_a_duplicate_user(editors):
    from dashboard.cli import app

    runner = CliRunner()
    short = runner.invoke(app, ["users", "add", "anna", "--name", "Anna"], input="short\nshort\n")
    assert short.exit_code == 1 and "shorter than 12" in short.output
    runner.invoke(app, ["users", "add", "anna", "--name", "Anna"], input=f"{PASSWORD}\n{PASSWORD}\n")
    again = runner.invoke(app, ["users", "add", "anna", "--name", "Anna"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 1 and "exists" in again.output


def test_there_is_no_default_account(editors):
    from etl.editors import users

    assert users.list_users() == []
    client = make_app().test_client()
    for login, password in [("admin", "admin"), ("admin", "password"), ("editor", "editor")]:
        assert log_in(client, password, login).status_code == 401


def test_without_a_login_editor_pages_redirect_and_posts_are_refused(anna):
    client = make_app().test_client()
    assert client.get("/").status_code == 200, "the public dashboard stays open"
    home = client.get("/redaktor/")
    assert home.status_code == 302 and home.headers["Location"].startswith("/redaktor/logowanie")
    assert client.get("/redaktor/cokolwiek").status_code == 302
    assert client.post("/redaktor/wyloguj").status_code == 401
    assert client.post("/redaktor/publikuj", data={"csrf_token": "x"}).status_code == 401


def test_the_right_password_logs_in_and_shows_the_display_name(anna):
    client = make_app().test_client()
    response = log_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/redaktor/"
    assert "Anna Nowak" in client.get("/redaktor/").get_data(as_text=True)


def test_a_wrong_password_does_not_log_in(anna):
    client = make_app().test_client()
    assert log_in(client, "wrong password!").status_code == 401
    assert client.get("/redaktor/").status_code == 302


def test_a_login_without_a_csrf_token_is_refused_even_with_the_right_password(anna):
    client = make_app().test_client()
    client.get("/redaktor/logowanie")
    response = client.post("/redaktor/logowanie", data={"login": "anna", "password": PASSWORD})
    assert response.status_code == 400
    forged = client.post("/redaktor/logowanie", data={"csrf_token": "forged", "login": "anna", "password": PASSWORD})
    assert forged.status_code == 400
    assert client.get("/redaktor/").status_code == 302, "still not logged in"


def test_logout_needs_the_csrf_token_then_ends_the_session(anna):
    client = make_app().test_client()
    log_in(client)
    assert client.post("/redaktor/wyloguj").status_code == 400
    home = client.get("/redaktor/")
    assert client.post("/redaktor/wyloguj", data={"csrf_token": csrf_of(home)}).status_code == 302
    assert client.get("/redaktor/").status_code == 302


def test_ten_wrong_passwords_slow_the_login_down_even_for_the_right_password(anna):
    client = make_app().test_client()
    statuses = [log_in(client, f"wrong password {n}").status_code for n in range(10)]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429] * 5
    slowed = log_in(client)
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) > 0
    assert client.get("/redaktor/").status_code == 302


def test_removing_an_editor_ends_their_session(anna):
    from etl.editors import users

    client = make_app().test_client()
    log_in(client)
    assert client.get("/redaktor/").status_code == 200
    users.remove_user("anna")
    assert client.get("/redaktor/").status_code == 302


def test_the_session_cookie_is_httponly_samesite_strict_and_secure_by_default(anna, monkeypatch):
    monkeypatch.delenv("BEZPIECZNY_EDITOR_COOKIE_SECURE")
    settings.cache_clear()
    client = make_app().test_client()
    response = client.get("/redaktor/logowanie", base_url="https://localhost")
    cookie = session_cookie(response)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" in cookie
    assert "Expires=" in session_cookie(log_in_https(client)), "the session has an end"


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("bezpieczny_editor="))


def log_in_https(client):
    token = csrf_of(client.get("/redaktor/logowanie", base_url="https://localhost"))
    return client.post(
        "/redaktor/logowanie",
        data={"csrf_token": token, "login": "anna", "password": PASSWORD},
        base_url="https://localhost",
    )


def test_the_session_expires_after_the_idle_time(anna, monkeypatch):
    import time

    monkeypatch.setenv("BEZPIECZNY_EDITOR_SESSION_MINUTES", "1")
    settings.cache_clear()
    client = make_app().test_client()
    log_in(client)
    assert client.get("/redaktor/").status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 120)  # itsdangerous checks the signature's age
    assert client.get("/redaktor/").status_code == 302


def test_login_redirects_only_inside_the_editor_area(anna):
    client = make_app().test_client()
    token = csrf_of(client.get("/redaktor/logowanie"))
    response = client.post(
        "/redaktor/logowanie?next=https://evil.example/",
        data={"csrf_token": token, "login": "anna", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/redaktor/"


def test_the_dashboard_guards_its_editor_area_and_public_pages_set_no_cookie(dashboard_warehouse, anna):
    from dashboard.app import create_app

    client = create_app().server.test_client()
    public = client.get("/")
    assert public.status_code == 200 and "Set-Cookie" not in public.headers
    assert client.get("/redaktor/").status_code == 302
    assert client.post("/redaktor/wyloguj").status_code == 401
    login_page = client.get("/redaktor/logowanie")
    assert login_page.status_code == 200 and "Content-Security-Policy" in login_page.headers
