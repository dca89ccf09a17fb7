-- check: sample_size_basis
-- table: core__survey_sample_sizes
-- column: sample_size, sample_size_basis
-- A wave has a size exactly when its basis says it has one: no size is ever used without a source.
SELECT survey_id, year, sample_size, sample_size_basis
FROM core__survey_sample_sizes
WHERE sample_size_basis NOT IN ('exact', 'approximate_design', 'none')
   OR (sample_size_basis = 'none') <> (sample_size IS NULL)
   OR (sample_size_basis <> 'none' AND (figure_ids IS NULL OR sources IS NULL))
