-- Public API: the indicator catalogue as built into the warehouse (one row per indicator).
SELECT indicator_id, name_pl, name_en, description_pl, description_en, unit, decimals, direction, kind, source_id,
       series_id, area_code, effect_kind, interval_method, tolerance, indicator_group, display_order,
       numerator_series_id, denominator_series_id
FROM core__indicators
ORDER BY display_order, indicator_id
