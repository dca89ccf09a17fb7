-- check: every_report_counted_once
-- table: mart__register_monthly
-- column: report_count
-- No report lost or counted twice: per city, the monthly 'all' counts add up to the reports in
-- core__register_reports, and in every month the categories add up to 'all'.
WITH totals AS (
    SELECT area_code, sum(report_count) FILTER (WHERE category = 'all') AS monthly_total
    FROM mart__register_monthly GROUP BY ALL
), reports AS (
    SELECT area_code, count(*) AS reports FROM core__register_reports GROUP BY ALL
), months AS (
    SELECT area_code, month,
           sum(report_count) FILTER (WHERE category = 'all') AS all_count,
           sum(report_count) FILTER (WHERE category <> 'all') AS category_sum
    FROM mart__register_monthly GROUP BY ALL
)
SELECT r.area_code, NULL AS month, r.reports AS expected, t.monthly_total AS found
FROM reports AS r LEFT JOIN totals AS t USING (area_code)
WHERE t.monthly_total IS DISTINCT FROM r.reports
UNION ALL
SELECT area_code, month, all_count, category_sum FROM months WHERE all_count <> category_sum
