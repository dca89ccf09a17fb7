-- check: known_category
-- table: core__register_reports
-- column: category
-- Every report's category is one of the documented taxonomy's.
SELECT r.source_file, r.source_line, r.category
FROM core__register_reports AS r
LEFT JOIN core__register_categories AS c USING (category)
WHERE c.category IS NULL
