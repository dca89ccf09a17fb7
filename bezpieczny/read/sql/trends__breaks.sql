-- Series breaks of the given indicators (they are data: shown on every chart).
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM core__series_breaks
WHERE indicator_id IN (SELECT unnest($indicator_ids))
ORDER BY indicator_id, year
