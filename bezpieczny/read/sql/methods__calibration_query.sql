-- The one documented query (docs/methods.md, "Calibration table") that recomputes every number of the
-- operating-characteristics table from the placebo backtest; shown on the methods page as written.
SELECT coalesce(b.indicator_id, '*') AS indicator_id,
       b.indicator_kind,
       b.interval_option,
       b.period_label,
       round(100 * avg((b.state = 'maintained')::INTEGER), 1)   AS maintained_pct,
       round(100 * avg((b.state = 'inconclusive')::INTEGER), 1) AS inconclusive_pct,
       round(100 * avg((b.state = 'worsened')::INTEGER), 1)     AS worsened_pct,
       round(100 * avg((b.state = 'improved')::INTEGER), 1)     AS improved_pct,
       round(100 * avg((b.state IN ('worsened', 'improved'))::INTEGER), 1) AS false_alarm_pct,
       count(*) AS areas_judged
FROM mart__verdict_backtest AS b
JOIN core__areas AS a USING (area_code)
WHERE a.area_level = 'powiat' AND b.window_kind = 'year'
GROUP BY GROUPING SETS ((b.indicator_kind, b.interval_option, b.period_label),
                        (b.indicator_kind, b.indicator_id, b.interval_option, b.period_label))
HAVING b.indicator_id IS NULL OR b.indicator_id = 'crimes_count__criminal'
ORDER BY b.indicator_kind, indicator_id DESC, b.interval_option, b.period_label
