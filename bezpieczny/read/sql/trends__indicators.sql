-- The indicator catalogue as the Trends and Objective-vs-subjective pages need it (whitelist + display metadata).
SELECT indicator_id, name_pl, name_en, unit, decimals, direction, kind, area_code, effect_kind, interval_method,
       tolerance, indicator_group, display_order, numerator_series_id, denominator_series_id
FROM core__indicators
ORDER BY display_order, indicator_id
