-- Months that are part of a control-chart signal (mart__register_spc_signals).
SELECT area_code, category, month, value, rule, side
FROM mart__register_spc_signals
ORDER BY area_code, category, rule, side, month
