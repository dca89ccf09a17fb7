-- The audit of uploads, builds and restores as it stood when this warehouse was built (etl/editors/audit.py):
-- who (display name only), when, which file and its sha256, rows, what changed, the build's result.
SELECT event_id, event_at, editor_name, action, file_name, sha256, row_count, changes, build_result, warehouse_id
FROM stg_editors__audit
