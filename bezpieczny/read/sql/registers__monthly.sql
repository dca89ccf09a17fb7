-- Every city's register reports per category and month (mart__register_monthly), for the trends page and the API.
SELECT area_code, area_name, category, month, year, month_number, report_count, days_covered, days_in_month,
       is_partial, reports_per_day, attribution
FROM mart__register_monthly
ORDER BY area_code, category, month
