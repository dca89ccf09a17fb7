-- Sample size of each survey wave (EU city survey, Kraków's own survey, CBOS) with its basis: exact, approximate
-- (design sample size) or none (no published size, so no interval), the figures behind it and disagreeing figures.
SELECT survey_id, year, sample_size, sample_size_basis, basis_pl, basis_en, figure_ids, alternatives, sources
FROM stg_survey__sample_sizes
