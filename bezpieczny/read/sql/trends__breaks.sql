-- Series breaks of the given indicators (they are data: shown on every chart).
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM core__series_breaks
WHERE list_contains($indicator_ids, indicator_id)
ORDER BY indicator_id, year
