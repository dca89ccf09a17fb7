"""The words around a verdict's reading (issue 23), shared by the overview cards, the deck and `bezpieczny check`:
the odds in words, the change the data could have detected, the goal line and the years a window really uses.
Every number comes from `mart__verdicts` (computed in the build); these functions only write it out."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from bezpieczny.i18n import fmt_number, t
from etl.catalogue.model import DEFAULT_TOLERANCE
from etl.definitions import GOAL_RULES
from etl.evaluate.reading import LIKELIHOOD_SCALE, likelihood_word_key

__all__ = [
    "Odds",
    "detectable_text",
    "driven_text",
    "goal_label",
    "goal_rule_text",
    "goal_text",
    "likelihood_scale_text",
    "odds",
    "odds_text",
    "period_note",
    "uncalibrated_text",
]


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _change(value: float, effect_kind: str, lang: str) -> str:
    """'+34%' for a ratio of 1.34, '+2,8 pp' for 2.8 percentage points (typographic minus)."""
    if effect_kind == "ratio":
        number = (value - 1) * 100
        text = fmt_number(abs(number), lang, 0) + "%"
    else:
        number = value
        text = f"{fmt_number(abs(number), lang, 1)} {t('pp', lang)}"
    sign = "+" if number > 0 else "−" if number < 0 else ""
    return sign + text


@dataclass(frozen=True)
class Odds:
    """P(better than the band), P(within), P(worse than the band) as shares (0..1) and in words."""

    better: float
    within: float
    worse: float

    def word(self, part: str, lang: str) -> str:
        key = likelihood_word_key(getattr(self, part))
        if key is None:  # odds() builds Odds only from finite shares
            raise ValueError(f"no likelihood word for {part}={getattr(self, part)!r}")
        return t(key, lang)


def odds(row) -> Odds | None:
    """The verdict's odds, or None when it has none (no interval, no data)."""
    better, within, worse = (_number(getattr(row, name, None)) for name in ("p_better", "p_within", "p_worse"))
    if better is None or within is None or worse is None:
        return None
    return Odds(better, within, worse)


def _percent(share: float, lang: str) -> str:
    """A probability as a whole percentage; never '0%' or '100%' for a share strictly between (say '<1%', '>99%')."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 < share < 1:
        return ">99%"
    return fmt_number(round(share * 100), lang, 0) + "%"


def odds_text(row, lang: str) -> str | None:
    """'Szanse: lepiej niż pasmo 7% (bardzo mało prawdopodobne) · w paśmie 54% (…) · gorzej niż pasmo 39% (…)'."""
    found = odds(row)
    if found is None:
        return None
    undirected = getattr(row, "direction", "") == "no_judgement"
    parts = []
    for part in ("better", "within", "worse"):
        key = f"odds_{part}_undirected" if undirected and part != "within" else f"odds_{part}"
        share = getattr(found, part)
        parts.append(t(key, lang, share=_percent(share, lang), word=found.word(part, lang)))
    return t("odds_line", lang, parts=" · ".join(parts))


def detectable_text(row, lang: str) -> str | None:
    """'Wykrywalna zmiana (moc 80%): +34% / −26%' — the smallest true change up and down the rule reads as clearly
    beyond the band with 80 % power; None without one."""
    up, down = _number(getattr(row, "detectable_up", None)), _number(getattr(row, "detectable_down", None))
    if up is None or down is None or not math.isfinite(up):
        return None
    kind = row.effect_kind if isinstance(getattr(row, "effect_kind", None), str) else "ratio"
    down_text = _change(down, kind, lang) if (kind != "ratio" or down > 0) else t("detectable_none_down", lang)
    return t("detectable_line", lang, up=_change(up, kind, lang), down=down_text)


def goal_label(rule: str, band_high: float | None, effect_kind: str, lang: str) -> str:
    """The goal as the council chose it, with its band: 'nie gorzej niż o 10%' / 'w paśmie ±10% w obie strony'."""
    if band_high is None or pd.isna(band_high):
        band = "—"
    elif effect_kind == "ratio":
        band = fmt_number((float(band_high) - 1) * 100, lang, 0) + "%"
    else:
        band = f"{fmt_number(float(band_high), lang, 0)} {t('pp', lang)}"
    return t(f"goal_rule_{rule}", lang, band=band)


def goal_rule_text(rule: str, lang: str) -> str:
    """The goal with the default bands of both kinds: 'nie gorzej niż o 10% (odsetki: o 3 pkt proc.)'."""
    if rule not in GOAL_RULES:
        raise ValueError(f"unknown goal rule {rule!r}")
    ratio = fmt_number(DEFAULT_TOLERANCE["ratio"] * 100, lang, 0) + "%"
    shares = f"{fmt_number(DEFAULT_TOLERANCE['pp_difference'], lang, 0)} {t('pp', lang)}"
    return t(f"goal_rule_{rule}_both", lang, ratio=ratio, shares=shares)


def goal_text(row, lang: str) -> str | None:
    """'Cel (nie gorzej niż o 10%): niepotwierdzony' — None when the verdict has no goal line."""
    met, rule = getattr(row, "goal_met", None), getattr(row, "goal_rule", None)
    if not isinstance(met, str) or not isinstance(rule, str):
        return None
    label = goal_label(rule, _number(getattr(row, "band_high", None)), row.effect_kind, lang)
    return t("goal_line", lang, goal=label, result=t(f"goal_{met}", lang))


def _years(value) -> list[int]:
    if value is None or (not hasattr(value, "__len__") and pd.isna(value)):
        return []
    return sorted(int(y) for y in value)


def period_note(row, lang: str) -> str | None:
    """The years a window really uses when a year is missing: '2022–2023; 2024 jeszcze nieopublikowany'. None when
    every year of the period has a value (or for a single year)."""
    used = _years(getattr(row, "assessment_years", None))
    flags = getattr(row, "flags", None)
    listed = list(flags) if flags is not None and hasattr(flags, "__len__") and not isinstance(flags, str) else []
    missing = sorted(
        int(flag.rsplit("_", 1)[1])
        for flag in listed
        if isinstance(flag, str) and flag.startswith("assessment_missing_")
    )
    if not used or not missing:
        return None
    span = str(used[0]) if len(used) == 1 else f"{used[0]}–{used[-1]}"
    form = "one" if len(missing) == 1 else "other"
    return t(f"period_missing_{form}", lang, used=span, missing=", ".join(str(y) for y in missing))


def likelihood_scale_text(lang: str) -> str:
    """The stated likelihood scale: 'praktycznie pewne ≥ 99% · bardzo prawdopodobne 90–99% · …'."""
    lower = 0.0
    parts = []
    for bound, name in LIKELIHOOD_SCALE:
        upper = min(bound, 1.0)
        parts.append(
            t(
                "likelihood_scale_item",
                lang,
                word=t(f"likelihood_{name}", lang),
                low=fmt_number(lower * 100, lang, 0),
                high=fmt_number(upper * 100, lang, 0),
            )
        )
        lower = bound
    return " · ".join(parts)


def driven_text(row, lang: str) -> str | None:
    """'Zmiana pochodzi z samego roku 2022: …' for a window whose clear reading comes from one year alone."""
    year = _number(getattr(row, "driven_by_year", None))
    return None if year is None else t("driven_by_year", lang, year=int(year))


def uncalibrated_text(row, lang: str) -> str | None:
    """A judged reading whose interval could not be calibrated on placebo periods (too few areas, e.g. the city's
    own survey) says so; None otherwise."""
    reading = getattr(row, "reading", None)
    factor = getattr(row, "calibration_factor", 1.0)
    judged = isinstance(reading, str) and reading not in ("no_data", "cannot_judge")
    return t("uncalibrated_note", lang) if judged and _number(factor) is None else None
