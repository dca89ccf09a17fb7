-- Series breaks recorded for an indicator (year, kind, whether it blocks comparison, wording).
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM core__series_breaks
WHERE indicator_id = $indicator_id
ORDER BY year
