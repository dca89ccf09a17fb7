"""Simulated series with a known truth, judged by the verdict rule: false alarms at a constant level, detection of
a 15 % step. Results go to benchmarks/results/verdict_simulation.json (numbers quoted in docs/methods.md §5).

Run: `.venv/bin/python benchmarks/bench_verdict_simulation.py [--replications 20]`.

Synthetic data only (generated here, never shown to users). Each replication draws 380 areas whose yearly
crime counts have a constant level (log-uniform between 300 and 20,000 a year, roughly the range of Polish
powiats) and realistic over-dispersion: a year effect exp(u), u ~ N(0, TAU²) with TAU = 0.09 (the pooled
estimate for the largest powiats on the real 2017–2021 data is 0.095, Kraków's year-to-year CV 8.5 %), then
Poisson counting noise. Baseline 2017–2021, assessment 2022: either the same level (every "worsened" is false) or
the level raised by 15 % (every "worsened" is a detection).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from etl.catalogue import get_indicator
from etl.evaluate.batch import INTERVAL_OPTIONS, Comparison, PanelOptions, evaluate_panel, make_panel
from etl.evaluate.verdict import DEFAULT_INTERVAL_OPTION

RESULTS = Path(__file__).resolve().parent / "results" / "verdict_simulation.json"
TAU = 0.09
AREAS = 380
BASELINE = (2017, 2018, 2019, 2020, 2021)
ASSESSED = (2022,)
WINDOW = (2022, 2023, 2024)


def simulated_values(
    rng: np.random.Generator, step: float, assessed: tuple[int, ...] = ASSESSED, tau: float = TAU
) -> pd.DataFrame:
    """core__indicator_values-shaped rows for one replication (counts, one indicator, ``AREAS`` areas)."""
    level = np.exp(rng.uniform(np.log(300), np.log(20_000), size=AREAS))
    rows = []
    for year in (*BASELINE, *assessed):
        mean = level * np.exp(rng.normal(0.0, tau, size=AREAS)) * (step if year in assessed else 1.0)
        rows.append(
            pd.DataFrame(
                {
                    "area_code": [f"{i:07d}" for i in range(AREAS)],
                    "year": year,
                    "value": rng.poisson(mean).astype(float),
                    "numerator": np.nan,
                    "denominator": np.nan,
                    "sample_size": np.nan,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def state_rates(step: float, replications: int, seed: int = 2026, assessed: tuple[int, ...] = ASSESSED) -> pd.DataFrame:
    """Share of each state per interval option over ``replications`` × 380 simulated areas."""
    indicator = get_indicator("crimes_count__criminal")
    rng = np.random.default_rng(seed)
    frames = []
    for _ in range(replications):
        panel = make_panel(simulated_values(rng, step, assessed))
        frames.append(evaluate_panel(indicator, panel, Comparison(assessed, BASELINE), PanelOptions(detail=False)))
    states = pd.concat(frames, ignore_index=True)
    table = pd.crosstab(states["interval_option"], states["state"], normalize="index")
    return table.reindex(
        index=list(INTERVAL_OPTIONS), columns=["maintained", "inconclusive", "worsened", "improved"], fill_value=0.0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=20)
    args = parser.parse_args()
    constant = state_rates(1.0, args.replications)
    step = state_rates(1.15, args.replications, seed=2027)
    window = state_rates(1.15, args.replications, seed=2028, assessed=WINDOW)
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "design": {
            "areas": AREAS,
            "replications": args.replications,
            "tau": TAU,
            "baseline": list(BASELINE),
            "assessed": list(ASSESSED),
            "window": list(WINDOW),
            "level": "log-uniform 300–20,000 a year",
        },
        "default_option": DEFAULT_INTERVAL_OPTION,
        "constant_level_state_shares": constant.round(4).to_dict(orient="index"),
        "step_15pct_state_shares": step.round(4).to_dict(orient="index"),
        "step_15pct_window_2022_2024_state_shares": window.round(4).to_dict(orient="index"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        "constant level:\n",
        (100 * constant).round(1),
        "\n15 % step up:\n",
        (100 * step).round(1),
        "\n15 % step up, 2022–2024 window:\n",
        (100 * window).round(1),
    )
    print(f"-> {RESULTS}")


if __name__ == "__main__":
    main()
