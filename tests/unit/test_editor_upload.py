"""The upload page (issue 27 items 3 and 5): a logged-in editor uploads a report table, sees problems by line and
column or a preview per indicator, gives the citation and publishes in the background; restore from the page. A bare
Flask app carries the editor routes; the builds use the tiny snapshot."""

from __future__ import annotations

import re
import shutil
import types

import duckdb
import flask
import pytest

from etl.config import settings

PASSWORD = "correct horse battery"
HEADER = (
    "indicator_id,indicator_name,area_code,area_name,period,value,unit,source_title,url,document_reference,quote,"
    "notes\n"
)
GOOD_ROW = (
    "city_guard_interventions_count,interwencje Straży Miejskiej,1261000,Kraków,2023,1234,count,"
    'Raport z działalności 2023,https://example.org/raport-2023,,"podjęto 1234 interwencje",\n'
)
BAD_ROW = (
    'city_guard_interventions_count,interwencje,1261000,Kraków,2023,dużo,count,Raport,https://example.org,,"cytat",\n'
)


@pytest.fixture
def site(tmp_path, monkeypatch, tiny_snapshot):
    data = tmp_path / "data"
    shutil.copytree(tiny_snapshot, data / "snapshot")
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(data))
    monkeypatch.setenv("BEZPIECZNY_EDITOR_COOKIE_SECURE", "0")
    monkeypatch.setenv("BEZPIECZNY_EDITOR_UPLOAD_MAX_MB", "0.01")  # 10 kB
    for name in ("BEZPIECZNY_WAREHOUSE", "BEZPIECZNY_EDITORS_DIR", "BEZPIECZNY_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings.cache_clear()
    from etl.editors import users

    users.add_user("anna", "Anna Nowak", PASSWORD)
    yield data
    settings.cache_clear()


@pytest.fixture
def client(site):
    from dashboard.editor import add_editor_routes

    server = flask.Flask("editor-upload-test")
    add_editor_routes(types.SimpleNamespace(server=server))
    client = server.test_client()
    page = client.get("/redaktor/logowanie")
    token = csrf_of(page)
    assert client.post("/redaktor/logowanie", data={"csrf_token": token, "login": "anna", "password": PASSWORD})
    return client


def csrf_of(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def upload(client, content: bytes, name="raport.csv", token=None):
    import io

    token = token if token is not None else csrf_of(client.get("/redaktor/"))
    return client.post(
        "/redaktor/przeslij",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def published(site):
    return site / "warehouse" / "bezpieczny.duckdb"


def test_upload_needs_a_login(site):
    from dashboard.editor import add_editor_routes

    server = flask.Flask("anonymous")
    add_editor_routes(types.SimpleNamespace(server=server))
    anonymous = server.test_client()
    assert anonymous.post("/redaktor/przeslij").status_code == 401
    assert anonymous.post("/redaktor/publikuj").status_code == 401
    assert anonymous.post("/redaktor/przywroc").status_code == 401
    assert anonymous.get("/redaktor/zadanie/" + "0" * 32).status_code == 302


def test_upload_without_the_csrf_token_is_refused(client):
    assert upload(client, (HEADER + GOOD_ROW).encode(), token="").status_code == 400


def test_a_file_over_the_cap_is_refused_and_nothing_is_published(client, site):
    from etl.editors import audit

    response = upload(client, (HEADER + GOOD_ROW * 200).encode())
    assert response.status_code == 413 and "Nic nie opublikowano" in response.get_data(as_text=True)
    assert not published(site).exists()
    assert not list((site / "editors").glob("uploads/*")), "not stored"
    (event,) = audit.events()
    assert event["action"] == "upload" and "more than the cap" in event["build_result"]


def test_a_request_body_far_over_the_cap_is_refused_before_it_is_read(client, site):
    response = upload(client, b"x" * 200_000)
    assert response.status_code == 413 and not published(site).exists()


def test_a_macro_enabled_workbook_is_refused_with_advice_to_save_it_as_csv(client, site):
    response = upload(client, b"PK\x03\x04 not read", name="raport.xlsm")
    assert response.status_code == 415 and "CSV UTF-8" in response.get_data(as_text=True)
    assert not published(site).exists()


def test_a_malformed_row_is_shown_by_line_and_column_and_nothing_is_published(client, site):
    from etl.editors import audit

    response = upload(client, (HEADER + GOOD_ROW + BAD_ROW).encode())
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<td>3</td><td>value</td>", body), "the problem names line 3, column value"
    assert not published(site).exists() and not (site / "raw").exists()
    (event,) = audit.events()
    assert event["action"] == "upload" and event["build_result"].startswith("refused: 1 problem")


def test_publishing_needs_the_citation(client, site):
    body = upload(client, (HEADER + GOOD_ROW).encode()).get_data(as_text=True)
    upload_id = re.search(r'name="upload_id" value="([0-9a-f]{32})"', body).group(1)
    response = client.post(
        "/redaktor/publikuj",
        data={"csrf_token": csrf_of_body(body), "upload_id": upload_id, "publisher": "SM", "licence": "x"},
    )
    assert response.status_code == 400 and not published(site).exists()


def csrf_of_body(body: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


def test_upload_preview_publish_then_restore_from_the_page_is_byte_identical_and_audited(client, site):
    from etl.audited_build import build_and_keep
    from etl.editors import audit, history
    from etl.upload_jobs import wait

    build_and_keep(editor_name="command line")
    before = published(site).read_bytes()
    before_id = history.kept()[-1].warehouse_id

    preview = upload(client, (HEADER + GOOD_ROW).encode())
    body = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r"\(city_guard_interventions_count\)</th><td>1</td>\s*<td>0</td><td>0</td>", body), "1 new"
    upload_id = re.search(r'name="upload_id" value="([0-9a-f]{32})"', body).group(1)
    response = client.post(
        "/redaktor/publikuj",
        data={
            "csrf_token": csrf_of_body(body),
            "upload_id": upload_id,
            "publisher": "Straż Miejska Miasta Krakowa",
            "licence": "informacja publiczna",
            "citation": "Raport z działalności Straży Miejskiej 2023, s. 4",
        },
    )
    assert response.status_code == 303
    job_id = response.headers["Location"].split("/")[-1].split("?")[0]
    assert wait(job_id)["state"] == "published"
    job_page = client.get(f"/redaktor/zadanie/{job_id}").get_data(as_text=True)
    assert "Opublikowano" in job_page and "checks:" in job_page, "the progress lines are shown"
    assert 'data-state="published"' in job_page and "postep.js" not in job_page, "polling stops when done"
    with duckdb.connect(str(published(site)), read_only=True) as con:
        assert con.sql("SELECT value FROM core__report_values").fetchall() == [(1234.0,)]

    home = client.get("/redaktor/")
    assert before_id in home.get_data(as_text=True)
    restored = client.post("/redaktor/przywroc", data={"csrf_token": csrf_of(home), "warehouse_id": before_id})
    assert restored.status_code == 200
    assert published(site).read_bytes() == before
    events = audit.events()
    upload_event = next(e for e in events if e["action"] == "upload")
    assert upload_event["editor_name"] == "Anna Nowak" and upload_event["build_result"] == "published"
    assert upload_event["file_name"] == "raport.csv" and upload_event["row_count"] == 1
    assert "Raport z działalności Straży Miejskiej 2023" in upload_event["changes"]
    assert events[-1]["action"] == "restore" and events[-1]["warehouse_id"] == before_id


def test_uploads_are_stored_under_generated_names_outside_the_data_folders_served(client, site):
    upload(client, (HEADER + GOOD_ROW).encode(), name="../../etc/raport.csv")
    stored = list((site / "editors" / "uploads").glob("*.csv"))
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}-00\.csv", stored[0].name)
