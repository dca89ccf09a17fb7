-- Kraków and the Polish cities over the waves of one EU survey item: value or status ("not surveyed" / "no data",
-- never 0), with the interval and sample-size basis where the comparison mart has them.
SELECT s.series_id, s.year, s.city_code, s.area_code, s.city_name_pl, s.status, s.status_pl, s.status_en, s.value,
       s.quality_flag, s.quality_flag_pl, c.ci_low, c.ci_high, c.sample_size, c.sample_size_basis, c.basis_pl, c.basis_en, c.is_home
FROM mart__survey_city_status AS s
LEFT JOIN mart__survey_city_comparison AS c USING (series_id, year, city_code)
WHERE s.series_id = $series_id
ORDER BY s.city_code, s.year
