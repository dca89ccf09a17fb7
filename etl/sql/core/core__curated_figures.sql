-- Every hand-curated figure with its citation, including multi-year and sub-year periods that are not
-- observations of a single year.
SELECT * FROM stg_curated__figures
