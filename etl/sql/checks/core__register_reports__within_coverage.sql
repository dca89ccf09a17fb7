-- check: report_within_its_file_period
-- table: core__register_reports
-- column: reported_at
-- Every report lies within the period its file covers (else its month could be counted as uncovered).
SELECT r.source_file, r.source_line, r.reported_at, f.coverage_from, f.coverage_to
FROM core__register_reports AS r
JOIN core__register_files AS f USING (source_file)
WHERE CAST(r.reported_at AS DATE) NOT BETWEEN f.coverage_from AND f.coverage_to
