"""The real Wrocław city-guard register (2016-01 … 2018-11), imported through the CLI and built: every report
counted once, in the month it was reported, shifted rows included; the last month marked partial; attributed to
its publisher and kept as Wrocław's (peer) data, never Kraków's."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from etl.config import settings
from etl.sources.city_imports.register import read_register

FOLDER = "smw-wroclaw-register-2016-2018/transformedData"
ATTRIBUTION = "Źródło: Straż Miejska Wrocławia, udostępnione na wniosek"
IMPORT = [
    "import",
    "register",
    "--city",
    "Wrocław",
    "--publisher",
    "Straż Miejska Wrocławia",
    "--licence",
    "informacja publiczna udostępniona na wniosek; należy podać źródło",
    "--attribution",
    ATTRIBUTION,
]
runner = CliRunner()


def register_files(reference: Path) -> list[Path]:
    return sorted((reference / FOLDER).glob("*.csv"), key=lambda p: int(p.name.split()[0]))


def months_counted_directly(files: list[Path]) -> Counter:
    """Reports per month counted from the first cell of every row with the csv module alone (no repairs needed:
    the date and time is never shifted)."""
    months = Counter()
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))[1:]
        months.update(row[0][:7] for row in rows)
    return months


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """`bezpieczny import register` (twice) and `bezpieczny build` in a fresh data folder, as a user runs them."""
    from tests.conftest import REFERENCE, SNAPSHOT

    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not present on this machine")
    data_dir = tmp_path_factory.mktemp("data")
    (data_dir / "snapshot").symlink_to(SNAPSHOT)
    (data_dir / "curated").symlink_to(SNAPSHOT.parent / "curated")
    patch = pytest.MonkeyPatch()
    patch.setenv("BEZPIECZNY_DATA_DIR", str(data_dir))
    patch.delenv("BEZPIECZNY_WAREHOUSE", raising=False)
    settings.cache_clear()
    files = register_files(REFERENCE)
    first = runner.invoke(app, [*IMPORT, *map(str, files)])
    again = runner.invoke(app, [*IMPORT, *map(str, files)])
    built = runner.invoke(app, ["build"])
    warehouse = data_dir / "warehouse" / "bezpieczny.duckdb"
    yield {"files": files, "first": first, "again": again, "built": built, "data_dir": data_dir, "warehouse": warehouse}
    patch.undo()
    settings.cache_clear()


def test_build_command_publishes_the_warehouse(imported):
    assert imported["built"].exit_code == 0, imported["built"].output
    assert imported["warehouse"].is_file()


@pytest.fixture(scope="module")
def wh(imported):
    connection = duckdb.connect(str(imported["warehouse"]), read_only=True)
    yield connection
    connection.close()


def test_reader_reads_all_32540_rows_without_a_problem(reference_dir):
    results = [read_register(path) for path in register_files(reference_dir)]
    assert [p for r in results for p in r.problems] == []
    assert (
        sum(len(r.reports) for r in results)
        == 32_540
        == sum(months_counted_directly(register_files(reference_dir)).values())
    )


def test_shifted_rows_are_repaired_by_arrangement(reference_dir):
    layouts = Counter()
    for path in register_files(reference_dir):
        layouts.update(read_register(path).layouts)
    assert (layouts["standard"], layouts["fine_in_status"]) == (21_420, 10_997)
    assert {k: v for k, v in layouts.items() if k not in ("standard", "fine_in_status")} == {
        "type_split": 1,
        "description_missing": 27,
        "place_split": 58,
        "extra_cells": 19,
        "description_split": 18,
    }


def test_first_file_type_split_row_is_parking_at_its_place(reference_dir):
    reports = read_register(register_files(reference_dir)[0]).reports
    row = reports[reports["source_line"] == 2].iloc[0]
    assert (row["type_original"], row["category"], row["place"], row["layout"]) == (
        "NIEPRAWIDŁOWE PARKOWANIE",
        "parking",
        "RODZINNA 23/",
        "type_split",
    )


def test_import_lands_every_file_with_a_provenance_sidecar(imported):
    assert imported["first"].exit_code == 0, imported["first"].output
    assert "32,540 reports" in imported["first"].output
    sidecars = sorted((imported["data_dir"] / "raw" / "city_register").glob("*/*.meta.json"))
    assert len(sidecars) == 22
    meta = json.loads(sidecars[0].read_text(encoding="utf-8"))
    assert (meta["area_code"], meta["publisher"], meta["attribution"]) == (
        "0264000",
        "Straż Miejska Wrocławia",
        ATTRIBUTION,
    )
    assert meta["coverage_basis"] == "file_name"


def test_importing_the_same_files_again_lands_nothing(imported):
    assert imported["again"].exit_code == 0, imported["again"].output
    assert imported["again"].output.count("skipped") == 22
    assert len(list((imported["data_dir"] / "raw" / "city_register").glob("*/*.csv"))) == 22


def test_35_months_from_2016_01_to_2018_11_the_last_partial(wh):
    months = wh.execute(
        "SELECT strftime(month, '%Y-%m'), is_partial, days_covered, days_in_month FROM mart__register_monthly "
        "WHERE area_code = '0264000' AND category = 'all' ORDER BY month"
    ).fetchall()
    assert len(months) == 35
    assert (months[0][0], months[-1][0]) == ("2016-01", "2018-11")
    assert [m[0] for m in months if m[1]] == ["2018-11"]
    assert months[-1][2:] == (8, 30)  # the export ends on 2018-11-08


def test_monthly_counts_equal_the_rows_of_the_files_none_lost_or_duplicated(imported, wh):
    counted = dict(
        wh.execute(
            "SELECT strftime(month, '%Y-%m'), report_count FROM mart__register_monthly "
            "WHERE area_code = '0264000' AND category = 'all'"
        ).fetchall()
    )
    assert counted == dict(months_counted_directly(imported["files"]))
    assert sum(counted.values()) == 32_540
    assert wh.execute("SELECT count(*) FROM core__register_reports").fetchone()[0] == 32_540


def test_categories_add_up_to_all_reports_every_month(wh):
    differences = wh.execute(
        "SELECT month FROM mart__register_monthly WHERE area_code = '0264000' GROUP BY month "
        "HAVING sum(report_count) FILTER (WHERE category <> 'all') <> sum(report_count) FILTER (WHERE category = 'all')"
    ).fetchall()
    assert differences == []


def test_repeated_rows_are_kept_and_point_at_their_first_copy(wh):
    repeats = wh.execute("SELECT count(*) FROM core__register_reports WHERE same_as IS NOT NULL").fetchone()[0]
    assert repeats == 71
    # a row of file 12 repeats the last row of file 11 (a report of 2017-06-28 listed in both exports)
    same = wh.execute(
        "SELECT same_as FROM core__register_reports WHERE source_file LIKE '%12 interwencje%' AND source_line = 20"
    ).fetchone()[0]
    assert same == "11 interwencje 25.04.2017 do 28.06.2017.csv, line 1830"


def test_data_is_wroclaws_with_its_attribution_never_krakows(wh):
    areas = wh.execute("SELECT DISTINCT area_code, area_name, attribution FROM mart__register_monthly").fetchall()
    assert areas == [("0264000", "Wrocław", ATTRIBUTION)]


def test_every_register_file_is_in_the_sources_with_its_licence(wh):
    rows = wh.execute("SELECT publisher, licence FROM core__sources WHERE source_id = 'city_register'").fetchall()
    assert len(rows) == 22
    assert {r[0] for r in rows} == {"Straż Miejska Wrocławia"}
    assert all(r[1] for r in rows)


def test_control_limits_come_from_the_34_complete_months(wh):
    limits = wh.execute(
        "SELECT baseline_points, mean, lower_limit, upper_limit FROM mart__register_spc_limits "
        "WHERE area_code = '0264000' AND category = 'all'"
    ).fetchone()
    rates = [
        r[0]
        for r in wh.execute(
            "SELECT reports_per_day FROM mart__register_monthly WHERE area_code = '0264000' AND category = 'all' "
            "AND NOT is_partial ORDER BY month"
        ).fetchall()
    ]
    mean = sum(rates) / len(rates)
    mean_range = sum(abs(b - a) for a, b in zip(rates, rates[1:], strict=False)) / (len(rates) - 1)
    assert limits[0] == 34
    assert limits[1:] == pytest.approx((mean, mean - 2.66 * mean_range, mean + 2.66 * mean_range))


def test_partial_month_is_never_part_of_a_signal(wh):
    assert (
        wh.execute("SELECT count(*) FROM mart__register_spc_signals WHERE month = DATE '2018-11-01'").fetchone()[0] == 0
    )


def test_overlapping_export_is_refused_and_nothing_landed(imported, tmp_path):
    extra = tmp_path / "nowe.csv"
    extra.write_text(
        "Data Godzina,Numer,Opis,Typ,Miejsce,Status,Kwota Mandatu,Data Zakończenia\n"
        "2018-11-05 10:00:00,INT-99999/18,opis,HANDEL,RYNEK /,MANDAT,50,2018-11-05 11:00:00\n",
        encoding="utf-8",
    )
    before = sorted((imported["data_dir"] / "raw").rglob("*"))
    result = runner.invoke(app, [*IMPORT, str(extra)])
    assert result.exit_code == 1
    assert "counted twice" in result.output
    assert sorted((imported["data_dir"] / "raw").rglob("*")) == before


# --- what readers see: the view model, the API and the trends page on the imported register --------------------------
@pytest.fixture(scope="module")
def on_register_warehouse(imported):
    from bezpieczny import read

    previous = read.warehouse().path
    read.set_warehouse(imported["warehouse"])
    yield read.warehouse()
    read.set_warehouse(previous)


def test_signal_sentences_agree_with_the_numbers(on_register_warehouse, wh):
    from bezpieczny.views import registers

    view = registers.register_view(registers.RegisterState("0264000", "all"), "pl")
    months = view.months.set_index("month")["reports_per_day"]
    shift = [s for s in view.sentences if "poniżej średniej" in s]
    assert shift == [
        "kwiecień 2017 – luty 2018: 11 miesięcy z rzędu poniżej średniej ("
        + f"{view.limits['mean']:.1f}".replace(".", ",")
        + " na dzień) — przesunięcie w dół."
    ]
    assert (months["2017-04-01":"2018-02-01"] < view.limits["mean"]).all()
    assert len(months["2017-04-01":"2018-02-01"]) == 11
    high = [s for s in view.sentences if "powyżej górnej granicy" in s]
    assert high and high[0].startswith("kwiecień 2016:")
    assert months["2016-04-01"] > view.limits["upper_limit"]
    others = months.drop([pd.Timestamp("2016-04-01"), pd.Timestamp("2018-11-01")])  # the partial month is not judged
    assert others.max() <= view.limits["upper_limit"]


def test_partial_month_is_named_with_its_days(on_register_warehouse):
    from bezpieczny.views import registers

    view = registers.register_view(registers.RegisterState("0264000", "parking"), "en")
    assert view.partial_notes == (
        "November 2018: the register covers only 8 of 30 days — a partial month, shown as reports per day and not "
        "judged.",
    )


def test_api_gives_the_months_and_reports_of_the_register(on_register_warehouse):
    from bezpieczny import api

    view = api.register_monthly("0264000")
    assert (len(view.months), int(view.months["report_count"].sum())) == (35, 32_540)
    assert view.attribution == ATTRIBUTION
    assert len(api.register_reports("0264000")) == 32_540
    with pytest.raises(api.UnknownIdError, match="1261000"):
        api.register_monthly("1261000")  # Kraków has no register: never shown Wrocław's instead


def test_every_register_figure_carries_the_attribution(on_register_warehouse):
    from bezpieczny import api

    for name in ("register_monthly", "register_xmr"):
        figure = api.figure(name, city="0264000", category="trade")
        assert [a.text for a in figure.layout.annotations] == [ATTRIBUTION]


def test_trends_page_shows_wroclaw_as_peer_data_with_attribution(on_register_warehouse):
    import json

    import plotly

    from dashboard.app import create_app

    create_app()
    from bezpieczny import read
    from dashboard.pages import trends

    layout = trends.register_section(read.snapshot(), {"regcat": "alcohol"}, "pl")
    text = json.dumps(
        json.loads(json.dumps(layout.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)), ensure_ascii=False
    )
    assert text.count(ATTRIBUTION) == 4  # inside both figures and under both
    assert "Wrocław (dane porównawcze): zgłoszenia do straży miejskiej" in text
    assert "a nie Krakowa" in text


def test_register_controls_write_the_url_and_keep_the_trend_choice(on_register_warehouse):
    from dashboard.app import create_app

    create_app()
    from dashboard.pages import trends

    search = "?lang=pl&ind=crimes_count__criminal&area=1261000&measure=count"
    assert trends.update_register_url("0264000", "alcohol", search) == search + "&reg=0264000&regcat=alcohol"
    kept = trends.update_url(["crimes_count__criminal"], "1261000", "per_1000", search + "&reg=0264000&regcat=alcohol")
    assert kept.endswith("measure=per_1000&reg=0264000&regcat=alcohol")


def test_a_u_chart_would_flag_most_months_the_xmr_chart_one(wh):
    """The reason for XmR (etl/marts_registers.py, docs/imports.md), checked on the data."""
    rows = wh.execute(
        "SELECT report_count, days_covered, reports_per_day FROM mart__register_monthly "
        "WHERE area_code = '0264000' AND category = 'all' AND NOT is_partial ORDER BY month"
    ).fetchall()
    counts = [r[0] for r in rows]
    centre = sum(counts) / sum(r[1] for r in rows)
    outside_u = sum(abs(r[2] - centre) > 3 * (centre / r[1]) ** 0.5 for r in rows)
    beyond_xmr = wh.execute(
        "SELECT count(*) FROM mart__register_spc_signals WHERE area_code = '0264000' AND category = 'all' "
        "AND rule = 'beyond_limit'"
    ).fetchone()[0]
    assert (len(rows), outside_u, beyond_xmr) == (34, 25, 1)
    assert round(sum(counts) / len(counts)) == 951
    assert round(sum(abs(b - a) for a, b in zip(counts, counts[1:], strict=False)) / (len(counts) - 1)) == 177
