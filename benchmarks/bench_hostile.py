"""Issue #28's other acceptance checks, measured (slow clients: bench_slow_clients.py); results to
benchmarks/results/hostile.json. Everything runs on 127.0.0.1 or in this process, bounded in time.

- junk query parameters: 200 overview requests with random unknown parameters against `bezpieczny serve`, p95 next
  to the cached overview's p95 (target: within 2×);
- log flood: 10 callback requests carrying 1 MB values that make the callback fail; log growth (target < 100 kB),
  and whether any client value started a line of its own;
- exports: 100 export requests from one address and 100 from 10 addresses through the pooled manager; peak job
  processes and their memory (target: at most the configured processes; every refused request got the message);
- publish: random bytes, a DuckDB file of another schema and a warehouse failing a check (target: each refused,
  exit 1, one line, the served file's sha256 unchanged);
- api.sql: a statement that would run for minutes, with a 5 s limit, while another thread's call completes.

Run: `.venv/bin/python benchmarks/bench_hostile.py`
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.localstack import BIN, Instance, free_ports, router_payload, wait_warmed_up  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "hostile.json"
WAREHOUSE = ROOT / "data" / "warehouse" / "bezpieczny.duckdb"


def p95(values: list[float]) -> float:
    return round(statistics.quantiles(values, n=20)[-1], 4)


def junk_parameters(base: str) -> dict:
    deps = requests.get(base + "/_dash-dependencies", timeout=30).json()
    update = base + "/_dash-update-component"
    page = [dep for dep in deps if "_pages_content" in dep["output"]]

    def timed(search: str) -> float:
        started = time.perf_counter()
        response = requests.post(update, json=router_payload(page, "/", search), timeout=30)
        response.raise_for_status()
        return time.perf_counter() - started

    for _ in range(4):
        timed("")  # each worker renders its cache entry first
    cached = [timed("") for _ in range(100)]
    junk = [timed(f"?zz{secrets.token_hex(3)}={secrets.token_hex(8)}") for _ in range(200)]
    return {
        "cached_p95_s": p95(cached),
        "junk_p95_s": p95(junk),
        "ratio": round(p95(junk) / p95(cached), 2),
        "within_2x": p95(junk) <= 2 * p95(cached),
    }


def log_flood() -> dict:
    """Ten failing callbacks with 1 MB values, through the app (Flask test client), logged by dashboard.logs."""
    from bezpieczny import read
    from dashboard import logs, shell
    from dashboard.app import create_app

    read.set_warehouse(WAREHOUSE)
    app = create_app()
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    original = shell.navigation  # called by the navigation callback (`dashboard.app.frame`) on every request

    def fails_with_the_value(*args, **kwargs):  # a callback bug that puts the client's value into its message
        import flask

        raise ValueError(f"bad value {flask.request.get_json()['inputs'][0]['value']}")

    shell.navigation = fails_with_the_value
    stream = io.StringIO()
    handler = logs.configure(stream)
    try:
        dep = next(d for d in deps if "nav-container" in d["output"])
        for _ in range(10):
            payload = router_payload([dep], "/", "?x=" + ("\n127.0.0.1 - - forged\n" + "y" * 1_000_000))
            client.post("/_dash-update-component", json=payload)
    finally:
        shell.navigation = original
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    lines = text.splitlines()
    return {
        "requests": 10,
        "log_bytes": len(text.encode()),
        "lines": len(lines),
        "every_line_json": all(line.startswith("{") and json.loads(line) for line in lines),
        "under_100_kB": len(text.encode()) < 100_000,
    }


def exports() -> dict:
    import diskcache
    import flask
    import psutil

    from dashboard.background import PooledDiskcacheManager, refuse_with

    def job(n_clicks, search):
        time.sleep(1.0)
        return "file"

    def busy(n_clicks, search):
        return "busy"

    refuse_with(job, busy)
    results = {}
    for label, addresses in (("one address", 1), ("ten addresses", 10)):
        with tempfile.TemporaryDirectory() as folder:
            manager = PooledDiskcacheManager(diskcache.Cache(folder), processes=1, queue=8, per_client=2)
            manager.func_registry["job"] = manager.make_job_fn(job, progress=False)
            app = flask.Flask("exports")
            keys = []
            for number in range(100):
                with app.test_request_context(environ_base={"REMOTE_ADDR": f"127.0.0.{2 + number % addresses}"}):
                    keys.append(f"k{number}")
                    manager.call_job_fn(keys[-1], manager.func_registry["job"], [1, ""], {"args": {}})
            peak_processes, peak_rss = 0, 0
            deadline = time.monotonic() + 60
            while manager._live_jobs() and time.monotonic() < deadline:
                pool = [psutil.Process(pid) for pid in manager.job_processes()]
                peak_processes = max(peak_processes, len(pool))
                with contextlib.suppress(psutil.NoSuchProcess):
                    peak_rss = max(peak_rss, sum(p.memory_full_info().uss for p in pool))
                time.sleep(0.1)
            answers = [manager.handle.get(key) for key in keys]
            results[label] = {
                "requests": 100,
                "configured_processes": 1,
                "queue": 8,
                "per_client": 2,
                "peak_job_processes": peak_processes,
                "peak_job_memory_uss_mb": round(peak_rss / 2**20, 1),
                "done": answers.count("file"),
                "refused_with_message": answers.count("busy"),
                "unanswered": sum(a not in ("file", "busy") for a in answers),
            }
            for pid in manager.job_processes():
                psutil.Process(pid).kill()
    return results


def publish_refusals(folder: Path) -> dict:
    import duckdb

    served = folder / "served"
    served.mkdir()
    shutil.copyfile(WAREHOUSE, served / "bezpieczny.duckdb")
    before = hashlib.sha256((served / "bezpieczny.duckdb").read_bytes()).hexdigest()
    cases = {}
    (folder / "random.duckdb").write_bytes(os.urandom(1000))
    with duckdb.connect(str(folder / "other.duckdb")) as con:
        con.execute("CREATE TABLE something_else AS SELECT 1 AS x")
    shutil.copyfile(WAREHOUSE, folder / "failing.duckdb")
    with duckdb.connect(str(folder / "failing.duckdb")) as con:
        con.execute(
            "UPDATE core__observations SET value = -5 WHERE rowid = "
            "(SELECT min(rowid) FROM core__observations WHERE unit = 'count' AND value > 0)"
        )
    for name in ("random", "other", "failing"):
        done = subprocess.run(
            [str(BIN / "bezpieczny"), "publish", "--warehouse", str(folder / f"{name}.duckdb"), str(served)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        output = (done.stdout + done.stderr).strip().splitlines()
        cases[name] = {"exit_code": done.returncode, "lines": len(output), "message": output[0] if output else ""}
    after = hashlib.sha256((served / "bezpieczny.duckdb").read_bytes()).hexdigest()
    return {"cases": cases, "served_sha256_unchanged": before == after}


def api_sql_timeout() -> dict:
    from bezpieczny import api
    from bezpieczny.read.locked import LockedSql, QueryLimitError

    api.open_warehouse(WAREHOUSE)
    from bezpieczny import read

    locked = LockedSql(read.warehouse(), timeout_s=5, memory_mb=512)
    outcome: dict = {}

    def runaway():
        started = time.monotonic()
        try:
            locked.run("SELECT sum(a.range * b.range) FROM range(300000) a, range(300000) b")
        except QueryLimitError as err:
            outcome["error"] = str(err)
        outcome["runaway_s"] = round(time.monotonic() - started, 2)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    rows = len(locked.run("SELECT * FROM core__indicators"))
    outcome["second_call_s"] = round(time.monotonic() - started, 3)
    outcome["second_call_rows"] = rows
    thread.join(60)
    locked.close()
    return {"limit_s": 5, **outcome}


def main() -> None:
    result: dict = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
    with tempfile.TemporaryDirectory(prefix="bezpieczny-hostile-") as tmp:
        folder = Path(tmp)
        result["publish"] = publish_refusals(folder)
        print(json.dumps(result["publish"]), flush=True)
        result["api_sql"] = api_sql_timeout()
        print(json.dumps(result["api_sql"]), flush=True)
        result["exports"] = exports()
        print(json.dumps(result["exports"]), flush=True)
        result["log_flood"] = log_flood()
        print(json.dumps(result["log_flood"]), flush=True)
        serve_dir = folder / "serve"
        serve_dir.mkdir()
        shutil.copyfile(WAREHOUSE, serve_dir / "bezpieczny.duckdb")
        instance = Instance(free_ports(1)[0], serve_dir, workers=2).start()
        try:
            wait_warmed_up(instance.log_path, 2, timeout_s=180, process=instance.process)
            result["junk_parameters"] = junk_parameters(instance.url)
        finally:
            instance.stop()
        print(json.dumps(result["junk_parameters"]), flush=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
