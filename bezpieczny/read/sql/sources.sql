SELECT source_id, source_file, publisher, licence, retrieved_at, url, content, via
FROM core__sources
ORDER BY source_id, source_file
