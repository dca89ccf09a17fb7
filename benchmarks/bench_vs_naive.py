"""The dashboard against a typical analyst's app (`benchmarks/naive_app.py`), measured in ONE interleaved run;
results go to benchmarks/results/vs_naive.json.

Both run under gunicorn with the same process settings (2 workers x 4 threads, 127.0.0.1): the dashboard through
`bezpieczny serve`, the baseline as `gunicorn benchmarks.naive_app:server`. The clock starts once every worker of
the dashboard has logged the end of its start-up warm-up (a running server, as visitors meet it). For each view
(overview, trends, comparisons) the driver sends the request a browser sends when a page opens (Dash's router
callback for `path?search`, found from each app's `/_dash-dependencies`), and measures:

- c=1, seen: the same view again and again (after one warm-up request), the two apps alternating request by request;
- c=1, unseen: a view neither app was asked for before (another area / indicator / category / year / period;
  overview has few distinct views, so beyond them `&seen=N`, which the pages ignore, defeats the page cache);
- c=8, unseen: 8 clients for `--seconds` per app and view, in turns alternating between the apps: views/s,
  p50/p95;
- response bytes of each view; after the load, the resident memory (RSS) of every gunicorn worker.

Run: `.venv/bin/python benchmarks/bench_vs_naive.py [--repeats 60] [--seconds 10]` after `bezpieczny build`.
Ports: BEZPIECZNY_BENCH_PORTS (default 8400-8449).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bezpieczny.views.comparisons import CATEGORIES  # noqa: E402  (the page's own category order)
from deploy.localstack import BIN, router_payload, stop, wait_http, wait_warmed_up  # noqa: E402
from etl.definitions import ASSESSMENT_PERIODS, PEER_AREAS  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "vs_naive.json"
INDICATORS = (
    "crimes_count__criminal",
    "crimes_per_1000__criminal",
    "crimes_per_1000__property",
    "detection_rate_pct__criminal",
)
SEEN = {
    "overview": ("/", "?period=2024"),
    "trends": ("/trendy", "?ind=crimes_count__criminal&area=1261000"),
    "comparisons": ("/porownania", "?cat=total&year=2023"),
}


def ports() -> tuple[int, int]:
    low = int(os.environ.get("BEZPIECZNY_BENCH_PORTS", "8400-8449").split("-")[0])
    return low, low + 1


def unseen_views(kind: str):
    """An endless supply of distinct views of one page (see the module docstring)."""
    if kind == "trends":
        areas = pd.read_parquet(ROOT / "data" / "snapshot" / "gus_bdl_areas.parquet")["area_code"].tolist()
        for ind, area in itertools.product(INDICATORS, areas):
            yield "/trendy", f"?ind={ind}&area={area}"
    elif kind == "comparisons":
        for n in itertools.count():  # 495 distinct views, then the same with `&seen=N`
            for areas, year, cat in itertools.product(PEER_AREAS, range(2023, 2012, -1), CATEGORIES):
                yield "/porownania", f"?cat={cat}&year={year}&areas={areas}" + (f"&seen={n}" if n else "")
    else:
        for n in itertools.count():
            lang = "en" if (n // len(ASSESSMENT_PERIODS)) % 2 else "pl"
            period = ASSESSMENT_PERIODS[n % len(ASSESSMENT_PERIODS)]
            yield "/", f"?period={period}&lang={lang}" + (f"&seen={n}" if n >= 2 * len(ASSESSMENT_PERIODS) else "")


class App:
    def __init__(self, name: str, command: list[str], port: int, warming_workers: int = 0):
        """Started, and answering; with `warming_workers`, also every worker done with its start-up warm-up (the
        dashboard renders its default views first: measured during that, the views compete with it for the CPU)."""
        self.name, self.url = name, f"http://127.0.0.1:{port}"
        log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-vs-naive-{name}.log"
        since = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_http(self.url + "/", timeout_s=180, process=self.process)
        if warming_workers:
            wait_warmed_up(log_path, warming_workers, since=since, process=self.process)
        dependencies = requests.get(self.url + "/_dash-dependencies", timeout=30).json()
        # The callback that renders the page from the URL: Dash Pages' router (output `_pages_content`) in the
        # dashboard, `page.children` in the baseline; not the navigation bar's callback on the same inputs.
        self.page_callback = [
            dep for dep in dependencies if "_pages_content" in dep["output"] or dep["output"].startswith("page.")
        ]

    def view(self, session: requests.Session, path: str, search: str) -> tuple[float, int, int]:
        payload = router_payload(self.page_callback, path, search)
        started = time.perf_counter()
        response = session.post(self.url + "/_dash-update-component", json=payload, timeout=60)
        return (time.perf_counter() - started) * 1000, len(response.content), response.status_code

    def worker_rss_mb(self) -> list[float]:
        children = subprocess.run(
            ["ps", "--ppid", str(self.process.pid), "-o", "rss="], capture_output=True, text=True
        ).stdout.split()
        return [round(int(kb) / 1024, 1) for kb in children]


def summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
    }


def concurrency_1(apps: list[App], repeats: int) -> dict:
    """Seen and unseen views at c=1, the apps alternating request by request (who goes first alternates too)."""
    results = {}
    sessions = {app.name: requests.Session() for app in apps}
    for kind in SEEN:
        for mode in ("seen", "unseen"):
            views = unseen_views(kind) if mode == "unseen" else itertools.repeat(SEEN[kind])
            if mode == "seen":
                for app in apps:
                    app.view(sessions[app.name], *SEEN[kind])
            times = {app.name: [] for app in apps}
            sizes, errors = {app.name: [] for app in apps}, {app.name: 0 for app in apps}
            for i, (path, search) in zip(range(repeats), views):
                for app in apps if i % 2 == 0 else apps[::-1]:
                    ms, size, status = app.view(sessions[app.name], path, search)
                    times[app.name].append(ms)
                    sizes[app.name].append(size)
                    errors[app.name] += status != 200
            results[f"{kind}_{mode}"] = {
                name: {
                    **summary(times[name]),
                    "bytes_median": int(statistics.median(sizes[name])),
                    "non_200": errors[name],
                }
                for name in times
            }
            print(kind, mode, json.dumps(results[f"{kind}_{mode}"]), flush=True)
    return results


C8_TURNS = 5


def concurrency_8(apps: list[App], seconds: float) -> dict:
    """8 clients on unseen views for ``seconds`` per app and view kind, in C8_TURNS turns that alternate between the
    apps (who goes first alternates too): a slow spell of this shared machine then falls on both apps, not on one
    app's whole measurement. Views/s is all views answered over all the app's turns."""
    results = {}
    for kind in SEEN:
        supply = unseen_views(kind)
        for _ in range(100):  # skip the views the c=1 run asked for
            next(supply)
        done: dict[str, list[tuple[float, int]]] = {app.name: [] for app in apps}
        elapsed = dict.fromkeys(done, 0.0)
        turn_s = seconds / C8_TURNS
        for turn in range(C8_TURNS):
            for app in apps if turn % 2 == 0 else apps[::-1]:
                # Views for 60/s, more than either app answered in any run; an app that runs out ends its turn early
                # (views/s counts the time it took). Trends has 1,600 distinct views: 100 + 2 x 600 fit.
                views = [next(supply) for _ in range(int(turn_s * 60))]
                started = time.perf_counter()
                with ThreadPoolExecutor(8) as pool:
                    list(
                        pool.map(
                            lambda n, app=app, views=views, end=started + turn_s, answered=done[app.name]: _client(
                                app, views[n::8], end, answered
                            ),
                            range(8),
                        )
                    )
                elapsed[app.name] += time.perf_counter() - started
        results[kind] = {
            name: {
                "views_per_s": round(len(answered) / elapsed[name], 2),
                "turns": C8_TURNS,
                **summary([ms for ms, _ in answered]),
                "non_200": sum(s != 200 for _, s in answered),
            }
            for name, answered in done.items()
        }
        print(kind, "c=8", json.dumps(results[kind]), flush=True)
    return results


def _client(app: App, views: list[tuple[str, str]], deadline: float, done: list) -> None:
    session = requests.Session()
    for path, search in views:
        if time.perf_counter() > deadline:
            return
        ms, _size, status = app.view(session, path, search)
        done.append((ms, status))


def ratios(c1: dict, c8: dict) -> dict:
    out = {}
    for key, entry in c1.items():
        out[f"{key}_p95_project_over_naive"] = round(entry["project"]["p95_ms"] / entry["naive"]["p95_ms"], 2)
        out[f"{key}_bytes_project_over_naive"] = round(
            entry["project"]["bytes_median"] / entry["naive"]["bytes_median"], 2
        )
    for kind, entry in c8.items():
        out[f"{kind}_c8_views_per_s_project_over_naive"] = round(
            entry["project"]["views_per_s"] / max(entry["naive"]["views_per_s"], 1e-9), 2
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    project_port, naive_port = ports()
    apps = []
    try:
        apps.append(
            App(
                "project",
                [str(BIN / "bezpieczny"), "serve", "--port", str(project_port), "--workers", "2", "--threads", "4"],
                project_port,
                warming_workers=2,
            )
        )
        apps.append(
            App(
                "naive",
                [
                    str(BIN / "gunicorn"),
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--worker-class",
                    "gthread",
                    "--bind",
                    f"127.0.0.1:{naive_port}",
                    "benchmarks.naive_app:server",
                ],
                naive_port,
            )
        )
        load_before = os.getloadavg()[0]
        c1 = concurrency_1(apps, args.repeats)
        c8 = concurrency_8(apps, args.seconds)
        memory = {app.name: app.worker_rss_mb() for app in apps}
    finally:
        for app in apps:
            stop(app.process, group=True)
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_1min_before": round(load_before, 1),
        "load_average_1min_after": round(os.getloadavg()[0], 1),
        "servers": "gunicorn, 2 workers x 4 threads each, 127.0.0.1 (project: bezpieczny serve)",
        "ratios": ratios(c1, c8),
        "concurrency_1": c1,
        "concurrency_8_unseen": c8,
        "worker_rss_mb_after_load": memory,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result["ratios"], indent=1), json.dumps(memory), "->", RESULTS)


if __name__ == "__main__":
    main()
