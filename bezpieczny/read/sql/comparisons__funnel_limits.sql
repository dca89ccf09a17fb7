-- Over-dispersion-adjusted funnel (mart__funnel, Spiegelhalter 2005) for one rate, year and method: one row per
-- powiat with its rate, the fitted target, the method's dispersion (phi, tau2) and its 95 % / 99.8 % limits.
-- Area names come from the page's area list (no join: this query runs for every unseen funnel view).
SELECT area_code, method, rate, events, population, target, phi, tau2, areas, phi_p_value, winsor,
       lower_95, upper_95, lower_998, upper_998, outside_998
FROM mart__funnel
WHERE indicator_id = $indicator_id AND year = $year AND method = $method
ORDER BY population
