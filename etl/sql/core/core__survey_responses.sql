-- EU city survey (Eurostat urb_percep): every safety-related cell of every surveyed city, answer category by answer
-- category, with Eurostat's flags kept as data and derived cells (the 2023 third-party sums) marked with their origin.
SELECT source_id, indic_ur, item_label, unit, city_code, city_name, year, value, flag, is_derived, derived_from,
       source_file, source_series_name, retrieved_at, url, source_last_update
FROM stg_eurostat__responses
