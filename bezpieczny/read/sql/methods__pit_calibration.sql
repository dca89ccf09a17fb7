-- The PIT calibration table (mart__pit_calibration) with the worst placebo share of clear changes (the four outer
-- readings, calibrated) per indicator kind and window kind over all powiats (mart__operating_characteristics,
-- indicator_id '*', each period judged by at least 30 powiats).
WITH clear AS (
    SELECT o.indicator_kind, o.window_kind, max(o.clear_share) AS worst_clear_share, count(*) AS periods
    FROM mart__operating_characteristics AS o
    WHERE o.indicator_id = '*' AND o.areas_judged >= 30
      AND o.interval_option = (SELECT interval_option FROM mart__verdicts GROUP BY ALL ORDER BY count(*) DESC LIMIT 1)
    GROUP BY ALL
)
SELECT p.indicator_kind, p.window_kind, p.pit_decile, p.verdicts, p.share, p.total, c.worst_clear_share, c.periods
FROM mart__pit_calibration AS p
LEFT JOIN clear AS c USING (indicator_kind, window_kind)
ORDER BY p.indicator_kind, p.window_kind, p.pit_decile
