-- One item and wave of the EU city perception survey: every surveyed city with its value, Wilson interval (where a
-- sample size exists, with its basis), whether it is Kraków or Polish, and the EU-27 and all-city medians.
SELECT series_id, year, city_code, city_name, city_name_pl, country_code, area_code, is_home, is_polish, value,
       ci_low, ci_high, sample_size, sample_size_basis, basis_pl, basis_en, flag, quality_flag, quality_flag_pl, is_derived,
       rank_from_highest, rank_from_lowest, tied_count, cities_in_wave, median_all_cities, median_eu27_cities, source_file, retrieved_at, source_last_update
FROM mart__survey_city_comparison
WHERE series_id = $series_id AND year = $year
ORDER BY value, city_code
