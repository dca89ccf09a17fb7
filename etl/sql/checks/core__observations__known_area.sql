-- check: known_area
-- table: core__observations
-- column: area_code
-- GUS BDL values must belong to an area GUS names (Eurostat cities and Kraków districts have their own codes).
SELECT o.source_id, o.series_id, o.area_code, o.year
FROM core__observations AS o
LEFT JOIN core__areas AS a USING (area_code)
WHERE o.source_id = 'gus_bdl' AND a.area_code IS NULL
