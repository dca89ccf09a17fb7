-- Public API whitelist: the assessment periods present in the verdict mart.
SELECT DISTINCT period_id FROM mart__verdicts ORDER BY period_id
