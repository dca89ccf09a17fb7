"""The BDL truth rules end to end: through a local server, `fetch`, then `build`, into the warehouse."""

from __future__ import annotations

import copy
import json

import duckdb
import pytest

from etl.build import build
from etl.loaders.errors import SchemaDriftError
from tests.faults.local_http import Reply
from tests.faults.test_fetch_live_sources import KRAKOW, PAGES, fetch, serve_sources


def confidential_first_value(pages):
    pages = copy.deepcopy(pages)
    # Changed cell: Kraków's first detection-rate value carries attribute 4 (confidential, shown as . or 0), val 0.
    pages[0]["results"][0]["values"][0].update(val=0, attrId=4)
    return pages


def test_confidential_zero_is_null_in_core_observations_with_its_label(
    live_env, local_server, timing, tmp_path, tiny_snapshot_dir
):
    pages = confidential_first_value(PAGES)
    serve_sources(local_server, pages=pages)
    assert fetch(timing, sources=["gus_bdl"])[0].ok
    warehouse = tmp_path / "wh.duckdb"
    build(snapshot_dir=tiny_snapshot_dir, raw_dir=live_env / "raw", warehouse=warehouse)
    year = int(pages[0]["results"][0]["values"][0]["year"])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "SELECT value, attr_id, value_status, attr_label_pl, attr_label_en, source_last_update "
            "FROM core__observations WHERE series_id = 'detection_rate_pct__total' AND area_code = '1261000' "
            "AND year = $y",
            {"y": year},
        ).fetchone()
        last_update = con.execute(
            "SELECT max(source_last_update) FROM core__sources WHERE source_file LIKE 'gus_bdl/%'"
        ).fetchone()[0]
    assert row[0] is None and row[1] == 4 and row[2] == "confidential"
    assert "tajemnicy statystycznej" in row[3] and "confidentiality" in row[4]
    assert row[5] == pages[0]["results"][0]["lastUpdate"] == last_update


def test_body_for_another_unit_fails_the_build_naming_both_units(
    live_env, local_server, timing, tmp_path, tiny_snapshot_dir
):
    pages = copy.deepcopy(PAGES)
    for page in pages:
        page["unitId"] = "011200000000"  # the server answers with Małopolska's data for Kraków's request
    serve_sources(local_server, pages=pages)
    assert fetch(timing, sources=["gus_bdl"])[0].ok
    with pytest.raises(SchemaDriftError) as error:
        build(snapshot_dir=tiny_snapshot_dir, raw_dir=live_env / "raw", warehouse=tmp_path / "wh.duckdb")
    assert "011200000000" in str(error.value) and KRAKOW in str(error.value)


def test_next_links_on_the_public_host_are_followed_on_the_configured_base(live_env, local_server, timing):
    # Bytes bodies are served as they are: links.next keeps the public host, as BDL writes it.
    first = json.dumps(PAGES[0], ensure_ascii=False).encode("utf-8")
    assert b"https://bdl.stat.gov.pl/api/v1/data/by-unit/" in first
    serve_sources(local_server)
    local_server.route_fn(
        f"/bdl/data/by-unit/{KRAKOW}",
        lambda seen: Reply(200, first if int(seen.param("page") or 0) == 0 else json.dumps(PAGES[1]).encode("utf-8")),
    )
    report, _ = fetch(timing, sources=["gus_bdl"])
    assert report.ok, [s.error for s in report.sources]
    assert [seen.param("page") for seen in local_server.requests_to(f"/bdl/data/by-unit/{KRAKOW}")] == [None, "1"]
