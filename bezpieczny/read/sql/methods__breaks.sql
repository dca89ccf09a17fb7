-- Series breaks, one row per break with the indicators it applies to.
SELECT year, break_kind, blocks_comparison, description_pl, description_en,
       string_agg(indicator_id, ', ' ORDER BY indicator_id) AS indicators
FROM core__series_breaks
GROUP BY year, break_kind, blocks_comparison, description_pl, description_en
ORDER BY year, break_kind
