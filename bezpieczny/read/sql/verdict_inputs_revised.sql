-- Verdicts whose input values changed at the last refresh: for the verdicts of one area ($area_code; NULL or the
-- home area $home_area = each indicator's own catalogue area as well) and period ($period_id; NULL = every period),
-- how many of their input values were revised or withdrawn between the previous warehouse and this one
-- (mart__revisions), and in which years. A verdict's inputs: the indicator's series and the count and population
-- series it is computed from (numerator, denominator), for the verdict's area, in its baseline and assessment years
-- — the years it used, every year of the period asked for, and the years between its first and last baseline year
-- (a value withdrawn inside the window counts; one withdrawn at the very edge of the baseline cannot be told apart
-- from a year the catalogue never asked for). Values that are only new (a year the previous warehouse lacked) are
-- not revisions and are not counted. Verdicts without such a change have no row.
WITH inputs AS (
    SELECT indicator_id, area_code AS catalogue_area, series_id
    FROM (SELECT indicator_id, area_code,
                 unnest([series_id, numerator_series_id, denominator_series_id]) AS series_id
          FROM core__indicators)
    WHERE series_id IS NOT NULL
),
changed AS (
    SELECT series_id, area_code, year
    FROM mart__revisions
    WHERE change IN ('revised', 'withdrawn')
),
verdicts AS (
    SELECT v.indicator_id, v.area_code, v.period_id,
           list_concat(v.baseline_years, v.assessment_years,
                       CASE WHEN len(v.baseline_years) > 0
                            THEN range(list_min(v.baseline_years), list_max(v.baseline_years) + 1) END,
                       CASE WHEN regexp_matches(v.period_id, '^\d{4}$') THEN [CAST(v.period_id AS INTEGER)]
                            WHEN regexp_matches(v.period_id, '^\d{4}–\d{4}$')
                            THEN range(CAST(left(v.period_id, 4) AS INTEGER), CAST(right(v.period_id, 4) AS INTEGER) + 1)
                       END) AS years
    FROM mart__verdicts AS v
    JOIN core__indicators AS i ON i.indicator_id = v.indicator_id
    WHERE (v.area_code = $area_code
           OR ((CAST($area_code AS VARCHAR) IS NULL OR $area_code = $home_area) AND v.area_code = i.area_code))
      AND (CAST($period_id AS VARCHAR) IS NULL OR v.period_id = $period_id)
)
SELECT v.indicator_id, v.area_code, v.period_id, count(*) AS inputs_revised,
       list(DISTINCT c.year ORDER BY c.year) AS inputs_revised_years
FROM verdicts AS v
JOIN inputs AS s ON s.indicator_id = v.indicator_id
JOIN changed AS c ON c.series_id = s.series_id AND c.area_code = v.area_code AND list_contains(v.years, c.year)
GROUP BY v.indicator_id, v.area_code, v.period_id
ORDER BY v.indicator_id, v.area_code, v.period_id
