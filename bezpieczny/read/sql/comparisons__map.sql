-- One series in one year for every area of one level (powiat | voivodeship), NULL where not published.
SELECT a.area_code, a.area_name, o.value, o.source_file
FROM core__areas AS a
LEFT JOIN core__observations AS o
       ON o.area_code = a.area_code AND o.series_id = $series_id AND o.year = $year
WHERE a.area_level = $area_level
ORDER BY a.area_code
