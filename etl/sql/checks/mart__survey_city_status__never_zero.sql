-- check: not_surveyed_is_no_value
-- table: mart__survey_city_status
-- column: status, value
-- A city outside the survey has no value (shown as "not surveyed"), never 0; a city with a value is not "no data".
SELECT indicator_id, city_code, year, status, value
FROM mart__survey_city_status
WHERE (status <> 'value' AND value IS NOT NULL) OR (status = 'value' AND value IS NULL)
