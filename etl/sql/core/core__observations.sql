-- One long table of every published value, whatever its source; the source columns travel with each row.
SELECT source_id, series_id, area_code, year, value, unit, attr_id, sample_size, ci_low, ci_high,
       is_derived, source_file, source_series_name, retrieved_at, url
FROM stg_gus_bdl__observations
