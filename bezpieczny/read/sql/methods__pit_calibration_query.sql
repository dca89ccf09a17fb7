-- The one documented query (docs/methods.md §5c, "PIT table") that recomputes mart__pit_calibration from the
-- placebo backtest: per indicator kind and window kind, the share of placebo verdicts (all powiats, each
-- indicator's default interval option, calibrated) whose PIT falls in each tenth; shown on the methods page.
SELECT b.indicator_kind,
       b.window_kind,
       least(floor(b.pit * 10), 9)::BIGINT + 1 AS pit_decile,
       count(*) AS verdicts,
       count(*) / sum(count(*)) OVER (PARTITION BY b.indicator_kind, b.window_kind) AS share
FROM mart__verdict_backtest AS b
JOIN core__areas AS a USING (area_code)
WHERE a.area_level = 'powiat' AND b.is_default_option AND b.pit IS NOT NULL
GROUP BY b.indicator_kind, b.window_kind, pit_decile
ORDER BY b.indicator_kind, b.window_kind, pit_decile
