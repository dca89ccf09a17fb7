-- Points that are part of an SPC signal (mart__spc_signals) of every area and indicator; read once per published
-- warehouse.
SELECT indicator_id, area_code, year, value, rule, side, assessment
FROM mart__spc_signals
ORDER BY area_code, indicator_id, year, rule, side
