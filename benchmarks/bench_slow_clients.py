"""Slow clients against `bezpieczny serve` alone (issue #28, acceptance 1): 50 clients sending chunked bodies one byte
every 2 s, 50 clients pipelining 20 requests for the 1.4 MB plotly bundle without reading, 2,000 idle connections;
a normal page (GET /) is probed every 2 s and must answer in under 1 s in every round; the stalled connections must
be closed by the server. Candidates are measured the same way (`--candidates`), results to
benchmarks/results/slow_clients.json.

Run: `.venv/bin/python benchmarks/bench_slow_clients.py [--rounds 15] [--candidates serve waitress uvicorn]`
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.slow_clients import Attack, probe, probe_rounds, summary  # noqa: E402
from deploy.localstack import BIN, free_ports, publish, stop, wait_http, wait_warmed_up  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "slow_clients.json"
# What each candidate runs: `serve` is the command as shipped; the others serve the same app with another server or
# worker class, for comparison: 2 processes × 4 threads, or one process × 8 threads for waitress (it has no process
# model). uvicorn is not a dependency of the project: `pip install uvicorn` before measuring it.
GUNICORN = [
    "--workers", "2", "--threads", "4", "--no-control-socket", "--config", str(ROOT / "deploy" / "gunicorn_conf.py"),
]  # fmt: skip
CANDIDATES = {
    "serve": None,
    "gthread": ["-k", "gthread"],
    "buffering-gthread": [],  # the worker class deploy/gunicorn_conf.py names
    "gevent": ["-k", "gevent", "--worker-connections", "4000", "--keep-alive", "5"],
    "waitress": None,
    "uvicorn": None,
}
WORKERS = {"waitress": 1}


def command(candidate: str, port: int) -> list[str]:
    if candidate == "serve":
        return [str(BIN / "bezpieczny"), "serve", "--port", str(port)]
    if candidate == "waitress":  # buffers whole requests and responses; closes a channel idle for --channel-timeout
        return [
            str(BIN / "python"), "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=8",
            "--connection-limit=4096", "--channel-timeout=15", "benchmarks.warm_wsgi:server",
        ]  # fmt: skip
    if candidate == "uvicorn":  # h11 event loop; the WSGI app runs in a thread pool, the body read whole first
        return [
            str(BIN / "uvicorn"), "--interface", "wsgi", "--http", "h11", "--workers", "2", "--host", "127.0.0.1",
            "--port", str(port), "--timeout-keep-alive", "5", "benchmarks.warm_wsgi:server",
        ]  # fmt: skip
    return [
        str(BIN / "gunicorn"),
        "--bind",
        f"127.0.0.1:{port}",
        *GUNICORN,
        *CANDIDATES[candidate],
        "dashboard.wsgi:server",
    ]


def start(candidate: str, port: int, folder: Path) -> subprocess.Popen:
    env = {**os.environ, "BEZPIECZNY_WAREHOUSE": str(folder / "bezpieczny.duckdb")}
    log = open(folder / f"{candidate}.log", "ab")  # noqa: SIM115 - the server writes to it until stopped
    process = subprocess.Popen(
        command(candidate, port), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )
    try:
        wait_warmed_up(folder / f"{candidate}.log", workers=WORKERS.get(candidate, 2), process=process)
        wait_http(f"http://127.0.0.1:{port}/", process=process)
    except TimeoutError:
        stop(process, group=True)
        raise
    return process


def measure(candidate: str, folder: Path, rounds: int, chunked: int, pipelining: int, idle: int) -> dict:
    port = free_ports(1)[0]
    try:
        process = start(candidate, port, folder)
    except TimeoutError as err:  # e.g. gevent: the warm-up holds the worker's only event loop
        return {"candidate": candidate, "failed_to_serve": str(err)}
    try:
        before = probe(port)
        attack = Attack(port, chunked=chunked, pipelining=pipelining, idle=idle).start()
        try:
            seconds = probe_rounds(port, rounds)
            closed = attack.closed()
        finally:
            attack.stop()
        return {
            "candidate": candidate,
            "probe_before_attack_s": before,
            "probe": summary(seconds),
            "probe_seconds": seconds,
            "attackers": {"chunked": chunked, "pipelining": pipelining, "idle": idle},
            "refused_at_connect": attack.refused,
            "closed_by_server_after_probing": closed,
        }
    finally:
        stop(process, group=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "bezpieczny.duckdb")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--candidates", nargs="+", default=["serve"], choices=sorted(CANDIDATES))
    parser.add_argument("--chunked", type=int, default=50)
    parser.add_argument("--pipelining", type=int, default=50)
    parser.add_argument("--idle", type=int, default=2000)
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory(prefix="bezpieczny-slow-") as tmp:
        folder = Path(tmp)
        publish(args.warehouse, [folder])
        for candidate in args.candidates:
            started = time.monotonic()
            runs.append(measure(candidate, folder, args.rounds, args.chunked, args.pipelining, args.idle))
            runs[-1]["seconds"] = round(time.monotonic() - started, 1)
            print(json.dumps({k: v for k, v in runs[-1].items() if k != "probe_seconds"}), flush=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    runs_by_name = {run["candidate"]: run for run in previous.get("runs", [])}
    runs_by_name.update(
        {run["candidate"]: {**run, "measured_at": datetime.now(UTC).isoformat(timespec="seconds")} for run in runs}
    )
    RESULTS.write_text(json.dumps({"runs": list(runs_by_name.values())}, indent=2) + "\n")


if __name__ == "__main__":
    main()
