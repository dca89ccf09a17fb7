-- check: unique_key
-- table: core__survey_responses
-- column: indic_ur, city_code, year
-- One cell per item, city and wave (a landed API cell replaces the embedded one, it is not added to it).
SELECT indic_ur, city_code, year, count(*) AS copies
FROM core__survey_responses
GROUP BY indic_ur, city_code, year
HAVING count(*) > 1
