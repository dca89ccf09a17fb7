-- The six largest cities (Kraków and its peers) × every indicator judged for them: the reading (and the older
-- state) in one period.
SELECT v.indicator_id, v.name_pl, v.name_en, v.kind, v.display_order, v.area_code, v.state, v.reading
FROM mart__verdicts AS v
WHERE list_contains($area_codes::VARCHAR[], v.area_code) AND v.period_id = $period_id
ORDER BY v.kind, v.display_order, v.indicator_id, v.area_code
