"""Registers (and XLSX report tables) through the upload page (issue 27 item 3): a register's problems by file, line
and column; its preview per category (new, changed, withdrawn, unchanged months); refusals of what the page does not
take; a register replacing earlier imports puts them back when the build fails. Registers are written here, in the
template's format; the builds use the tiny snapshot."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from tests.unit.test_editor_upload import GOOD_ROW, HEADER, client, csrf_of, site  # noqa: F401  (fixtures)

REGISTER_HEADER = "Data Godzina,Numer,Opis,Typ,Miejsce,Status,Kwota Mandatu,Data Zakończenia\n"
WROCLAW = "0264000"


def register_row(day: str, number: int, type_: str = "NIEPRAWIDŁOWE PARKOWANIE") -> str:
    return f"{day} 09:40:00,INT-{number:05d}/24,opis,{type_},PRZYKŁADOWA 1/,MANDAT,100,{day} 10:15:00\n"


def register(*rows: str) -> bytes:
    return (REGISTER_HEADER + "".join(rows)).encode("utf-8")


def send(client, files: list[tuple[bytes, str]], *, kind="register", city=WROCLAW, replace=False):  # noqa: F811
    data = {"csrf_token": csrf_of(client.get("/redaktor/")), "kind": kind, "city": city}
    data["file"] = [(io.BytesIO(content), name) for content, name in files]
    if replace:
        data["replace"] = "1"
    return client.post("/redaktor/przeslij", data=data, content_type="multipart/form-data")


def preview_cells(body: str, category: str) -> list[str]:
    row = re.search(rf'<tr><th scope="row">{category}</th>(.*?)</tr>', body, flags=re.S)
    return re.findall(r"<td>(.*?)</td>", row.group(1), flags=re.S)


def test_home_offers_a_register_upload_with_the_city_and_both_templates(client):  # noqa: F811
    body = client.get("/redaktor/").get_data(as_text=True)
    assert 'name="kind" value="register"' in body and 'type="file" accept=".csv,text/csv" multiple' in body
    assert f'<option value="{WROCLAW}">Wrocław ({WROCLAW})</option>' in body
    assert 'href="/szablony/szablon-rejestru.csv"' in body and 'href="/szablony/szablon-tabeli-raportu.csv"' in body


def test_register_problems_are_named_by_file_line_and_column(client, site):  # noqa: F811
    good = register(register_row("2024-01-05", 1))
    bad = register(register_row("2024-01-05", 2), register_row("2024-13-40", 3))
    response = send(client, [(good, "a.csv"), (bad, "b.csv")])
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<td>b\.csv</td><td>3</td><td>Data Godzina</td>", body), body
    assert "a.csv</td>" not in body, "the good file has no problem row"
    assert not (site / "raw").exists()


def test_register_preview_counts_new_months_per_category(client):  # noqa: F811
    rows = [register_row("2024-01-05", 1), register_row("2024-01-09", 2), register_row("2024-02-03", 3)]
    rows.append(register_row("2024-02-04", 4, "SPOŻYWANIE ALKOHOLU"))
    response = send(client, [(register(*rows), "rejestr 01.01.2024 do 10.02.2024.csv")])
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    new, changed, withdrawn, unchanged, after, months = preview_cells(body, "wszystkie zgłoszenia")[:6]
    assert (new, changed, withdrawn, unchanged, after, months) == ("2", "0", "0", "0", "4", "2024-01 – 2024-02")
    assert preview_cells(body, "Parkowanie")[4] == "3" and preview_cells(body, "Alkohol")[4] == "1"
    assert "okres 2024-01-01 – 2024-02-10" in body, "the period is read from the file's name"
    assert 'id="attribution"' in body and 'id="citation"' in body


def test_register_for_an_unknown_city_is_refused(client):  # noqa: F811
    response = send(client, [(register(register_row("2024-01-05", 1)), "r.csv")], city="9999999")
    assert response.status_code == 400 and "unknown city" in response.get_data(as_text=True)


def test_register_as_a_workbook_is_refused_with_advice_to_save_it_as_csv(client):  # noqa: F811
    response = send(client, [(b"PK\x03\x04", "rejestr.xlsx")])
    assert response.status_code == 415 and "CSV UTF-8" in response.get_data(as_text=True)


def test_an_xlsx_report_table_previews_like_its_csv(client):  # noqa: F811
    from openpyxl import Workbook

    book = Workbook()
    for line in (HEADER + GOOD_ROW).splitlines():
        book.active.append(next(__import__("csv").reader([line])))
    out = io.BytesIO()
    book.save(out)
    response = send(client, [(out.getvalue(), "raport.xlsx")], kind="report")
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert re.search(r"\(city_guard_interventions_count\)</th><td>1</td>", body), "1 new figure"


def test_a_replacing_register_puts_the_earlier_files_back_when_the_build_fails(site, tmp_path, monkeypatch):  # noqa: F811
    from etl import audited_build, paths
    from etl.editors import audit
    from etl.sources.city_imports.landing import import_register, landed_sidecars, restore_superseded

    kwargs = {"city_name": "Wrocław", "publisher": "SM", "licence": "x", "raw_dir": paths.raw_dir()}
    first = tmp_path / "stary 01.01.2024 do 31.01.2024.csv"
    first.write_bytes(register(register_row("2024-01-05", 1)))
    import_register([first], **kwargs, today=date(2024, 2, 1))
    before = [p.name for p, _ in landed_sidecars(paths.raw_dir(), "city_register")]
    newer = tmp_path / "nowy 01.01.2024 do 31.01.2024.csv"
    newer.write_bytes(register(register_row("2024-01-05", 1), register_row("2024-01-06", 2)))

    def failing_build(**_):
        raise RuntimeError("a check failed")

    monkeypatch.setattr(audited_build, "run_build", failing_build)
    landed = []

    def land():
        landed.append(import_register([newer], **kwargs, replace=True))
        assert [p.name for p, _ in landed_sidecars(paths.raw_dir(), "city_register")] != before
        return [item.path for item in landed[0].files]

    with pytest.raises(RuntimeError):
        audited_build.build_and_keep(
            editor_name="Anna Nowak", action="upload", land=land, undo=lambda: restore_superseded(landed[0])
        )
    assert [p.name for p, _ in landed_sidecars(paths.raw_dir(), "city_register")] == before
    assert audit.events()[-1]["build_result"].startswith("refused: RuntimeError")


def test_cli_replace_moves_the_earlier_file_aside_and_names_it_in_the_new_sidecar(site, tmp_path):  # noqa: F811
    import json

    from typer.testing import CliRunner

    from etl import paths
    from etl.cli import app
    from etl.sources.city_imports.landing import landed_sidecars

    command = ["import", "register", "--city", "Wrocław", "--publisher", "SM", "--licence", "x"]
    old = tmp_path / "stary 01.01.2024 do 31.01.2024.csv"
    old.write_bytes(register(register_row("2024-01-05", 1)))
    new = tmp_path / "nowy 01.01.2024 do 31.01.2024.csv"
    new.write_bytes(register(register_row("2024-01-05", 1), register_row("2024-01-06", 2)))
    assert CliRunner().invoke(app, [*command, str(old)]).exit_code == 0
    refused = CliRunner().invoke(app, [*command, str(new)])
    assert refused.exit_code == 1 and "--replace" in refused.output
    replaced = CliRunner().invoke(app, [*command, "--replace", str(new)])
    assert replaced.exit_code == 0, replaced.output
    ((landed, meta),) = landed_sidecars(paths.raw_dir(), "city_register")
    assert meta["original_name"] == new.name and len(meta["replaces"]) == 1
    moved = paths.raw_dir() / meta["replaces"][0]
    assert moved.read_bytes() == old.read_bytes()
    assert json.loads(moved.with_name(moved.name + ".meta.json").read_text())["original_name"] == old.name
