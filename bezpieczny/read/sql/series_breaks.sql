-- Every recorded series break (they are data: shown on every chart); read once per published warehouse.
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM core__series_breaks
ORDER BY indicator_id, year
