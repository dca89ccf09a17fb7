-- Register reports of one city (core__register_reports), for analysts.
SELECT *
FROM core__register_reports
WHERE area_code = $area_code
ORDER BY reported_at, source_file, source_line
