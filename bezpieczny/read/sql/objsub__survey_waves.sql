-- Every (item, wave) of the EU city perception survey with the number of cities surveyed (for the selector).
SELECT series_id, year, max(cities_in_wave) AS cities_in_wave
FROM mart__survey_city_comparison
GROUP BY series_id, year
ORDER BY series_id, year
