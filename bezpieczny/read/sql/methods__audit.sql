-- The audit of changes to the published warehouse (core__editor_audit), newest first: who (display name only),
-- when, which file, rows, what changed and the result.
SELECT event_at, editor_name, action, file_name, sha256, row_count, changes, build_result, warehouse_id
FROM core__editor_audit
ORDER BY event_at DESC, event_id DESC
