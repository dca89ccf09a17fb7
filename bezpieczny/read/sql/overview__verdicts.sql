-- Overview scorecard of one area ($area_code) and period ($period_id): every catalogue indicator, with its verdict
-- row when the area has one (LEFT JOIN: an indicator without a verdict for the area stays, so its card can say
-- why), the base rate of the rule before the programme, the exact-Poisson state, and the availability note.
-- $home_area: the home area, where national indicators are read for their own catalogue area instead.
SELECT i.indicator_id, i.name_pl, i.name_en, i.kind, i.indicator_group, i.display_order, i.unit, i.decimals,
       i.direction, i.effect_kind AS catalogue_effect_kind, i.source_id, i.area_code AS catalogue_area,
       COALESCE(v.area_code, $area_code) AS area_code, v.period_id, v.state, v.reason, v.assessment_years,
       v.assessment_value, v.baseline_years, v.baseline_value, v.effect, v.effect_kind, v.ci_low, v.ci_high,
       v.band_low, v.band_high, v.flags, v.interval_option, v.state_poisson, v.base_rate_window_kind,
       v.base_rate_state_count, v.base_rate_periods_judged, v.base_rate_first_year, v.base_rate_last_year,
       v.sentence_pl, v.sentence_en, v.reading, v.p_better, v.p_within, v.p_worse, v.detectable_up,
       v.detectable_down, v.goal_rule, v.goal_met, v.driven_by_year, v.calibration_factor,
       COALESCE(a.available_after_fetch, FALSE) AS available_after_fetch, a.note_pl AS availability_pl,
       a.note_en AS availability_en
FROM core__indicators AS i
LEFT JOIN mart__verdicts AS v
       ON v.indicator_id = i.indicator_id AND v.period_id = $period_id
      AND v.area_code = CASE WHEN $area_code = $home_area THEN i.area_code ELSE $area_code END
LEFT JOIN mart__indicator_availability AS a ON a.indicator_id = i.indicator_id
ORDER BY i.kind, i.display_order, i.indicator_id
