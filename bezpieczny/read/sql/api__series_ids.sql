-- Public API whitelist: every series id with observations in the warehouse.
SELECT DISTINCT series_id FROM core__observations ORDER BY series_id
