-- check: no_overlap_between_imports
-- table: core__register_files
-- column: coverage_from
-- Two imports of one city's register never cover the same day (their reports would be counted twice); files of
-- one import may (an export split into files that share a boundary day).
SELECT a.source_file AS file_a, b.source_file AS file_b, a.area_code
FROM core__register_files AS a
JOIN core__register_files AS b
  ON a.area_code = b.area_code AND a.import_id < b.import_id
 AND a.coverage_from <= b.coverage_to AND b.coverage_from <= a.coverage_to
