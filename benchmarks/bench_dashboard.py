"""Dashboard speed, measured the way a user meets it; results go to benchmarks/results/dashboard.json.

1. Callback server time: the production server (`bezpieczny serve`: gunicorn, debug off) on this machine, requests
   one at a time (concurrency 1), timed at the client on loopback, for the router callback of every page in both
   languages and for representative page callbacks. Reported: p50/p95/max per callback after a warm-up request,
   plus the cold (first) request separately. Target: p95 <= 50 ms.
   Views reached by changing a control are also requested once each ("first view": the uncached cost).
2. The overview and comparisons pages in headless Chromium from a cold browser (new profile each run): time from
   navigation start to the page rendered (`RENDERED`: the scorecard's values and sparklines; every chart drawn),
   read from the page's own clock. Targets (issue 14): overview <= 1.5 s, comparisons <= 2 s.

Run: `.venv/bin/python benchmarks/bench_dashboard.py [--repeats 40]` (needs a built warehouse and Debian chromium).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.localstack import free_ports, router_payload, wait_http, wait_warmed_up  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
PAGES = ["/", "/trendy", "/obiektywne-subiektywne", "/porownania", "/rada", "/dane-i-metody"]
Payload = Callable[[str, str], dict]  # (path, search) -> the router callback's request body (Dash Pages' router)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_callback(session: requests.Session, url: str, payload: dict, repeats: int) -> dict:
    def once() -> float:
        started = time.perf_counter()
        response = session.post(url, json=payload, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return elapsed

    cold = once()
    samples = [once() for _ in range(repeats)]
    return {
        "cold_ms": round(cold, 1),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
        "n": len(samples),
    }


def start_server(port: int) -> subprocess.Popen:
    """`bezpieczny serve` on `port`, returned once both workers have finished their start-up warm-up (measured
    during it, every request competes with it for the CPU)."""
    log_path = Path(tempfile.gettempdir()) / f"bench-dashboard-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "bezpieczny"), "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_http(f"http://127.0.0.1:{port}/", timeout_s=60, process=process)
        wait_warmed_up(log_path, workers=2, process=process)
    except (RuntimeError, TimeoutError):
        process.terminate()
        raise
    return process


def bench_callbacks(base: str, repeats: int, payload: Payload) -> dict:
    session = requests.Session()
    session.get(base + "/_dash-layout")
    results = {}
    for path in PAGES:
        for lang in ("pl", "en"):
            name = f"router {path} ?lang={lang}"
            results[name] = time_callback(
                session, base + "/_dash-update-component", payload(path, f"?lang={lang}"), repeats
            )
            print(f"{name:45s} {results[name]}")
    return results


# Views a user reaches by changing a control: each is requested once, so each pays the uncached cost
# (layouts are cached per worker after their first rendering).
FIRST_VIEWS = {
    "/": [f"?period={p}&lang={lang}" for p in ("2024", "2023", "2022", "latest") for lang in ("pl", "en")],
    "/trendy": [
        f"?ind={i}&lang=pl"
        for i in (
            "crimes_count__property",
            "crimes_count__traffic",
            "detection_rate_pct__total",
            "crimes_per_1000__total",
            "survey_krakow_safe_city_pct",
            "crimes_count__life_health",
        )
    ],
    "/porownania": [f"?cat={c}&year={y}" for c in ("criminal", "property", "traffic") for y in (2023, 2022)],
    "/rada": [f"?period={p}&slide=2" for p in ("2024", "2023", "2022", "latest")],
}


def bench_first_views(base: str, payload: Payload) -> dict:
    session = requests.Session()
    results = {}
    for path, searches in FIRST_VIEWS.items():
        samples = []
        for search in searches:
            started = time.perf_counter()
            session.post(base + "/_dash-update-component", json=payload(path, search), timeout=60).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
        results[f"first view {path}"] = {
            "p50_ms": round(statistics.median(samples), 1),
            "max_ms": round(max(samples), 1),
            "n": len(samples),
        }
        print(f"first view {path:30s} {results[f'first view {path}']}")
    return results


# When a page counts as rendered, checked in the page on every animation frame from the first script on (so the time
# is the page's own clock from navigation start, not the driver's polling interval).
RENDERED = {
    # the overview: Kraków's first tile shows its value and more than ten sparkline images have loaded
    "overview": (
        "/?period=2024",
        """(() => {
        const value = document.querySelector('#tile-crimes_count__criminal .tile-value');
        const images = Array.from(document.querySelectorAll('img.sparkline'))
            .filter(i => i.complete && i.naturalWidth > 0).length;
        return !!value && value.textContent.includes('621') && images > 10;
    })()""",
    ),
    # the comparisons page: every chart on it (peer lines, bars, funnel, rate map, verdict map) drawn by plotly
    "comparisons": (
        "/porownania?cat=criminal&year=2023",
        """(() => {
        const graphs = document.querySelectorAll('.dash-graph');
        const drawn = Array.from(document.querySelectorAll('.js-plotly-plot'))
            .filter(g => g._fullLayout && g.querySelector('.main-svg')).length;
        return graphs.length >= 5 && drawn === graphs.length;
    })()""",
    ),
}
WATCH = """(() => { const check = () => { try { if (%s) { window.__renderedAt = performance.now(); return; } }
                     catch (error) {} requestAnimationFrame(check); }; requestAnimationFrame(check); })();"""


def bench_browser(base: str, runs: int) -> dict:
    """Each page of RENDERED in a new headless Chromium with a fresh profile (nothing cached), ``runs`` times."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.support.ui import WebDriverWait

    results = {}
    for page, (path, condition) in RENDERED.items():
        samples = []
        for _ in range(runs):
            options = Options()
            options.binary_location = "/usr/bin/chromium"
            for flag in (
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1280,800",
                f"--user-data-dir={tempfile.mkdtemp(prefix='bench-chromium-')}",
            ):
                options.add_argument(flag)
            driver = webdriver.Chrome(options=options)
            try:
                driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH % condition})
                driver.get(base + path)
                samples.append(
                    WebDriverWait(driver, 60, poll_frequency=0.05).until(
                        lambda d: d.execute_script("return window.__renderedAt")
                    )
                )
            finally:
                driver.quit()
        results[page] = {
            "rendered_ms": [round(s) for s in samples],
            "median_ms": round(statistics.median(samples)),
            "max_ms": round(max(samples)),
        }
        print(f"{page} in a cold browser: {results[page]}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--browser-runs", type=int, default=5)
    parser.add_argument("--browser-only", action="store_true", help="only the cold-browser renders")
    args = parser.parse_args()
    port = free_ports(1)[0]
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        # The router's request, as the browser sends it, from the app's own callback list.
        payload = partial(router_payload, requests.get(base + "/_dash-dependencies", timeout=30).json())
        if args.browser_only:
            for path in ("/", "/porownania"):  # the workers' first renders, as the callback runs above do
                for _ in range(3):
                    requests.post(base + "/_dash-update-component", json=payload(path, ""), timeout=60)
            print(json.dumps(bench_browser(base, args.browser_runs)))
            return
        callbacks = bench_callbacks(base, args.repeats, payload)
        first_views = bench_first_views(base, payload)
        browser = bench_browser(base, args.browser_runs)
    finally:
        server.terminate()
        server.wait(10)
    worst_p95 = max(r["p95_ms"] for r in callbacks.values())
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "server": "bezpieczny serve (gunicorn, 2 workers), requests one at a time on 127.0.0.1",
        "callbacks": callbacks,
        "worst_callback_p95_ms": worst_p95,
        "callback_target_p95_ms": 50,
        "first_views_uncached": first_views,
        "cold_browser": browser,
        "cold_browser_target_ms": {"overview": 1500, "comparisons": 2000},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"worst callback p95 {worst_p95} ms (target 50); in a cold browser: overview median "
        f"{browser['overview']['median_ms']} ms (target 1500), comparisons median "
        f"{browser['comparisons']['median_ms']} ms (target 2000) -> {RESULTS}"
    )


if __name__ == "__main__":
    main()
