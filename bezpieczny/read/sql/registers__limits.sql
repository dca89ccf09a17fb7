-- Control limits of each city's register categories (mart__register_spc_limits).
SELECT area_code, category, first_month, last_month, baseline_points, mean, mean_moving_range, lower_limit,
       upper_limit, constant, run_length
FROM mart__register_spc_limits
ORDER BY area_code, category
