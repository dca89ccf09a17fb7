-- One long fact table feeding every view: each catalogue indicator's values for every area and year its source
-- publishes, with the numerator and denominator of rates (for Poisson intervals) and survey sample sizes.
SELECT i.indicator_id,
       o.area_code,
       o.year,
       o.value,
       num.value AS numerator,
       den.value AS denominator,
       o.sample_size,
       o.ci_low,
       o.ci_high,
       o.source_id,
       o.source_file,
       o.is_provisional OR coalesce(o.attr_id NOT IN (0, 1), FALSE) AS is_provisional
FROM stg_catalogue__indicators AS i
JOIN core__observations AS o
  ON o.series_id = i.series_id AND o.source_id = i.source_id
LEFT JOIN core__observations AS num
  ON num.series_id = i.numerator_series_id AND num.area_code = o.area_code AND num.year = o.year
 AND num.source_id = o.source_id
LEFT JOIN core__observations AS den
  ON den.series_id = i.denominator_series_id AND den.area_code = o.area_code AND den.year = o.year
 AND den.source_id = o.source_id
