-- One long table of every published value, whatever its source; the source columns travel with each row.
-- Publishers that report the same measure keep separate series ids (e.g. city_report_crimes_count__total next to
-- GUS's crimes_count__total); mart__source_disagreements lists where they differ.
-- value_status / attr_label_pl / attr_label_en: a GUS cell whose attribute is not a number (confidential, not yet
-- available, …) has value NULL and says why; source_last_update is the publisher's own "data as of" stamp.
SELECT source_id, series_id, area_code, year, value, unit, attr_id, sample_size, ci_low, ci_high,
       is_derived, FALSE AS is_provisional, source_file, source_series_name, retrieved_at, url,
       value_status, attr_label_pl, attr_label_en, source_last_update
FROM stg_gus_bdl__observations
UNION ALL BY NAME
SELECT source_id, series_id, area_code, year, value, unit, attr_id, sample_size, ci_low, ci_high,
       is_derived, coalesce(is_provisional, FALSE) AS is_provisional, source_file, source_series_name, retrieved_at,
       url, source_last_update
FROM stg_eurostat__observations
UNION ALL BY NAME
SELECT source_id, series_id, area_code, year, value, unit, attr_id, sample_size, ci_low, ci_high,
       is_derived, FALSE AS is_provisional, source_file, source_series_name, retrieved_at, url
FROM stg_curated__observations
