-- Public API: recorded series breaks (a break in year b: values from b on are counted differently).
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM core__series_breaks
ORDER BY indicator_id, year
