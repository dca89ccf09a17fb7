-- EU city survey indicator series per city and wave: "agree" = strongly agree + somewhat agree (both components kept,
-- value marked derived), single-answer items as published, and a quality flag (English and Polish reason) on
-- suspect rows:
-- the 2009 repeated category, or every answer identical to another wave of the same city.
SELECT series_id, city_code, city_name, year, value, component_a_code, component_a, component_b_code, component_b,
       flag, is_derived, derivation, quality_flag, quality_flag_pl, source_file, source_series_name, retrieved_at, url,
       source_last_update
FROM stg_eurostat__city_values
