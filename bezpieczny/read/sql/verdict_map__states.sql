-- The verdict map: every area of one level (powiat | voivodeship) with its verdict for one indicator and
-- assessment period (mart__verdicts, default interval option). An area without a verdict row stays in the list
-- with state NULL, which the view shows as "no data" (never as a state it does not have).
SELECT a.area_code, a.area_name, v.state, v.reading, v.reason, v.effect, v.effect_kind, v.ci_low, v.ci_high,
       v.assessment_value, v.baseline_value, v.interval_option, v.period_label
FROM core__areas AS a
LEFT JOIN mart__verdicts AS v
       ON v.area_code = a.area_code AND v.indicator_id = $indicator_id AND v.period_id = $period_id
WHERE a.area_level = $area_level
ORDER BY a.area_code
