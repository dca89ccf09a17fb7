"""What a person reads from a calibrated interval: the reading, the odds, the detectable change and the goal line.

All four come from one noise model: the calibrated (pooled) 95 % interval read as a normal distribution of the
effect on its own scale (the log ratio for counts and rates, percentage points for shares), centred on the
observed effect with standard error ``se = (upper − lower) / (2 · 1.96)`` on that scale (docs/methods.md §5a).

- **reading** — where the interval lies relative to the band and to "no change" (1 for a ratio, 0 pp):

  ======================================================== ===================
  wholly inside the band                                   ``maintained``
  wholly beyond the band on the bad side                   ``clearly_worse``
  wholly on the bad side of "no change", crossing the band ``worse``
  contains "no change"                                     ``no_clear_change``
  good-side mirrors                                        ``better`` / ``clearly_better``
  no interval basis (or the direction is not judged)       ``cannot_judge``
  no data                                                  ``no_data``
  ======================================================== ===================

- **odds** — P(true change better than the band), P(within), P(worse than the band) under that distribution,
  in words from ``LIKELIHOOD_SCALE``;
- **detectable change** — the smallest true change up and down that the rule would call *clearly* worse or
  better (interval wholly beyond the band) with 80 % power: on the effect scale, ``band edge ± (z₀.₉₇₅ + z₀.₈)·se``;
- **goal line** — whether the council's goal was met under the chosen rule (``GOAL_RULES``): ``met`` when the
  interval shows it, ``not_met`` when the interval shows the opposite, ``not_confirmed`` otherwise.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from etl.definitions import CLEAR_READINGS, GOAL_RULES, READINGS

__all__ = [
    "CLEAR_READINGS",
    "DETECTION_POWER",
    "GOAL_RULES",
    "GOAL_STATES",
    "LIKELIHOOD_SCALE",
    "READINGS",
    "READING_COLUMNS",
    "detectable_arrays",
    "goal_arrays",
    "likelihood_word_key",
    "odds_arrays",
    "reading_arrays",
    "reading_columns",
    "standard_error",
]

# READINGS and CLEAR_READINGS (the four outer levels: the interval excludes "no change", what a placebo period
# should show at most 5 % of the time) are defined once in etl.definitions: the read layer uses them too.
GOAL_STATES: tuple[str, ...] = ("met", "not_met", "not_confirmed")
DETECTION_POWER = 0.80
Z95 = float(special.ndtri(0.975))
Z_POWER = float(special.ndtri(DETECTION_POWER))

# The words for a probability (upper bounds, exclusive except the last), after the IPCC's calibrated language
# (Mastrandrea et al. 2010): the message keys are ``likelihood_<name>``.
LIKELIHOOD_SCALE: tuple[tuple[float, str], ...] = (
    (0.01, "exceptionally_unlikely"),
    (0.10, "very_unlikely"),
    (0.33, "unlikely"),
    (0.66, "about_as_likely_as_not"),
    (0.90, "likely"),
    (0.99, "very_likely"),
    (1.01, "virtually_certain"),
)


def _scale(kind: str, x):
    """Values on the effect scale the noise model is normal on: log for a ratio, as they are for pp."""
    x = np.asarray(x, dtype=float)
    if kind != "ratio":
        return x
    with np.errstate(divide="ignore", invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), -np.inf)


def _unscale(kind: str, x):
    return np.exp(x) if kind == "ratio" else x


def no_change(kind: str) -> float:
    return 1.0 if kind == "ratio" else 0.0


def standard_error(kind: str, low, high) -> np.ndarray:
    """The standard error the calibrated interval implies on its normal scale (NaN without a finite interval)."""
    lo, hi = _scale(kind, low), _scale(kind, high)
    with np.errstate(invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        se = (hi - lo) / (2 * Z95)
    return np.where(np.isfinite(se) & (se > 0), se, np.nan)


def _bad_good(direction: str, above, below):
    return (above, below) if direction == "lower_is_better" else (below, above)


def reading_arrays(state, reason, low, high, band: tuple[float, float], direction: str, kind: str) -> np.ndarray:
    """The reading of each verdict from its state (no_data / no basis) and its interval (see the module table)."""
    state = np.asarray(state, dtype=object)
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    nil = no_change(kind)
    with np.errstate(invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        has = np.isfinite(low) & ~np.isnan(high)
        inside = (band[0] <= low) & (high <= band[1])
        beyond_high, beyond_low = low > band[1], high < band[0]
        above_nil, below_nil = low > nil, high < nil
    if direction == "no_judgement":
        # A change whose good side is not decided is never read as better or worse.
        result = np.where(inside, "maintained", np.where(above_nil | below_nil, "cannot_judge", "no_clear_change"))
    else:
        bad_beyond, good_beyond = _bad_good(direction, beyond_high, beyond_low)
        bad_side, good_side = _bad_good(direction, above_nil, below_nil)
        result = np.select(
            [inside, bad_beyond, good_beyond, bad_side, good_side],
            ["maintained", "clearly_worse", "clearly_better", "worse", "better"],
            "no_clear_change",
        )
    result = np.where(has, result, "cannot_judge").astype(object)
    result = np.where(state == "no_data", "no_data", result)
    return np.asarray(result, dtype=object)


def _cdf(x):
    return special.ndtr(x)


def odds_arrays(kind: str, effect, se, band: tuple[float, float], direction: str):
    """(P(better than the band), P(within), P(worse than the band)) of the true change; NaN where there is no se.

    For an indicator without a judged direction, "better" is below the band and "worse" above it (the columns are
    then read as 'lower' / 'higher')."""
    centre = _scale(kind, effect)
    se = np.asarray(se, dtype=float)
    lo_edge, hi_edge = _scale(kind, band[0]), _scale(kind, band[1])
    with np.errstate(invalid="ignore", divide="ignore"):  # pragma: no mutate (numpy warnings only)
        p_below = _cdf((lo_edge - centre) / se)
        p_above = 1.0 - _cdf((hi_edge - centre) / se)
    p_within = 1.0 - p_below - p_above
    worse, better = (p_above, p_below) if direction != "higher_is_better" else (p_below, p_above)
    ok = np.isfinite(se) & np.isfinite(centre)
    return tuple(np.where(ok, p, np.nan) for p in (better, p_within, worse))


def detectable_arrays(kind: str, se, band: tuple[float, float]):
    """(up, down): the true effect (ratio, or pp difference) above / below which the rule reads a change as clearly
    beyond the band with ``DETECTION_POWER`` — the band edge moved out by (z₀.₉₇₅ + z_power) standard errors."""
    se = np.asarray(se, dtype=float)
    step = (Z95 + Z_POWER) * se
    up = _unscale(kind, _scale(kind, band[1]) + step)
    down = _unscale(kind, _scale(kind, band[0]) - step)
    ok = np.isfinite(se)
    return np.where(ok, up, np.nan), np.where(ok, down, np.nan)


def goal_arrays(low, high, band: tuple[float, float], direction: str, rule: str) -> np.ndarray:
    """Whether the goal was met: 'met' / 'not_met' / 'not_confirmed' (None without an interval or a direction).

    ``non_inferiority`` (the programme's "the level reached must not fall"): met when the interval's bad-side end
    lies inside the band (not worse by more than the band), not met when the whole interval lies beyond the band
    on the bad side. ``equivalence``: met when the whole interval lies inside the band, not met when it lies
    wholly outside it (either side)."""
    if rule not in GOAL_RULES:
        raise ValueError(f"unknown goal rule {rule!r}: use one of {GOAL_RULES}")
    low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    with np.errstate(invalid="ignore"):  # pragma: no mutate (numpy warnings only)
        has = np.isfinite(low) & ~np.isnan(high)
        if rule == "equivalence":
            met = (band[0] <= low) & (high <= band[1])
            not_met = (low > band[1]) | (high < band[0])
        elif direction == "lower_is_better":
            met, not_met = high <= band[1], low > band[1]
        else:
            met, not_met = low >= band[0], high < band[0]
    result = np.select([met, not_met], ["met", "not_met"], "not_confirmed").astype(object)
    if direction == "no_judgement" and rule == "non_inferiority":
        has = np.zeros_like(has)
    return np.where(has, result, np.full(len(result), None, dtype=object))


def likelihood_word_key(p: float) -> str | None:
    """The message key of a probability's word on ``LIKELIHOOD_SCALE`` ('likelihood_likely'); None for NaN."""
    if p is None or not np.isfinite(p):
        return None
    for bound, name in LIKELIHOOD_SCALE:
        if p < bound:
            return f"likelihood_{name}"
    return f"likelihood_{LIKELIHOOD_SCALE[-1][1]}"


READING_COLUMNS = (
    "reading",
    "p_better",
    "p_within",
    "p_worse",
    "detectable_up",
    "detectable_down",
    "goal_rule",
    "goal_met",
)


def reading_columns(indicator, state, reason, effect, low, high, goal_rule: str) -> dict[str, np.ndarray]:
    """The reading, odds, detectable change and goal line of verdict rows of one indicator (arrays aligned with
    the inputs; ``low`` / ``high`` the calibrated interval)."""
    kind, band, direction = indicator.effect_kind, indicator.band, indicator.direction
    reading = reading_arrays(state, reason, low, high, band, direction, kind)
    se = standard_error(kind, low, high)
    se = np.where(reading == "no_data", np.nan, se)
    better, within, worse = odds_arrays(kind, effect, se, band, direction)
    up, down = detectable_arrays(kind, se, band)
    goal = goal_arrays(low, high, band, direction, goal_rule)
    return {
        "reading": reading,
        "p_better": better,
        "p_within": within,
        "p_worse": worse,
        "detectable_up": up,
        "detectable_down": down,
        "goal_rule": np.full(len(reading), goal_rule, dtype=object),
        "goal_met": np.where(reading == "no_data", np.full(len(reading), None, dtype=object), goal),
    }
