-- Yearly values of several indicators in one area, with what is needed for an interval.
SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size, ci_low, ci_high, source_id,
       source_file
FROM core__indicator_values
WHERE indicator_id IN (SELECT unnest($indicator_ids)) AND area_code = $area_code
ORDER BY indicator_id, year
