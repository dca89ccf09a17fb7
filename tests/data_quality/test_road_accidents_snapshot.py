"""Road safety offline: GUS BDL road-accident rates in the embedded snapshot, named sources, fetch-only indicators."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from etl.loaders.snapshot_files import read_snapshot_table, snapshot_table_differences
from etl.snapshot import make_snapshot
from tests.conftest import SNAPSHOT

TABLE = "gus_bdl_road_accidents"
# Powiat m. Kraków 2011-2018, as published (reference PROVENANCE of the BDL long CSV export).
KRAKOW = {
    "road_accidents_per_100k": [162.1, 154.1, 142.6, 151.0, 151.7, 154.6, 135.0, 125.9],
    "road_accidents_killed_per_100k": [5.67, 3.56, 1.58, 1.97, 2.23, 2.10, 2.35, 3.38],
    "road_accidents_injured_per_100_accidents": [113.2, 114.4, 111.8, 112.7, 110.6, 112.0, 109.3, 107.8],
}


@pytest.mark.parametrize("series_id", sorted(KRAKOW))
def test_krakow_road_accident_rates_are_the_published_ones(series_id):
    frame = read_snapshot_table(SNAPSHOT, TABLE)
    rows = frame[(frame.area_code == "1261000") & (frame.series_id == series_id)].sort_values("year")
    assert rows["year"].tolist() == list(range(2011, 2019))
    assert rows["value"].tolist() == pytest.approx(KRAKOW[series_id])


def test_every_powiat_has_rates_for_2011_to_2018_and_no_per_vehicle_series():
    frame = read_snapshot_table(SNAPSHOT, TABLE)
    powiats = frame[frame.area_code.str[2:] != "00000"]
    assert powiats.area_code.nunique() == 380
    assert sorted(powiats.year.unique()) == list(range(2011, 2019))
    assert set(frame.series_id) == {
        "road_accidents_per_100k",
        "road_accidents_killed_per_100k",
        "road_accidents_killed_per_100_accidents",
        "road_accidents_injured_per_100_accidents",
    }
    assert frame.value.notna().all() and not frame.is_derived.any()


def test_snapshot_rerun_is_byte_identical_and_the_committed_one_holds_the_same_tables(reference_dir, tmp_path):
    """Two runs give the same bytes; the committed files hold the same columns, types, rows and values.

    Committed Parquet files are compared by content, not bytes: the footer names the pyarrow release that wrote it,
    so a new release of a library must not make the committed snapshot 'stale'. PROVENANCE.md is the project's own
    text and is compared byte for byte.
    """
    make_snapshot(reference_dir, tmp_path / "a")
    make_snapshot(reference_dir, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
        if path.suffix == ".parquet":
            stamps = pq.read_schema(path).metadata[b"pandas"]
            assert b"pandas_version" not in stamps and b"creator" not in stamps, f"{path.name} names a library"
            assert snapshot_table_differences(SNAPSHOT / path.name, path) == [], f"committed {path.name} is stale"
        else:
            assert path.read_bytes() == (SNAPSHOT / path.name).read_bytes(), f"committed {path.name} is stale"


def test_snapshot_comparison_sees_a_changed_value_row_or_column_type(tmp_path):
    table = pa.table({"area_code": ["1261000", "1465011"], "value": [1.5, 2.0]})
    pq.write_table(table, tmp_path / "same.parquet")
    pq.write_table(table.replace_schema_metadata({"pandas": "9.9.9"}), tmp_path / "stamped.parquet")
    pq.write_table(table.set_column(1, "value", pa.array([1.5, 2.5])), tmp_path / "value.parquet")
    pq.write_table(table.slice(0, 1), tmp_path / "rows.parquet")
    pq.write_table(table.set_column(1, "value", pa.array([1.5, 2.0], pa.float32())), tmp_path / "type.parquet")
    base = tmp_path / "same.parquet"
    assert snapshot_table_differences(base, tmp_path / "stamped.parquet") == []
    assert snapshot_table_differences(base, tmp_path / "value.parquet") == ["column value: values differ"]
    assert snapshot_table_differences(base, tmp_path / "rows.parquet") == ["2 rows != 1 rows"]
    assert snapshot_table_differences(base, tmp_path / "type.parquet")[0].startswith("schema")


def test_sources_say_whose_values_and_which_repository_published_the_export(warehouse_path):
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = con.execute("SELECT source_id, title, via, dataset FROM core__sources").fetchall()
    text = " ".join(str(cell) for row in rows for cell in row)
    assert "../shared" not in text and "../shared" not in (SNAPSHOT / "PROVENANCE.md").read_text(encoding="utf-8")
    gus = {row[1] for row in rows if row[0] == "gus_bdl"}
    assert any("GUS BDL values" in t and "wsmolak/amu_adp_final_proj" in t for t in gus)
    assert any("GUS BDL values" in t and "KacperNatalia/Dashboard-przestepczosci" in t for t in gus)
    curated = [row[2] for row in rows if row[0] == "curated"]
    assert curated and all(via.startswith("transcribed by hand from the cited documents") for via in curated)


def test_indicators_only_the_live_api_provides_say_available_after_fetch(warehouse_path):
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        rows = dict(
            con.execute("SELECT indicator_id, available_after_fetch FROM mart__indicator_availability").fetchall()
        )
        note = con.execute(
            "SELECT note_pl FROM mart__indicator_availability WHERE indicator_id = 'road_accidents_count'"
        ).fetchone()[0]
    assert rows["road_accidents_count"] is True and rows["road_accidents_killed_count"] is True
    assert rows["road_accidents_per_100k"] is False and rows["crimes_count__total"] is False
    assert "bezpieczny fetch" in note and "7849" in note


ROAD_RATES = (
    "road_accidents_per_100k",
    "road_accidents_killed_per_100k",
    "road_accidents_killed_per_100_accidents",
    "road_accidents_injured_per_100_accidents",
)


def test_road_rate_cards_say_the_snapshot_ends_in_2018_and_whether_a_fetch_brings_later_years(dashboard_warehouse):
    from bezpieczny.views.scorecard import scorecard

    for lang, ends, fetch, unpinned in (
        ("pl", "kończy się na 2018 r.", "471916", "nie jest przypięta"),
        ("en", "ends in 2018", "471916", "no GUS BDL API variable is pinned"),
    ):
        tiles = {tile.indicator_id: tile for column in scorecard("2022–2024", lang) for tile in column.tiles}
        assert all(tiles[i].state == "no_data" and ends in tiles[i].sentence for i in ROAD_RATES)
        assert fetch in tiles["road_accidents_per_100k"].sentence  # a pinned variable: later years after a fetch
        assert all(unpinned in tiles[i].sentence for i in ROAD_RATES[1:])
        assert (
            tiles["road_accidents_killed_per_100_accidents"]
            .latest[1]
            .strip()
            .startswith("na 100 wypadków" if lang == "pl" else "per 100 accidents")
        )
        assert tiles["crimes_count__total"].unavailable is None  # a judged indicator keeps its own sentence
