"""Load on the page callbacks while the warehouse is rebuilt and republished under the running server; results go
to benchmarks/results/load.json.

`bezpieczny serve` (2 workers) reads its own warehouse file. For `--duration` seconds (default 60) 8 clients request
the overview, trends and comparisons views (the callback a browser sends when a page opens, both languages; by
default each request made unseen by an ignored `&seen=N` parameter, so it queries the warehouse)
while 5 `bezpieczny build` runs publish into that same file one after another; one of them is given broken input
(a curated figure whose value is not a number), so it must fail and leave the published file alone.
Target (issue 13): 0 non-2xx responses and 0 views showing the error message.

Run: `.venv/bin/python benchmarks/bench_load.py [--duration 60]` after `bezpieczny build`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from deploy.localstack import BIN, VIEWS, Instance, Load, free_ports, publish, router_payload  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "load.json"
BUILDS = 5
FAILING_BUILD = 3  # the 3rd build gets broken input
BUILD_TIMEOUT_S = 1500  # a build takes 1-2 min alone, far longer on a shared machine under this load


class PageLoad(Load):
    """The load on Dash Pages' router callback (the page body the view models build), not on the app's frame
    callback (navigation and title), which also takes the location's pathname and search."""

    def __init__(self, url: str, concurrency: int = 8, unseen: bool = False):
        super().__init__(url, concurrency=concurrency, unseen=unseen)
        self.dependencies = [dep for dep in self.dependencies if "_pages_content" in dep["output"]]
        self.payloads = [router_payload(self.dependencies, path, search) for path, search in VIEWS]


def broken_data_dir(folder: Path) -> Path:
    """A copy of the embedded data whose first curated police figure has the value 'abc' (synthetic breakage)."""
    data = folder / "broken-data"
    shutil.copytree(ROOT / "data" / "snapshot", data / "snapshot")
    shutil.copytree(ROOT / "data" / "curated", data / "curated")
    path = data / "curated" / "police.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["value"] = "abc"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return data


def run_build(warehouse: Path, data_dir: Path | None) -> dict:
    env = {**os.environ}
    if data_dir is not None:
        env["BEZPIECZNY_DATA_DIR"] = str(data_dir)
    started = time.perf_counter()
    process = subprocess.run(
        [str(BIN / "bezpieczny"), "build", "--warehouse", str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        cwd=ROOT,
    )
    return {
        "broken_input": data_dir is not None,
        "exit_code": process.returncode,
        "seconds": round(time.perf_counter() - started, 1),
    }


def builds_during_load(
    url: str, warehouse: Path, broken: Path, duration_s: float, unseen: bool
) -> tuple[dict, list[dict]]:
    """Load for `duration_s`; the builds start at even intervals within it (each waits for the previous)."""
    builds = []
    with PageLoad(url, concurrency=8, unseen=unseen) as load:
        started = time.monotonic()
        for number in range(1, BUILDS + 1):
            time.sleep(max(0.0, started + (number - 0.5) * duration_s / (BUILDS + 1) - time.monotonic()))
            builds.append(run_build(warehouse, broken if number == FAILING_BUILD else None))
            RESULTS.with_suffix(".partial.json").write_text(
                json.dumps({"partial": True, "load_so_far": load.summary(), "builds": builds}, indent=2) + "\n"
            )
        time.sleep(max(0.0, started + duration_s - time.monotonic()))
    return load.summary(), builds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--duration", type=float, default=60.0, help="seconds of load (at least until the 5th build ends)"
    )
    parser.add_argument(
        "--seen",
        action="store_true",
        help="repeat the same 7 views (cached after the first "
        "request per warehouse) instead of views not asked for before",
    )
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "bezpieczny.duckdb")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bezpieczny-load-") as folder:
        folder = Path(folder)
        publish(args.warehouse, [folder / "instance"])
        instance = Instance(free_ports(1)[0], folder / "instance", workers=2).start()
        try:
            load, builds = builds_during_load(
                instance.url,
                folder / "instance" / "bezpieczny.duckdb",
                broken_data_dir(folder),
                args.duration,
                unseen=not args.seen,
            )
        finally:
            instance.stop()
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": "bezpieczny serve (2 workers x 4 threads) on 127.0.0.1, requests at concurrency 8",
        "views": "repeated (cached)" if args.seen else "each request a view not asked for before",
        "load": load,
        "builds": builds,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
