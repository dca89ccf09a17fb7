-- Each verdict's pre-programme base rate (mart__verdicts): in how many placebo periods before the programme the
-- same rule gave the same state. $area_code NULL = each indicator's own catalogue area; one period.
SELECT v.indicator_id, v.area_code, v.period_id, v.base_rate_window_kind, v.base_rate_state_count,
       v.base_rate_periods_judged, v.base_rate_first_year, v.base_rate_last_year
FROM mart__verdicts AS v
JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
WHERE (CASE WHEN CAST($area_code AS VARCHAR) IS NULL THEN v.area_code = i.area_code
            ELSE v.area_code = $area_code END)
  AND v.period_id = $period_id
ORDER BY v.indicator_id
