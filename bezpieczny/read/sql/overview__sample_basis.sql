-- Sample sizes behind the survey intervals (mart__survey_sample_basis) for one area (for the home area: each
-- indicator's own catalogue area): a year with no published size, or an approximate (design) size, is named.
SELECT b.indicator_id, b.year, b.value, b.sample_size, b.sample_size_basis, b.basis_pl, b.basis_en
FROM mart__survey_sample_basis AS b
JOIN core__indicators AS i ON i.indicator_id = b.indicator_id
WHERE b.area_code = CASE WHEN $area_code = $home_area THEN i.area_code ELSE $area_code END
ORDER BY b.indicator_id, b.year
