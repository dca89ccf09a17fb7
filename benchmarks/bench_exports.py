"""Page callbacks while committee-deck exports run in the background; results go to benchmarks/results/exports.json.

`bezpieczny serve` (production settings: gunicorn, 2 workers x 4 threads, the embedded DiskcacheManager background
manager, `BEZPIECZNY_EXPORT_SLOTS` at its default) serves a copy of the warehouse on 127.0.0.1. Two page clients
send the overview, trends and comparisons views (Dash Pages' router callback, as bench_load.py does): one repeats
views seen before (cached), one asks for views not seen before (`&seen=N`), so at most 2 page requests run at once.
Phases, one after another in one run:
1. `--baseline` seconds of page requests without exports;
2. `--exports` (8) simultaneous PDF exports of the committee deck (/rada, Kraków, latest period), each by its own
   "visitor" who loaded /rada first, driven through Dash's background-callback protocol as the browser drives it:
   the first POST to /_dash-update-component returns signed `cacheKey` and `job` handles, then the client polls
   with `endId`, `cacheKey` and `job` in the query string every 500 ms (the callback's `interval`) until the
   response holds the file. Every progress value a poll returns is recorded.
3. the same with PPTX.
Page-callback p50/p95 are reported per phase and client, with export durations, the sequence of progress values
and whether every visitor got their own file. Targets: page callbacks p95 <= 100 ms (issue 14) / <= 500 ms
(issue 13) while 8 exports run; the progress bar advances.

Run: `.venv/bin/python benchmarks/bench_exports.py [--exports 8] [--baseline 40]` after `bezpieczny build`
(ports from BEZPIECZNY_LOCAL_PORTS, default 8250-8299).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
from bench_load import PageLoad  # noqa: E402

from deploy.localstack import Instance, free_ports, publish  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "exports.json"
DECK_PATH = "/rada"
POLL_INTERVAL_S = 0.5  # the export callback's `interval`
EXPORT_TIMEOUT_S = 900
MAGIC = {"pdf": b"%PDF", "pptx": b"PK"}
_CONFIG = re.compile(r'<script id="_dash-config" type="application/json">(.*?)</script>', re.DOTALL)


def export_payload(dependencies: list[dict], fmt: str, search: str = "") -> dict:
    """The request the browser sends when the PDF or PPTX button is pressed (found from `/_dash-dependencies`)."""
    dep = next(d for d in dependencies if "committee-download.data" in d["output"])
    clicks = {"committee-export-pdf": int(fmt == "pdf"), "committee-export-pptx": int(fmt == "pptx")}
    inputs = [{**i, "value": clicks.get(i["id"])} for i in dep["inputs"]]
    state = [{**s, "value": search} for s in dep["state"]]
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1].split("@")[0]}
        for part in dep["output"].strip(".").split("...")
    ]
    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"committee-export-{fmt}.n_clicks"],
    }


def poll_payload(payload: dict) -> dict:
    """The renderer's poll body: the same callback with its input and state values cleared."""
    return {
        **payload,
        "inputs": [{**i, "value": None} for i in payload["inputs"]],
        "state": [{**s, "value": None} for s in payload["state"]],
    }


class ExportVisitor:
    """One visitor: loads /rada, presses the export button, polls until the file arrives."""

    def __init__(self, url: str, fmt: str, dependencies: list[dict]):
        self.url, self.fmt = url, fmt
        self.payload = export_payload(dependencies, fmt)
        self.session = requests.Session()
        page = self.session.get(url + DECK_PATH, timeout=60).text
        self.end_id = json.loads(_CONFIG.search(page).group(1))["end_id"]
        self.result: dict = {"format": fmt}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _post(self, body: dict, **handles: str) -> dict:
        response = self.session.post(
            self.url + "/_dash-update-component", params={"endId": self.end_id, **handles}, json=body, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def _run(self) -> None:
        started = time.perf_counter()
        progress, polls = [], 0
        try:
            job = self._post(self.payload)
            handles = {"cacheKey": job["cacheKey"], "job": job["job"]}
            body = poll_payload(self.payload)
            while time.perf_counter() - started < EXPORT_TIMEOUT_S:
                time.sleep(POLL_INTERVAL_S)
                data, polls = self._post(body, **handles), polls + 1
                if "progress" in data:
                    value = list(data["progress"].values())
                    progress.append(
                        {
                            "s": round(time.perf_counter() - started, 1),
                            "value": value[0],
                            "max": value[1],
                            "text": value[2],
                        }
                    )
                if "response" in data:
                    self.result.update(self._file(data["response"]))
                    break
        except (requests.RequestException, KeyError, ValueError) as err:
            self.result["error"] = f"{type(err).__name__}: {err}"
        self.result.update(seconds=round(time.perf_counter() - started, 1), polls=polls, progress=progress)

    def _file(self, response: dict) -> dict:
        data = (response.get("committee-download") or {}).get("data")
        if not isinstance(data, dict):
            return {"file": None, "status_text": response.get("committee-export-status")}
        content = base64.b64decode(data["content"])
        return {"file": data["filename"], "bytes": len(content), "valid": content.startswith(MAGIC[self.fmt])}


def progress_summary(progress: list[dict]) -> dict:
    """Did the bar advance: distinct 'done' values of the export's own steps (max > 1) in the order polled."""
    steps = [int(p["value"]) for p in progress if int(p["max"]) > 1]
    return {
        "queued_polls": sum(1 for p in progress if int(p["max"]) <= 1 and int(p["value"]) == 0),
        "step_values": steps,
        "advanced": len(set(steps)) >= 2 and steps == sorted(steps),
    }


def page_clients(url: str) -> dict[str, PageLoad]:
    return {
        "seen_c1": PageLoad(url, concurrency=1, unseen=False),
        "unseen_c1": PageLoad(url, concurrency=1, unseen=True),
    }


def server_niceness(server_pid: int) -> dict[str, list[int]]:
    """Niceness of the server's processes by kind: web workers, export jobs (Python), their headless browsers."""
    found: dict[str, set[int]] = {}
    for process in psutil.Process(server_pid).children(recursive=True):
        try:
            name, nice, parent = process.name().lower(), process.nice(), process.parent()
            kind = (
                "browser"
                if "chrom" in name or "headless" in name
                else "web_worker"
                if parent is not None and parent.pid == server_pid
                else "export_job"
            )
        except psutil.Error:
            continue
        found.setdefault(kind, set()).add(nice)
    return {kind: sorted(values) for kind, values in sorted(found.items())}


def export_phase(url: str, fmt: str, count: int, dependencies: list[dict], server_pid: int) -> dict:
    visitors = [ExportVisitor(url, fmt, dependencies) for _ in range(count)]
    clients = page_clients(url)
    busy = sample_cpu_start()
    started = time.perf_counter()
    with clients["seen_c1"], clients["unseen_c1"]:
        for visitor in visitors:
            visitor.thread.start()
        time.sleep(8)  # the first export has started its browser
        niceness = server_niceness(server_pid)
        for visitor in visitors:
            visitor.thread.join(EXPORT_TIMEOUT_S + 60)
    exports = [visitor.result for visitor in visitors]
    for export in exports:
        export["progress_summary"] = progress_summary(export["progress"])
    durations = sorted(export["seconds"] for export in exports)
    return {
        "format": fmt,
        "exports": count,
        "wall_s": round(time.perf_counter() - started, 1),
        "all_files_ok": all(export.get("valid") for export in exports),
        "distinct_files_delivered": sum(1 for export in exports if export.get("file")),
        "progress_advanced_in": sum(export["progress_summary"]["advanced"] for export in exports),
        "export_seconds": {"min": durations[0], "median": durations[len(durations) // 2], "max": durations[-1]},
        "cpu_percent_machine": sample_cpu_end(busy),
        "niceness_during_export": niceness,
        "pages": {name: client.summary() for name, client in clients.items()},
        "visitors": exports,
    }


def baseline_phase(url: str, seconds: float) -> dict:
    clients = page_clients(url)
    busy = sample_cpu_start()
    with clients["seen_c1"], clients["unseen_c1"]:
        time.sleep(seconds)
    return {
        "seconds": seconds,
        "cpu_percent_machine": sample_cpu_end(busy),
        "pages": {name: client.summary() for name, client in clients.items()},
    }


def sample_cpu_start():
    return psutil.cpu_times()


def sample_cpu_end(before) -> float:
    """Busy share of both cores since `before` (everything on the machine, other sessions included)."""
    after = psutil.cpu_times()
    idle = (after.idle + after.iowait) - (before.idle + before.iowait)
    total = sum(after) - sum(before)
    return round(100 * (1 - idle / total), 1) if total else 0.0


def warm_up(url: str) -> None:
    """Each worker's first view and deck are built before the clock starts (what a running server has done)."""
    with PageLoad(url, concurrency=2, unseen=False):
        time.sleep(10)
    for _ in range(4):
        requests.get(url + DECK_PATH, timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exports", type=int, default=8, help="simultaneous exports per phase (8)")
    parser.add_argument("--baseline", type=float, default=40.0, help="seconds of page requests without exports")
    parser.add_argument("--formats", default="pdf,pptx", help="export phases, in order (pdf,pptx)")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "bezpieczny.duckdb")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bezpieczny-exports-") as folder:
        folder = Path(folder)
        publish(args.warehouse, [folder / "instance"])
        os.environ["BEZPIECZNY_BACKGROUND_DIR"] = str(folder / "background")
        instance = Instance(free_ports(1)[0], folder / "instance", workers=2).start()
        try:
            warm_up(instance.url)
            dependencies = requests.get(instance.url + "/_dash-dependencies", timeout=10).json()
            phases = {"without_exports": baseline_phase(instance.url, args.baseline)}
            for fmt in args.formats.split(","):
                phases[f"{args.exports}_{fmt}_exports"] = export_phase(
                    instance.url, fmt, args.exports, dependencies, instance.process.pid
                )
        finally:
            instance.stop()
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": "bezpieczny serve (2 workers x 4 threads, DiskcacheManager) on 127.0.0.1, 2 cores",
        "export_slots": int(os.environ.get("BEZPIECZNY_EXPORT_SLOTS", "1")),
        "page_clients": "seen_c1: views seen before; unseen_c1: views not seen before; one request at a time each",
        "phases": phases,
    }
    args.results.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        json.dumps(
            {name: {k: v for k, v in phase.items() if k != "visitors"} for name, phase in phases.items()},
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
