-- Figures of imported report tables (core__report_values).
SELECT *
FROM core__report_values
ORDER BY report_indicator, area_code, year, quarter, month_number
