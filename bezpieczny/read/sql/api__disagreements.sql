-- Public API: every pair of sources that publish different values for the same measure, area and year.
SELECT measure_id, measure_pl, measure_en, area_code, year, value_a, series_a, source_a, source_file_a, url_a,
       value_b, series_b, source_b, source_file_b, url_b, wording_b, difference, difference_pct
FROM mart__source_disagreements
ORDER BY measure_id, area_code, year
