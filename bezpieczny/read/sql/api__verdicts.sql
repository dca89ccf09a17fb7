-- Public API: every part of the verdicts (reading and the older state beside it, effect, calibrated interval, band,
-- odds, detectable change, goal line, baseline, sentences, the interval option and the exact-Poisson state, the
-- pre-programme base rate) for one area, or,
-- when $area_code is NULL, for each indicator's own catalogue area (Kraków; Poland for national surveys).
-- $period_id NULL = every assessment period.
SELECT v.indicator_id, v.name_pl, v.name_en, v.kind, v.indicator_group, v.display_order, v.area_code,
       v.period_id, v.period_label, v.state, v.state_label_pl, v.reason, v.assessment_years, v.assessment_value,
       v.baseline_years, v.baseline_value, v.effect, v.effect_kind, v.ci_low, v.ci_high, v.band_low, v.band_high,
       v.effect_text, v.dispersion, v.state_overdispersed, v.flags, v.sentence_pl, v.sentence_en, v.direction,
       v.unit, v.decimals, v.interval_option, v.tau2, v.state_poisson, v.base_rate_window_kind,
       v.base_rate_state_count, v.base_rate_periods_judged, v.base_rate_first_year, v.base_rate_last_year,
       v.reading, v.reading_label_pl, v.reading_label_en, v.p_better, v.p_within, v.p_worse, v.detectable_up,
       v.detectable_down, v.goal_rule, v.goal_met, v.calibration_factor, v.driven_by_year, i.source_id
FROM mart__verdicts AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
WHERE (CASE WHEN CAST($area_code AS VARCHAR) IS NULL THEN v.area_code = i.area_code
            ELSE v.area_code = $area_code END)
  AND (CAST($period_id AS VARCHAR) IS NULL OR v.period_id = $period_id)
ORDER BY v.kind, v.display_order, v.indicator_id, v.area_code,
         CASE v.period_id WHEN '2022' THEN 1 WHEN '2023' THEN 2 WHEN '2024' THEN 3 WHEN 'latest' THEN 5 ELSE 4 END
