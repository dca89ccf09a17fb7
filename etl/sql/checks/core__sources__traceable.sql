-- check: traceable
-- table: core__observations
-- column: source_file
-- Every value's file is described in core__sources (publisher, licence, retrieval date).
SELECT DISTINCT o.source_id, o.source_file
FROM core__observations AS o
LEFT JOIN core__sources AS s USING (source_id, source_file)
WHERE s.source_file IS NULL
