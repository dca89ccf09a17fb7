"""How long a full build of the embedded snapshot takes; results go to benchmarks/results/build.json.

Run: `.venv/bin/python benchmarks/bench_build.py [--runs 3] [--cli-runs 3]`. The build writes into a temporary
folder, so the published warehouse is not touched. Wall-clock time depends on what else the machine runs, so each run
also records the CPU seconds this process used (user + system) and the 1-minute load average before it started.

`--cli-runs` also times what a user waits for: `bezpieczny build --warehouse <temp>` in a fresh process each time
(interpreter start, imports and the console output included; CPU seconds of the child process beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from etl.build import build
from etl.paths import snapshot_dir

RESULTS = Path(__file__).resolve().parent / "results" / "build.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli-runs", type=int, default=3, help="fresh-process `bezpieczny build` runs (0: none)")
    args = parser.parse_args()
    seconds, peaks, cpu, loads = [], [], [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            loads.append(os.getloadavg()[0])
            started, cpu_started = time.perf_counter(), time.process_time()
            report = build(
                snapshot_dir=snapshot_dir(), raw_dir=Path(folder) / "raw", warehouse=Path(folder) / "w.duckdb"
            )
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            # Peak resident memory of this process so far (Linux reports KiB); no tracing overhead on the timing.
            peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(
            f"run {run + 1}: {seconds[-1]:.2f} s wall, {cpu[-1]:.2f} s CPU (load {loads[-1]:.1f}), "
            f"peak RSS {peaks[-1]:.0f} MiB, "
            f"{report.tables['core__observations']:,} observations"
        )
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs_s": [round(s, 2) for s in seconds],
        "median_s": round(statistics.median(seconds), 2),
        "cpu_s": [round(s, 2) for s in cpu],
        "median_cpu_s": round(statistics.median(cpu), 2),
        "load_average_1min_before": [round(x, 1) for x in loads],
        "note": "wall time is inflated when other processes share the cores; cpu_s is this process's own time",
        "peak_rss_mib": [round(p) for p in peaks],
        **fresh_cli(args.cli_runs),
        "tables": report.tables,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"median {result['median_s']} s -> {RESULTS}")


def fresh_cli(runs: int) -> dict:
    """`bezpieczny build` in a fresh process per run: wall seconds, the child's CPU seconds, load before each."""
    if runs <= 0:
        return {}
    command = [str(Path(sys.executable).with_name("bezpieczny")), "build"]
    seconds, cpu, loads = [], [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            loads.append(os.getloadavg()[0])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run([*command, "--warehouse", str(Path(folder) / "w.duckdb")], check=True, capture_output=True)
            seconds.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(
            f"fresh `bezpieczny build` {run + 1}: {seconds[-1]:.2f} s wall, {cpu[-1]:.2f} s CPU (load {loads[-1]:.1f})"
        )
    return {
        "fresh_cli_runs_s": [round(s, 2) for s in seconds],
        "fresh_cli_median_s": round(statistics.median(seconds), 2),
        "fresh_cli_cpu_s": [round(s, 2) for s in cpu],
        "fresh_cli_load_before": [round(x, 1) for x in loads],
    }


if __name__ == "__main__":
    main()
