-- Reports per city, category and month, for every month the imported files cover at least one day of. A month the
-- files cover only in part (the last month of an export) is marked is_partial; reports_per_day divides by the
-- covered days, so a partial month is comparable. A covered month without a report of a category counts 0 (the
-- register covers it); a month no file covers has no row (no data, never 0). category 'all' counts every report.
WITH covered_days AS (
    SELECT DISTINCT area_code, CAST(d AS DATE) AS day
    FROM core__register_files,
         range(CAST(coverage_from AS TIMESTAMP), CAST(coverage_to AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d)
),
months AS (
    SELECT area_code, CAST(date_trunc('month', day) AS DATE) AS month, count(*) AS days_covered
    FROM covered_days
    GROUP BY ALL
),
categories AS (
    SELECT category FROM core__register_categories
    UNION ALL
    SELECT 'all'
),
counts AS (
    SELECT area_code, category, CAST(date_trunc('month', reported_at) AS DATE) AS month, count(*) AS report_count
    FROM core__register_reports
    GROUP BY ALL
    UNION ALL
    SELECT area_code, 'all', CAST(date_trunc('month', reported_at) AS DATE), count(*)
    FROM core__register_reports
    GROUP BY ALL
),
areas AS (
    SELECT area_code, min(area_name) AS area_name, string_agg(DISTINCT attribution, '; ' ORDER BY attribution) AS attribution
    FROM core__register_files
    GROUP BY ALL
)
SELECT m.area_code,
       a.area_name,
       c.category,
       m.month,
       CAST(year(m.month) AS INTEGER) AS year,
       CAST(month(m.month) AS INTEGER) AS month_number,
       CAST(coalesce(k.report_count, 0) AS BIGINT) AS report_count,
       m.days_covered,
       CAST(day(last_day(m.month)) AS INTEGER) AS days_in_month,
       m.days_covered < day(last_day(m.month)) AS is_partial,
       coalesce(k.report_count, 0) / m.days_covered AS reports_per_day,
       a.attribution
FROM months AS m
JOIN areas AS a USING (area_code)
CROSS JOIN categories AS c
LEFT JOIN counts AS k ON k.area_code = m.area_code AND k.category = c.category AND k.month = m.month
ORDER BY m.area_code, c.category, m.month
