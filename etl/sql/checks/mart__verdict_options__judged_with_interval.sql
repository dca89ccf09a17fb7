-- check: consistency
-- table: mart__verdict_options
-- column: ci_low
-- A verdict judged against the band (maintained, improved, worsened, or inconclusive because the interval crosses
-- the band) has both interval limits; without them the reason must say there is no interval basis.
SELECT indicator_id, area_code, period_id, interval_option, state, reason
FROM mart__verdict_options
WHERE reason IN ('within_band', 'crosses_band', 'better_than_band', 'worse_than_band')
  AND (ci_low IS NULL OR ci_high IS NULL OR isnan(ci_low) OR isnan(ci_high))
