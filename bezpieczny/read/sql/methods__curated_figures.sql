-- Every hand-curated figure with its citation (publisher, url, quote, retrieval date).
SELECT figure_id, series_id, area_code, area_name, period, year, value, value_qualifier, unit, publisher, url, quote,
       quote_verbatim, retrieved, is_derived, sample_size, survey_mode, url_status, scope_warning, notes, source_file,
       source_line
FROM core__curated_figures
ORDER BY figure_id
