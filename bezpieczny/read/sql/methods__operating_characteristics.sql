-- Operating characteristics of the verdict rule (mart__operating_characteristics): state shares in placebo
-- years over all powiats, per indicator kind (indicator_id '*') and for crimes of criminal character, per
-- interval option and judged year; is_default marks the option mart__verdicts uses.
WITH defaults AS (
    SELECT interval_option, count(*) AS n FROM mart__verdicts GROUP BY interval_option
)
SELECT o.indicator_kind, o.indicator_id, o.interval_option, o.period_label, o.areas_judged,
       o.maintained_share, o.inconclusive_share, o.worsened_share, o.improved_share, o.false_alarm_share,
       o.interval_option = (SELECT interval_option FROM defaults ORDER BY n DESC LIMIT 1) AS is_default
FROM mart__operating_characteristics AS o
WHERE o.window_kind = 'year' AND (o.indicator_id = '*' OR o.indicator_id = 'crimes_count__criminal')
ORDER BY o.indicator_kind, o.indicator_id DESC, o.interval_option, o.period_label
