-- check: pct_range
-- table: core__survey_city_values
-- column: value
-- Shares of respondents (and sums of two of them) lie between 0 and 100.
SELECT series_id, city_code, year, value, component_a, component_b
FROM core__survey_city_values
WHERE value < 0 OR value > 100
