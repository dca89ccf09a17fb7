-- Series breaks are data: each row says from which year an indicator's definition changed, and whether the
-- verdict refuses comparisons across it.
SELECT indicator_id, year, break_kind, blocks_comparison, description_pl, description_en
FROM stg_catalogue__series_breaks
