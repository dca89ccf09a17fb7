"""A person's whole action — one change of a control — timed against the naive app (`benchmarks/naive_app.py`) in
ONE interleaved run; results go to benchmarks/results/actions.json.

A control change in the dashboard is not one request: the control's callback writes the URL, and the new URL makes
the page router and the navigation run (Dash sends those two together). `bench_vs_naive.py` times the router alone;
this script times everything the browser sends for the change, the way the browser sends it:

1. **Recording** (headless Chromium, fresh profile, no background networking): for each page the script opens it,
   changes one control as a person does (opens the dropdown, types, picks an option) and records every
   `_dash-update-component` request that follows, in waves: a request sent after an earlier one was answered
   belongs to the next wave (it may depend on that answer).
2. **Replay** over HTTP: an action sends wave 1 with the control (and the page's other controls) set to a view
   neither app was asked for before, then each later wave with the values the earlier answers returned (the new
   URL), the requests of one wave in parallel as the browser sends them. The action's time runs from the first
   request to the last answer. The router's own request is timed beside it.
3. The naive app has no controls: its page renders from the URL, so its whole action is one request of its page
   callback for the same view.

c=1: the apps alternate action by action (who goes first alternates too); c=8: 8 clients in turns alternating
between the apps, as in `bench_vs_naive.py`. Then each worker's resident memory (RSS) and the warm-up time every
dashboard worker logged.

Run: `.venv/bin/python benchmarks/bench_actions.py [--repeats 60] [--seconds 10]` after `bezpieczny build` (needs
Debian chromium and chromium-driver). Ports: BEZPIECZNY_BENCH_PORTS (default 8400-8449).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.bench_vs_naive import INDICATORS, App, summary  # noqa: E402
from bezpieczny.views.comparisons import CATEGORIES  # noqa: E402  (the page's own category order)
from deploy.localstack import BIN, free_ports, stop  # noqa: E402
from etl.definitions import ASSESSMENT_PERIODS, PEER_AREAS  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "actions.json"
UPDATE = "/_dash-update-component"
TARGET_P95_MS = 50
TARGET_C8_RATIO = 3.0


@dataclass(frozen=True)
class ActionSpec:
    """One control change a person makes on a page: open `start`, pick the option labelled `option` of the dropdown
    `control` (typing `search` first when the dropdown is searchable)."""

    page: str
    start: str
    control: str
    option: str
    search: str = ""


SPECS = (
    ActionSpec("overview", "/", "overview-area", "Powiat m. Wrocław", search="Wrocław"),
    ActionSpec(
        "trends", "/trendy?ind=crimes_count__criminal&area=1261000", "trends-area", "Powiat m. Wrocław", "Wrocław"
    ),
    ActionSpec("comparisons", "/porownania?cat=total&year=2023", "comparisons-year", "2020"),
)


# ---- recording -----------------------------------------------------------------------------------------------------


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        f"--user-data-dir={tempfile.mkdtemp(prefix='bench-actions-chromium-')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(options=options)


def record(driver, base: str, spec: ActionSpec) -> list[list[dict]]:
    """The waves of callback requests one change of `spec.control` sends (bodies as the browser sent them)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(base + spec.start)
    try:
        WebDriverWait(driver, 120).until(lambda d: d.find_elements(By.ID, spec.control))
    except Exception:
        shot = Path(tempfile.gettempdir()) / f"bench-actions-{spec.page}.png"
        driver.save_screenshot(str(shot))
        raise RuntimeError(f"{spec.page}: no #{spec.control} on {spec.start} after 120 s (screenshot {shot})") from None
    quiet(driver)
    driver.find_element(By.ID, spec.control).click()
    if spec.search:
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-search"))
        driver.find_element(By.CSS_SELECTOR, ".dash-dropdown-search").send_keys(spec.search)

    def option(d):
        found = [o for o in d.find_elements(By.CSS_SELECTOR, ".dash-dropdown-option") if o.text.strip() == spec.option]
        return found[0] if found else None

    WebDriverWait(driver, 10).until(option).click()
    return waves(quiet(driver))


def quiet(driver, settle_s: float = 1.5, timeout_s: float = 60) -> list[dict]:
    """The browser's network events until no callback request has been pending for `settle_s` seconds."""
    events, pending, last = [], set(), time.monotonic()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and (pending or time.monotonic() - last < settle_s):
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            params = message.get("params", {})
            if message["method"] == "Network.requestWillBeSent" and UPDATE in params["request"]["url"]:
                pending.add(params["requestId"])
                events.append(("sent", params["requestId"], params["request"].get("postData", "")))
                last = time.monotonic()
            elif message["method"] in ("Network.loadingFinished", "Network.loadingFailed") and (
                params.get("requestId") in pending
            ):
                pending.discard(params["requestId"])
                events.append(("done", params["requestId"], ""))
                last = time.monotonic()
        time.sleep(0.05)
    return events


def waves(events: list) -> list[list[dict]]:
    """Requests grouped as the browser sent them: a request sent after any answer arrived starts a new wave."""
    grouped: list[list[dict]] = []
    answered_since_last_send = True
    for kind, _request_id, body in events:
        if kind == "done":
            answered_since_last_send = True
            continue
        if answered_since_last_send:
            grouped.append([])
            answered_since_last_send = False
        grouped[-1].append(json.loads(body))
    return grouped


# ---- replay --------------------------------------------------------------------------------------------------------


def key(item: dict) -> str:
    """`id.property` of an input, state or output (pattern ids as JSON; Dash's `@hash` of duplicate outputs cut)."""
    ident = item["id"] if isinstance(item["id"], str) else json.dumps(item["id"], sort_keys=True)
    return f"{ident}.{item['property'].split('@')[0]}"


def with_values(body: dict, values: dict[str, object]) -> dict:
    """The request `body` with every input and state named in `values` set to it."""

    def set_values(items):
        if isinstance(items, list):
            return [set_values(item) for item in items]
        return {**items, "value": values[key(items)]} if key(items) in values else items

    return {**body, "inputs": set_values(body["inputs"]), "state": set_values(body.get("state", []))}


def answered_values(body: dict, answer: dict) -> dict[str, object]:
    """`id.property` → value of every output a callback answer set."""
    out = {}
    for ident, properties in answer.get("response", {}).items():
        for prop, value in properties.items():
            out[key({"id": json.loads(ident) if ident.startswith("{") else ident, "property": prop})] = value
    return out


def is_router(body: dict) -> bool:
    return "_pages_content.children" in body["output"]


def replay(session: requests.Session, url: str, recorded: list[list[dict]], controls: dict) -> dict:
    """One action: the recorded waves with `controls` set; ms of the whole action and of the router's request."""
    values = dict(controls)
    router_ms, statuses = None, []
    started = time.perf_counter()
    for wave in recorded:
        bodies = [with_values(body, values) for body in wave]

        def send(body, values=values):
            sent = time.perf_counter()
            response = session.post(url + UPDATE, json=body, timeout=60)
            return body, response, (time.perf_counter() - sent) * 1000

        if len(bodies) == 1:
            results = [send(bodies[0])]
        else:
            with ThreadPoolExecutor(len(bodies)) as pool:
                results = list(pool.map(send, bodies))
        progressed = False
        for body, response, ms in results:
            statuses.append(response.status_code)
            if is_router(body):
                router_ms = ms
            if response.status_code == 200:
                values.update(answered_values(body, response.json()))
                progressed = True
        if not progressed:  # every callback answered "no update": the browser sends nothing more
            break
    return {"ms": (time.perf_counter() - started) * 1000, "router_ms": router_ms, "statuses": statuses}


# ---- what to ask for -------------------------------------------------------------------------------------------------


def areas() -> list[str]:
    return pd.read_parquet(ROOT / "data" / "snapshot" / "gus_bdl_areas.parquet")["area_code"].tolist()


def unseen_actions(page: str):
    """An endless supply of (the project's control values, the naive app's path and query) for views neither app
    was asked for before (beyond the distinct views, `&seen=N` defeats the naive app's nothing and ours' page
    cache is keyed by the URL the control writes, so the supply is sized to stay distinct)."""
    if page == "trends":
        for ind, area in itertools.product(INDICATORS, areas()):
            yield {"trends-indicators.value": [ind], "trends-area.value": area}, ("/trendy", f"?ind={ind}&area={area}")
    elif page == "overview":
        for area, period in itertools.product(areas(), ASSESSMENT_PERIODS):
            # The area's callback reads the period from the URL it is given (its state), not from the period control.
            controls = {"overview-area.value": area, "_pages_location.search": f"?period={period}"}
            yield controls, ("/", f"?period={period}&area={area}")
    else:
        for peer, year, cat in itertools.product(PEER_AREAS, range(2023, 2012, -1), CATEGORIES):
            chosen = [peer]
            controls = {
                "comparisons-category.value": cat,
                "comparisons-year.value": year,
                "comparisons-areas.value": chosen,
            }
            yield controls, ("/porownania", f"?cat={cat}&year={year}&areas={','.join(chosen)}")


# ---- measuring -------------------------------------------------------------------------------------------------------


class Runner:
    def __init__(self, project: App, naive: App, recorded: dict[str, list[list[dict]]]):
        self.project, self.naive, self.recorded = project, naive, recorded

    def act(self, app: App, session: requests.Session, page: str, controls: dict, naive_view) -> dict:
        if app is self.project:
            return replay(session, app.url, self.recorded[page], controls)
        ms, _size, status = app.view(session, *naive_view)
        return {"ms": ms, "router_ms": ms, "statuses": [status]}

    def concurrency_1(self, page: str, supply, repeats: int) -> dict:
        apps = [self.project, self.naive]
        sessions = {app.name: requests.Session() for app in apps}
        samples = {app.name: [] for app in apps}
        for i, (controls, naive_view) in zip(range(repeats), supply):
            for app in apps if i % 2 == 0 else apps[::-1]:
                samples[app.name].append(self.act(app, sessions[app.name], page, controls, naive_view))
        return {name: described(done) for name, done in samples.items()}

    def concurrency_8(self, page: str, supply, seconds: float, turns: int = 5) -> dict:
        """8 clients for `seconds` per app in `turns` alternating turns, drawing unseen views from one shared
        supply; a turn ends early (its time counted) if the supply of distinct views runs out."""
        apps = [self.project, self.naive]
        done = {app.name: [] for app in apps}
        elapsed = dict.fromkeys(done, 0.0)
        shared = Shared(supply)
        for turn in range(turns):
            for app in apps if turn % 2 == 0 else apps[::-1]:
                started = time.perf_counter()
                deadline = started + seconds / turns
                with ThreadPoolExecutor(8) as pool:
                    clients = [pool.submit(self.client, app, page, shared, deadline) for _ in range(8)]
                    for client in clients:
                        done[app.name].extend(client.result())
                elapsed[app.name] += time.perf_counter() - started
        return {
            name: {"actions_per_s": round(len(results) / elapsed[name], 2), **described(results)}
            for name, results in done.items()
        } | {"supply_ran_out": shared.exhausted}

    def client(self, app: App, page: str, shared: Shared, deadline: float) -> list[dict]:
        session, results = requests.Session(), []
        while time.perf_counter() < deadline and (action := shared.take()) is not None:
            results.append(self.act(app, session, page, *action))
        return results


class Shared:
    """An iterator several client threads draw from."""

    def __init__(self, supply):
        self.supply, self.lock, self.exhausted = supply, threading.Lock(), False

    def take(self):
        with self.lock:
            action = next(self.supply, None)
            self.exhausted = self.exhausted or action is None
            return action


def described(results: list[dict]) -> dict:
    routers = [r["router_ms"] for r in results if r["router_ms"] is not None]
    return {
        "action": summary([r["ms"] for r in results]),
        "router_alone": summary(routers) if routers else None,
        "requests_per_action": round(statistics.mean(len(r["statuses"]) for r in results), 2),
        "non_200": sum(s != 200 for r in results for s in r["statuses"]),
    }


def warm_up_seconds(log_path: Path, since: int) -> list[float]:
    with open(log_path, "rb") as handle:
        handle.seek(since)
        text = handle.read().decode("utf-8", "replace")
    return [float(s) for s in re.findall(r"worker warmed up in ([0-9.]+) s", text)]


def start_apps(workers: int) -> tuple[App, App, Path, int]:
    project_port, naive_port = free_ports(2)
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-vs-naive-project.log"
    since = log_path.stat().st_size if log_path.exists() else 0
    serve = [str(BIN / "bezpieczny"), "serve", "--port", str(project_port), "--workers", str(workers), "--threads", "4"]
    project = App("project", serve, project_port, warming_workers=workers)
    naive_command = [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", "4", "--worker-class", "gthread"]
    naive = App(
        "naive", [*naive_command, "--bind", f"127.0.0.1:{naive_port}", "benchmarks.naive_app:server"], naive_port
    )
    return project, naive, log_path, since


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    project = naive = None
    try:
        project, naive, log_path, since = start_apps(args.workers)
        driver = browser()
        try:
            recorded = {spec.page: record(driver, project.url, spec) for spec in SPECS}
        finally:
            driver.quit()
        for page, page_waves in recorded.items():
            print(page, "records", [[body["output"][:60] for body in wave] for wave in page_waves], flush=True)
        runner = Runner(project, naive, recorded)
        load_before = os.getloadavg()[0]
        supplies = {spec.page: unseen_actions(spec.page) for spec in SPECS}
        c1 = {page: runner.concurrency_1(page, supply, args.repeats) for page, supply in supplies.items()}
        for page, entry in c1.items():
            print(page, "c=1", json.dumps(entry), flush=True)
        c8 = {page: runner.concurrency_8(page, supply, args.seconds) for page, supply in supplies.items()}
        for page, entry in c8.items():
            print(page, "c=8", json.dumps(entry), flush=True)
        memory = {app.name: app.worker_rss_mb() for app in (project, naive)}
        warm = warm_up_seconds(log_path, since)
    finally:
        for app in (project, naive):
            if app is not None:
                stop(app.process, group=True)
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_1min_before": round(load_before, 1),
        "load_average_1min_after": round(os.getloadavg()[0], 1),
        "servers": f"gunicorn, {args.workers} workers x 4 threads each, 127.0.0.1 (project: bezpieczny serve)",
        "recorded_waves": {page: [[body["output"] for body in wave] for wave in w] for page, w in recorded.items()},
        "targets": {"unseen_action_p95_ms_c1": TARGET_P95_MS, "c8_actions_per_s_over_naive": TARGET_C8_RATIO},
        "verdicts": {
            page: {
                "p95_ms_c1": c1[page]["project"]["action"]["p95_ms"],
                "p95_met": c1[page]["project"]["action"]["p95_ms"] <= TARGET_P95_MS,
                "c8_ratio": round(
                    c8[page]["project"]["actions_per_s"] / max(c8[page]["naive"]["actions_per_s"], 1e-9), 2
                ),
            }
            for page in c1
        },
        "concurrency_1_unseen": c1,
        "concurrency_8_unseen": c8,
        "worker_rss_mb_after_load": memory,
        "worker_warm_up_s": warm,
    }
    for verdict in result["verdicts"].values():
        verdict["c8_met"] = verdict["c8_ratio"] >= TARGET_C8_RATIO
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result["verdicts"], indent=1), json.dumps(memory), warm, "->", RESULTS)


if __name__ == "__main__":
    main()
