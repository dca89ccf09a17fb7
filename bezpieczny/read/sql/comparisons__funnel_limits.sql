-- Over-dispersion-adjusted funnel (mart__funnel, Spiegelhalter 2005) for one rate and year: one row per powiat
-- with its rate, the fitted target, the method's dispersion (phi, tau2) and its 95 % / 99.8 % limits.
SELECT f.area_code, a.area_name, f.method, f.rate, f.events, f.population, f.target, f.phi, f.tau2, f.areas,
       f.phi_p_value, f.winsor, f.lower_95, f.upper_95, f.lower_998, f.upper_998, f.outside_998
FROM mart__funnel AS f
JOIN core__areas AS a USING (area_code)
WHERE f.indicator_id = $indicator_id AND f.year = $year AND f.method = $method
ORDER BY f.population
