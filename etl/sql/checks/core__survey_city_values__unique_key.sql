-- check: unique_key
-- table: core__survey_city_values
-- column: series_id, city_code, year
-- One value per series, city and wave (a third-party sum never doubles a value made from its components).
SELECT series_id, city_code, year, count(*) AS copies
FROM core__survey_city_values
GROUP BY series_id, city_code, year
HAVING count(*) > 1
