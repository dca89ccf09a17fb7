"""How the read queries and the comparisons view scale with the size of the warehouse; results go to
benchmarks/results/scale.json.

Run: `.venv/bin/python benchmarks/bench_scale.py [--factors 1 10 100] [--warehouse PATH]`.

The 10x and 100x warehouses are SYNTHETIC, generated here under a temporary folder and deleted afterwards: every
observation and trend point of the real warehouse is copied k-1 times under new series / indicator ids ending in
`__synthetic_<k>` (values scaled by 1 + k/1000), so the queries the views run return the same rows while the
tables they filter grow k times. Nothing here is ever shown to a user. Each factor is measured with the layout
the build writes (`etl.build.CLUSTER_ORDER`) and, for contrast, with the rows shuffled (no useful order).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.build import CLUSTER_ORDER, build, cluster_tables
from etl.definitions import HOME_AREA, PEER_AREAS
from etl.paths import snapshot_dir

RESULTS = Path(__file__).resolve().parent / "results" / "scale.json"
QUERY_DIR = Path(__file__).resolve().parents[1] / "bezpieczny" / "read" / "sql"
REPEATS = 30


def synthesise(path: Path, factor: int, layout: str) -> None:
    """Grow the warehouse at ``path`` ``factor`` times with synthetic copies, then lay it out."""
    with duckdb.connect(str(path)) as con:
        if factor > 1:
            con.execute(
                "INSERT INTO core__observations SELECT o.* REPLACE (series_id || '__synthetic_' || k AS series_id, "
                "value * (1 + k / 1000) AS value) FROM core__observations AS o, range(1, $f) AS r(k)",
                {"f": factor},
            )
            con.execute(
                "INSERT INTO mart__trend_points SELECT t.* REPLACE "
                "(indicator_id || '__synthetic_' || k AS indicator_id, value * (1 + k / 1000) AS value) "
                "FROM mart__trend_points AS t, range(1, $f) AS r(k)",
                {"f": factor},
            )
        if layout == "clustered":
            cluster_tables(con, set(CLUSTER_ORDER))
        else:
            for name in CLUSTER_ORDER:
                con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name} ORDER BY hash(rowid)")
        con.execute("CHECKPOINT")


def timed(function, repeats: int = REPEATS) -> dict:
    times = []
    for run in range(repeats):
        started = time.perf_counter()
        function(run)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2)}


def query_times(path: Path) -> dict:
    """p50/p95 of the queries the views run (bezpieczny/read/sql), rotating areas and rates, all once per published
    warehouse (the views themselves run no query): the comparisons page's observations and, per rate, its adjusted
    funnels; every area's trend points of the catalogue's indicators (the synthetic copies are other indicators,
    so this read stays the size of the catalogue), and a trends view's slice of them."""
    from bezpieczny.read.snapshots import KeyedTable

    text = {
        name: (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")
        for name in ("comparisons__funnel_fits", "comparisons__observations", "trends__points_all")
    }
    areas = [HOME_AREA, *PEER_AREAS]
    categories = (
        "total",
        "criminal",
        "property",
        "life_health",
        "traffic",
        "economic",
        "freedom_sexual",
        "family",
        "public_safety",
    )
    cube_series = [f"crimes_{kind}__{c}" for kind in ("per_1000", "count") for c in categories] + ["population__total"]
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM core__observations").fetchone()[0]

        def funnel_fits(i):
            con.execute(
                text["comparisons__funnel_fits"],
                {
                    "methods": ["additive", "multiplicative"],
                    "indicator_id": f"crimes_per_1000__{categories[i % len(categories)]}",
                },
            ).df()

        def observations(i):
            con.execute(text["comparisons__observations"], {"series_ids": cube_series}).df()

        def trend_points(i):
            table[:] = [KeyedTable.of(con.execute(text["trends__points_all"]).df(), "area_code")]  # the last is sliced

        def trends(i):
            ids = ("crimes_per_1000__criminal", "crimes_count__criminal")
            table[-1].rows(areas[i % len(areas)], where="indicator_id", isin=ids)

        table: list[KeyedTable] = []
        return {
            "observation_rows": rows,
            "funnel_fits_once_per_rate": timed(funnel_fits, 9),
            "observations_once": timed(observations, 5),
            "trend_points_once": timed(trend_points, 3),
            "trends_slice": timed(trends),
        }


def view_times(path: Path) -> dict:
    """p50/p95 of the whole comparisons view model (state, peers, funnel, map), every call unseen (caches cleared).
    Skipped with the reason when the view module's functions are not the ones this benchmark knows."""
    try:
        from bezpieczny import read
        from bezpieczny.views import comparisons as view

        read.set_warehouse(path)
        categories = [c for c in view.CATEGORIES if view.series_years(f"crimes_per_1000__{c}")]

        def unseen(i):
            for function in vars(view).values():  # the view's own caches; the tables the read snapshot holds
                # (`read.snapshot_table`: observation arrays, funnel fits, funnels) stay loaded
                if callable(getattr(function, "cache_clear", None)) and function.__module__ == view.__name__:
                    function.cache_clear()
            state = view.parse_state(category=categories[i % len(categories)])
            view.peers_view(state, "pl"), view.funnel_view(state, "pl"), view.map_view(state, "pl")

        started = time.perf_counter()
        unseen(0)  # imports, geometry, and what is read once per warehouse
        view.load_tables()  # every category's tables, as a worker's warm-up loads them
        once = round((time.perf_counter() - started) * 1000, 1)
        return {"comparisons_view": timed(unseen, 40), "comparisons_first_view_and_tables_ms": once}
    except (ImportError, AttributeError, TypeError) as error:
        return {"comparisons_view": {"skipped": f"{type(error).__name__}: {error}"}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--warehouse", type=Path, help="a built warehouse to start from (default: build one)")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bezpieczny-scale-") as folder:
        base = Path(folder) / "base.duckdb"
        if args.warehouse:
            shutil.copy(args.warehouse, base)
        else:
            build(snapshot_dir=snapshot_dir(), raw_dir=Path(folder) / "raw", warehouse=base)
        for factor in args.factors:
            for layout in ("clustered", "shuffled"):
                path = Path(folder) / f"synthetic_{factor}x_{layout}.duckdb"
                shutil.copy(base, path)
                started = time.perf_counter()
                synthesise(path, factor, layout)
                entry = {
                    "prepare_s": round(time.perf_counter() - started, 1),
                    "file_mb": round(path.stat().st_size / 1e6, 1),
                    "load_average_1min": os.getloadavg()[0],
                    **query_times(path),
                    **(view_times(path) if layout == "clustered" else {}),
                }
                results[f"{factor}x_{layout}"] = entry
                print(f"{factor}x {layout}: {json.dumps(entry)}", flush=True)
                path.unlink()
    summary = {}
    if "1x_clustered" in results and "100x_clustered" in results:
        one, hundred = results["1x_clustered"], results["100x_clustered"]
        summary = {
            f"{key}_p95_ratio_100x_vs_1x": round(hundred[key]["p95_ms"] / one[key]["p95_ms"], 2)
            for key in (
                "funnel_fits_once_per_rate",
                "observations_once",
                "trend_points_once",
                "trends_slice",
                "comparisons_view",
            )
            if "p95_ms" in one.get(key, {})
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "cpus": os.cpu_count(),
                "note": "synthetic copies of the real rows under new ids (benchmark only); p50/p95 over "
                f"{REPEATS} queries, 15 view calls; the machine's cores are shared, see load_average_1min",
                "summary": summary,
                "results": results,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(summary), "->", RESULTS)


if __name__ == "__main__":
    main()
