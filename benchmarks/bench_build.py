"""How long a full build of the embedded snapshot takes; results go to benchmarks/results/build.json.

Run: `.venv/bin/python benchmarks/bench_build.py [--runs 3]`. The build writes into a temporary folder, so the
published warehouse is not touched.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
import resource
from datetime import datetime, timezone
from pathlib import Path

from etl.build import build
from etl.paths import snapshot_dir

RESULTS = Path(__file__).resolve().parent / "results" / "build.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seconds, peaks = [], []
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            report = build(snapshot_dir=snapshot_dir(), raw_dir=Path(folder) / "raw", warehouse=Path(folder) / "w.duckdb")
            seconds.append(time.perf_counter() - started)
            # Peak resident memory of this process so far (Linux reports KiB); no tracing overhead on the timing.
            peaks.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        print(f"run {run + 1}: {seconds[-1]:.2f} s, peak RSS {peaks[-1]:.0f} MiB, "
              f"{report.tables['core__observations']:,} observations")
    result = {
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs_s": [round(s, 2) for s in seconds], "median_s": round(statistics.median(seconds), 2),
        "peak_rss_mib": [round(p) for p in peaks],
        "tables": report.tables,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"median {result['median_s']} s -> {RESULTS}")


if __name__ == "__main__":
    main()
