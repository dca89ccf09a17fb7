"""`run_fetch` end to end against a local server: landing, sidecars, ETag/sha256 no-ops, failures, secrets."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import logging
from datetime import date

import pytest
from rich.console import Console

from etl.fetch import run_fetch
from etl.loaders.http import SchemaDriftError
from etl.sources.eurostat.transform import cells_from_raw as eurostat_cells
from etl.sources.gus_bdl_api.transform import observations_from_raw as bdl_observations
from etl.sources.gus_bdl_api.variables import scope_units
from tests.faults.landing import FIXTURES, fixture_json
from tests.faults.local_http import Reply, Seen

KRAKOW = "011212161000"
DAY1, DAY2 = date(2026, 11, 1), date(2026, 11, 2)
PAGES = [fixture_json(f"bdl/by-unit_{KRAKOW}_page{n}.json") for n in (0, 1)]
EUROSTAT = (FIXTURES / "eurostat" / "urb_percep_synthetic.json").read_bytes()


def empty_unit(unit_id: str) -> dict:
    """A by-unit answer with no values (shape only) for the units the test does not look at."""
    return {
        "totalRecords": 0,
        "page": 0,
        "pageSize": 100,
        "unitId": unit_id,
        "unitName": unit_id,
        "aggregateId": 1,
        "links": {},
        "results": [],
    }


def serve_sources(server, *, etags: bool = True, pages=PAGES, eurostat: Reply | None = None) -> None:
    def krakow(seen: Seen) -> Reply:
        page = int(seen.param("page") or 0)
        return Reply(200, pages[page], etag=f'"krakow-{page}"' if etags else None)

    server.route_fn(f"/bdl/data/by-unit/{KRAKOW}", krakow)
    for unit_id in scope_units():
        if unit_id != KRAKOW:
            server.route(
                f"/bdl/data/by-unit/{unit_id}", Reply(200, empty_unit(unit_id), etag=f'"{unit_id}"' if etags else None)
            )
    server.route("/eurostat/urb_percep", eurostat or Reply(200, EUROSTAT, etag='"eu-1"' if etags else None))


def fetch(timing, day=DAY1, sources=None):
    out = io.StringIO()
    report = run_fetch(sources, console=Console(file=out, force_terminal=False, width=100), timing=timing, today=day)
    return report, out.getvalue()


def landed_files(data_dir):
    return sorted(p.relative_to(data_dir) for p in (data_dir / "raw").rglob("*") if p.is_file())


def test_first_run_lands_pages_with_sidecars(live_env, local_server, timing):
    serve_sources(local_server)
    report, progress = fetch(timing)
    assert report.ok, [s.error for s in report.sources]
    day = live_env / "raw" / "gus_bdl" / "2026-11-01"
    page1, page2 = day / f"by-unit_{KRAKOW}_p001.json", day / f"by-unit_{KRAKOW}_p002.json"
    assert page1.exists() and page2.exists(), "links.next was followed"
    meta = json.loads((day / f"by-unit_{KRAKOW}_p002.json.meta.json").read_text())
    assert meta["sha256"] == hashlib.sha256(page2.read_bytes()).hexdigest()
    assert meta["bytes"] == page2.stat().st_size
    assert meta["http_status"] == 200 and meta["etag"] == '"krakow-1"'
    assert meta["retrieved_at"].endswith("Z") and meta["retrieved_at"].startswith("20")
    assert "page=1" in meta["url"] and meta["publisher"].startswith("Główny Urząd Statystyczny")
    assert meta["licence"]
    first_request = local_server.requests_to(f"/bdl/data/by-unit/{KRAKOW}")[0]
    assert first_request.param("page-size") == "100" and first_request.param("format") == "json"
    assert ("var-id", "58565") in first_request.query and ("var-id", "1749155") in first_request.query
    assert (live_env / "raw" / "eurostat_urb_percep" / "2026-11-01" / "urb_percep.json").read_bytes() == EUROSTAT
    assert "gus_bdl" in progress and "eurostat_urb_percep" in progress
    assert not list((live_env / "raw").rglob(".staging-*"))
    # The landed files feed the offline transforms.
    detection = bdl_observations(live_env / "raw" / "gus_bdl").query("series_id == 'detection_rate_pct__total'")
    assert detection.set_index("year").loc[2016, "value"] == 58.0  # dane_koncowe.csv, Powiat m. Kraków 2016
    assert eurostat_cells(live_env / "raw" / "eurostat_urb_percep") is not None


def test_second_run_with_etags_transfers_nothing(live_env, local_server, timing):
    serve_sources(local_server)
    fetch(timing, DAY1)
    before = landed_files(live_env)
    local_server.seen.clear()
    local_server.sent.clear()
    report, _ = fetch(timing, DAY2)
    assert report.ok
    assert landed_files(live_env) == before  # no new file, no 2026-11-02 folder
    assert all(not s.landed for s in report.sources)
    assert f"by-unit_{KRAKOW}_p002.json" in report.sources[0].unchanged
    assert all(s.headers.get("If-None-Match") for s in local_server.seen)
    assert local_server.sent and all(status == 304 and size == 0 for _, status, size in local_server.sent)


def test_without_etags_an_identical_body_is_not_written_again(live_env, local_server, timing):
    serve_sources(local_server, etags=False)
    fetch(timing, DAY1)
    before = landed_files(live_env)
    report, _ = fetch(timing, DAY2)
    assert report.ok and landed_files(live_env) == before
    assert len(report.sources[1].unchanged) == 1


def test_a_changed_page_lands_in_the_new_day_only(live_env, local_server, timing):
    serve_sources(local_server)
    fetch(timing, DAY1)
    revised = copy.deepcopy(PAGES)
    revised[1]["results"][0]["values"][0]["val"] = 61.0
    local_server.routes.clear()
    serve_sources(local_server, pages=revised)
    local_server.route_fn(
        f"/bdl/data/by-unit/{KRAKOW}",
        lambda seen: Reply(200, revised[int(seen.param("page") or 0)], etag=f'"krakow-{seen.param("page") or 0}-v2"'),
    )
    report, _ = fetch(timing, DAY2, sources=["gus_bdl"])
    assert [p.name for p in report.sources[0].landed] == [f"by-unit_{KRAKOW}_p002.json"]
    frame = bdl_observations(live_env / "raw" / "gus_bdl")
    assert frame.query("year == 2025 and series_id == 'detection_rate_pct__total'")["value"].tolist() == [61.0]


def test_one_failing_source_does_not_stop_the_other_and_keeps_its_last_good_files(live_env, local_server, timing):
    serve_sources(local_server)
    fetch(timing, DAY1)
    good = (live_env / "raw" / "eurostat_urb_percep" / "2026-11-01" / "urb_percep.json").read_bytes()
    local_server.routes.clear()
    serve_sources(local_server, eurostat=Reply(503, "<html>Service Unavailable</html>", {"Content-Type": "text/html"}))
    revised = copy.deepcopy(PAGES)
    revised[0]["results"][2]["values"][0]["val"] = 18604
    local_server.route_fn(f"/bdl/data/by-unit/{KRAKOW}", lambda seen: Reply(200, revised[int(seen.param("page") or 0)]))
    report, _ = fetch(timing, DAY2)
    assert not report.ok
    assert [s.source_id for s in report.failed] == ["eurostat_urb_percep"]
    assert "eurostat_urb_percep: HTTP 503" in report.failed[0].error
    assert (live_env / "raw" / "gus_bdl" / "2026-11-02" / f"by-unit_{KRAKOW}_p001.json").exists()
    assert not (live_env / "raw" / "eurostat_urb_percep" / "2026-11-02").exists()
    assert (live_env / "raw" / "eurostat_urb_percep" / "2026-11-01" / "urb_percep.json").read_bytes() == good
    assert not list((live_env / "raw").rglob(".staging-*"))


def test_a_source_failing_mid_paging_lands_nothing(live_env, local_server, timing):
    serve_sources(local_server)
    local_server.route_fn(
        f"/bdl/data/by-unit/{KRAKOW}",
        lambda seen: (
            Reply(200, PAGES[0])
            if not seen.param("page")
            else Reply(200, "<html><body>Błąd serwera</body></html>", {"Content-Type": "text/html"})
        ),
    )
    report, _ = fetch(timing, DAY1, sources=["gus_bdl"])
    assert [s.source_id for s in report.failed] == ["gus_bdl"]
    assert "not JSON" in report.failed[0].error and "text/html" in report.failed[0].error
    assert not (live_env / "raw" / "gus_bdl" / "2026-11-01").exists()
    assert bdl_observations(live_env / "raw" / "gus_bdl") is None


def test_truncated_json_fails_the_source_with_the_cause(live_env, local_server, timing):
    serve_sources(local_server, eurostat=Reply(200, EUROSTAT[: len(EUROSTAT) // 2]))
    report, _ = fetch(timing, DAY1, sources=["eurostat_urb_percep"])
    assert "JSON ends early" in report.failed[0].error
    assert not (live_env / "raw" / "eurostat_urb_percep" / "2026-11-01").exists()


def test_429_with_retry_after_then_success(live_env, local_server, timing, clock):
    serve_sources(local_server)
    limited = fixture_json("bdl/429_retry_after_synthetic.json")
    calls = []

    def krakow(seen: Seen) -> Reply:
        calls.append(seen)
        if len(calls) == 1:
            return Reply(429, limited["body"], limited["headers"])
        return Reply(200, PAGES[int(seen.param("page") or 0)])

    local_server.route_fn(f"/bdl/data/by-unit/{KRAKOW}", krakow)
    report, _ = fetch(timing, DAY1, sources=["gus_bdl"])
    assert report.ok
    assert 2.0 in clock.sleeps
    assert len(calls) == 3  # 429, page 1, page 2


def test_anonymous_quota_paces_requests(live_env, local_server, timing, clock):
    serve_sources(local_server)
    report, _ = fetch(timing, DAY1, sources=["gus_bdl"])
    assert report.sources[0].requests == 9  # 8 units, Kraków has two pages
    assert sum(clock.sleeps) >= 0.9  # 9 requests at 5 per second need at least one wait of ~1 s


def test_renamed_field_lands_but_the_transform_names_it(live_env, local_server, timing):
    renamed = copy.deepcopy(PAGES)
    for item in renamed[0]["results"][0]["values"]:
        item["value"] = item.pop("val")
    serve_sources(local_server, pages=renamed)
    assert fetch(timing, DAY1, sources=["gus_bdl"])[0].ok  # fetch never transforms
    with pytest.raises(SchemaDriftError) as error:
        bdl_observations(live_env / "raw" / "gus_bdl")
    assert error.value.field == "val" and error.value.file.endswith("_p001.json")
    assert error.value.source == "gus_bdl"


def test_key_reaches_the_server_but_no_log_and_no_landed_file(live_env, local_server, timing, monkeypatch, caplog):
    from etl.config import settings

    secret = "BDL-KEY-do-not-leak-51c2"
    monkeypatch.setenv("BDL_API_KEY", secret)
    settings.cache_clear()
    serve_sources(local_server)
    local_server.route("/eurostat/urb_percep", Reply(500, "down"))  # an error path must not leak it either
    caplog.set_level(logging.DEBUG)
    report, progress = fetch(timing, DAY1)
    assert [s.source_id for s in report.failed] == ["eurostat_urb_percep"]
    bdl_requests = [s for s in local_server.seen if s.path.startswith("/bdl/")]
    assert bdl_requests and all(s.headers.get("X-ClientId") == secret for s in bdl_requests)
    eurostat_requests = [s for s in local_server.seen if s.path.startswith("/eurostat")]
    assert eurostat_requests and all("X-ClientId" not in s.headers for s in eurostat_requests)
    for record in caplog.records:
        assert secret not in record.getMessage()
    assert secret not in progress
    assert secret not in str([s.error for s in report.sources])
    files = [p for p in (live_env / "raw").rglob("*") if p.is_file()]
    assert files
    for path in files:
        assert secret.encode() not in path.read_bytes(), path
    assert report.sources[0].requests == 9


def test_unknown_source_is_refused(live_env):
    with pytest.raises(ValueError, match="unknown source"):
        run_fetch(["nope"], console=Console(file=io.StringIO()))
