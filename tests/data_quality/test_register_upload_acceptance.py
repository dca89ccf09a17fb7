"""Issue 27 acceptance: the real Wrocław register (22 files, 2016-01 … 2018-11) imported through the CLI and uploaded
through the editor page gives identical monthly counts: 35 months, the last partial, 32,540 reports, none lost or
duplicated (the shifted rows included). The page path is the page's own routes on a Flask test client, with a login
and CSRF tokens: upload → preview → publish (background build) → published. A later upload that replaces part of
the export previews the months it would withdraw."""

from __future__ import annotations

import csv
import io
import re
import types

import duckdb
import flask
import pytest
from typer.testing import CliRunner

from etl.cli import app
from etl.config import settings
from tests.data_quality.test_wroclaw_register import ATTRIBUTION, IMPORT, months_counted_directly, register_files

PASSWORD = "correct horse battery"
WROCLAW = "0264000"
MONTHLY = (
    "SELECT area_code, area_name, category, strftime(month, '%Y-%m') AS month, report_count, days_covered, "
    "days_in_month, is_partial, attribution FROM mart__register_monthly ORDER BY ALL"
)


def use_data_dir(patch: pytest.MonkeyPatch, data_dir) -> None:
    patch.setenv("BEZPIECZNY_DATA_DIR", str(data_dir))
    patch.setenv("BEZPIECZNY_EDITOR_COOKIE_SECURE", "0")
    for name in ("BEZPIECZNY_WAREHOUSE", "BEZPIECZNY_EDITORS_DIR", "BEZPIECZNY_SECRET_KEY"):
        patch.delenv(name, raising=False)
    settings.cache_clear()


def csrf_of(body: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


def editor_client() -> flask.testing.FlaskClient:
    from dashboard.editor import add_editor_routes

    server = flask.Flask("register-acceptance")
    add_editor_routes(types.SimpleNamespace(server=server))
    client = server.test_client()
    token = csrf_of(client.get("/redaktor/logowanie").get_data(as_text=True))
    client.post("/redaktor/logowanie", data={"csrf_token": token, "login": "anna", "password": PASSWORD})
    return client


def upload_register(client, files, *, city=WROCLAW, replace=False, names=None):
    token = csrf_of(client.get("/redaktor/").get_data(as_text=True))
    sent = [(io.BytesIO(path.read_bytes()), name) for path, name in zip(files, names or [p.name for p in files])]
    data = {"csrf_token": token, "kind": "register", "city": city, "file": sent}
    if replace:
        data["replace"] = "1"
    return client.post("/redaktor/przeslij", data=data, content_type="multipart/form-data")


def digits(text: str) -> int:
    """A number as the page writes it in Polish ('32 540', with a narrow no-break space)."""
    return int(re.sub(r"\D", "", text))


def preview_rows(body: str) -> dict[str, list[str]]:
    """Category name → the cells of its preview row (new, changed, withdrawn, unchanged, reports after, …)."""
    table = body[body.index('id="register-preview"') :]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', table, flags=re.S)
    return {name: re.findall(r"<td>(.*?)</td>", cells, flags=re.S) for name, cells in rows}


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory, tiny_snapshot_dir):
    """The same 22 files: `bezpieczny import register` + `bezpieczny build` in one data folder, the upload page
    (login, upload, preview, citation, publish, wait for the background build) in another."""
    from tests.conftest import REFERENCE

    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not present on this machine")
    files = register_files(REFERENCE)
    patch = pytest.MonkeyPatch()
    result: dict = {"files": files}

    cli_dir = tmp_path_factory.mktemp("cli-data")
    (cli_dir / "snapshot").symlink_to(tiny_snapshot_dir)
    use_data_dir(patch, cli_dir)
    imported = CliRunner().invoke(app, [*IMPORT, *map(str, files)])
    built = CliRunner().invoke(app, ["build"])
    assert imported.exit_code == 0 and built.exit_code == 0, imported.output + built.output
    result["cli"] = cli_dir / "warehouse" / "bezpieczny.duckdb"

    page_dir = tmp_path_factory.mktemp("page-data")
    (page_dir / "snapshot").symlink_to(tiny_snapshot_dir)
    use_data_dir(patch, page_dir)
    from etl.editors import audit, users
    from etl.upload_jobs import wait

    users.add_user("anna", "Anna Nowak", PASSWORD)
    client = editor_client()
    preview = upload_register(client, files)
    body = preview.get_data(as_text=True)
    result["preview_status"], result["preview"] = preview.status_code, body
    upload_id = re.search(r'name="upload_id" value="([0-9a-f]{32})"', body).group(1)
    published = client.post(
        "/redaktor/publikuj",
        data={
            "csrf_token": csrf_of(body),
            "upload_id": upload_id,
            "publisher": "Straż Miejska Wrocławia",
            "licence": "informacja publiczna udostępniona na wniosek; należy podać źródło",
            "attribution": ATTRIBUTION,
            "citation": "Rejestr zgłoszeń 2016-01-01 – 2018-11-08, udostępniony na wniosek (SigmaNgo/SMW)",
        },
    )
    job_id = published.headers["Location"].split("/")[-1].split("?")[0]
    result["job"] = wait(job_id, timeout_s=600)
    result["job_page"] = client.get(f"/redaktor/zadanie/{job_id}").get_data(as_text=True)
    result["audit"] = audit.events()
    result["page"] = page_dir / "warehouse" / "bezpieczny.duckdb"
    result["client"], result["page_dir"] = client, page_dir
    yield result
    patch.undo()
    settings.cache_clear()


def monthly(warehouse) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.sql(MONTHLY).fetchall()


def test_cli_and_upload_page_give_identical_monthly_counts(both_ways):
    assert both_ways["job"]["state"] == "published", both_ways["job"]
    from_cli, from_page = monthly(both_ways["cli"]), monthly(both_ways["page"])
    assert from_page == from_cli
    assert len(from_page) > 35 * 9 - 1  # every category of every month, not an empty pair of tables


def test_uploaded_register_has_35_months_the_last_partial(both_ways):
    months = [row for row in monthly(both_ways["page"]) if row[2] == "all"]
    assert [m[3] for m in months][0] == "2016-01" and [m[3] for m in months][-1] == "2018-11"
    assert len(months) == 35
    assert [m[3] for m in months if m[7]] == ["2018-11"]


def test_uploaded_register_counts_every_row_once_shifted_rows_included(both_ways):
    counted = {m[3]: m[4] for m in monthly(both_ways["page"]) if m[2] == "all"}
    assert counted == dict(months_counted_directly(both_ways["files"]))
    assert sum(counted.values()) == 32_540
    with duckdb.connect(str(both_ways["page"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM core__register_reports").fetchone()[0] == 32_540
        assert con.execute("SELECT count(*) FROM core__register_reports WHERE layout = 'type_split'").fetchone()[0] > 0


def test_preview_showed_35_new_months_and_every_report_before_publishing(both_ways):
    assert both_ways["preview_status"] == 200
    rows = preview_rows(both_ways["preview"])
    new, changed, withdrawn, unchanged, after = rows["wszystkie zgłoszenia"][:5]
    assert (new, changed, withdrawn, unchanged) == ("35", "0", "0", "0")
    assert digits(after) == 32_540
    assert "2016-01 – 2018-11" in rows["wszystkie zgłoszenia"][5]
    assert "Wrocław (0264000)" in both_ways["preview"] and re.search(
        r"plików: 22, zgłoszeń: 32\W540", both_ways["preview"]
    )


def test_upload_is_audited_with_its_files_rows_and_citation(both_ways):
    (event,) = [e for e in both_ways["audit"] if e["action"] == "upload"]
    assert event["editor_name"] == "Anna Nowak" and event["build_result"] == "published"
    assert event["row_count"] == 32_540
    assert event["file_name"].count(".csv") == 22
    assert "all: 35 new, 0 changed, 0 withdrawn months" in event["changes"]
    assert "udostępniony na wniosek (SigmaNgo/SMW)" in event["changes"]


def test_published_page_links_to_the_registers_monthly_chart(both_ways):
    assert f'href="/trendy?reg={WROCLAW}&amp;lang=pl#trends-registers"' in both_ways["job_page"]


def test_the_same_export_again_is_refused_as_counted_twice_unless_it_replaces(both_ways):
    files = both_ways["files"][-1:]
    trimmed = both_ways["page_dir"] / "22 interwencje 06.10.2018 do 31.10.2018.csv"
    with files[0].open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    with trimmed.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([header, *[row for row in rows if not row[0].startswith("2018-11")]])
    refused = upload_register(both_ways["client"], [trimmed])
    assert refused.status_code == 422 and "counted twice" in refused.get_data(as_text=True)

    replacing = upload_register(both_ways["client"], [trimmed], replace=True)
    body = replacing.get_data(as_text=True)
    assert replacing.status_code == 200, body
    assert "22 interwencje 06.10.2018 do 08.11.2018.csv" in body, "names the file it withdraws"
    november = sum(1 for row in rows if row[0].startswith("2018-11"))
    new, changed, withdrawn, unchanged, after = preview_rows(body)["wszystkie zgłoszenia"][:5]
    assert (new, changed, withdrawn, unchanged) == ("0", "0", "1", "34")
    assert digits(after) == 32_540 - november
    assert "wycofane: 2018-11" in preview_rows(body)["wszystkie zgłoszenia"][-1]
    assert monthly(both_ways["page"]) == monthly(both_ways["cli"]), "a preview publishes nothing"
