"""Overview for any area: time of the page's layout callback (what the Dash Pages router calls for `/?area=…`).

For a sample of areas (Kraków, the peers, Małopolska, Poland and powiats drawn with a fixed seed), both languages:
- first time: the area's first request in a fresh process state (every cache of the page and the view cleared),
- warm: the same request again (p50/p95 over repeats).
Targets (issue 12): p95 warm < 50 ms, first time < 200 ms. Wall time is reported with the load average, and the
first time also as this process's CPU time (a busy shared machine inflates wall time several-fold).
Results: benchmarks/results/overview_areas.json.

Run: `.venv/bin/python benchmarks/bench_overview_areas.py [--areas 20 --repeats 20]` (needs a built warehouse).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "overview_areas.json"
WARM_UP_AREA = "3262000"  # Szczecin, never in the sample


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def sample_areas(count: int) -> list[str]:
    from bezpieczny.views import scorecard
    from etl.definitions import COUNTRY_AREA, HOME_AREA, PEER_AREAS, REGION_AREA

    fixed = [HOME_AREA, *PEER_AREAS, REGION_AREA, COUNTRY_AREA]
    others = sorted(set(scorecard.areas()["area_code"]) - set(fixed) - {WARM_UP_AREA})
    return fixed + random.Random(12).sample(others, max(0, count - len(fixed)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    from dashboard.app import create_app, warm_up

    create_app()  # registers the pages
    from bezpieczny.views import scorecard
    from dashboard.pages import overview

    areas = sample_areas(args.areas)
    warm_up()  # what each worker of `bezpieczny serve` does at start-up (default views, decks, gc.freeze)
    overview.layout(lang="pl", area=WARM_UP_AREA)  # a powiat outside the sample: first use of the sentence code
    first, first_cpu, warm = [], [], []
    for area in areas:
        for lang in ("pl", "en"):
            started, started_cpu = time.perf_counter(), time.process_time()
            overview.layout(area=area, lang=lang, period="2022–2024")
            first.append((time.perf_counter() - started) * 1000)
            first_cpu.append((time.process_time() - started_cpu) * 1000)
            for _ in range(args.repeats):
                started = time.perf_counter()
                overview.layout(area=area, lang=lang, period="2022–2024")
                warm.append((time.perf_counter() - started) * 1000)
    uncached = []
    for area in areas[:5]:  # the view's own work without its caches (the scorecard and the area's queries)
        scorecard.scorecard.cache_clear()
        scorecard.area_card.cache_clear()
        started = time.perf_counter()
        scorecard.scorecard("2023", "pl", area)
        uncached.append((time.perf_counter() - started) * 1000)
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_1m": round(os.getloadavg()[0], 2),
        },
        "what": "overview layout callback in-process (page_layout → scorecard view → components), period 2022–2024",
        "areas": len(areas),
        "languages": 2,
        "repeats": args.repeats,
        "first_time_ms": {
            "p50": round(statistics.median(first), 1),
            "p95": round(percentile(first, 0.95), 1),
            "max": round(max(first), 1),
        },
        "first_time_cpu_ms": {
            "p50": round(statistics.median(first_cpu), 1),
            "p95": round(percentile(first_cpu, 0.95), 1),
            "note": "CPU time of this process: less affected by other processes on a busy machine",
        },
        "warm_ms": {
            "p50": round(statistics.median(warm), 2),
            "p95": round(percentile(warm, 0.95), 2),
            "max": round(max(warm), 2),
        },
        "scorecard_view_uncached_ms": [round(x, 1) for x in uncached],
        "targets_ms": {"warm_p95": 50, "first_time": 200},
    }
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
