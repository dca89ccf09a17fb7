-- What changed since the previous build (mart__revisions): each revised, new or withdrawn value with both
-- values, both "data as of" stamps and both source files.
SELECT r.change, r.source_id, r.series_id, r.area_code, a.area_name, r.year, r.old_value, r.new_value,
       r.old_last_update, r.new_last_update, r.old_source_file, r.new_source_file
FROM mart__revisions AS r
LEFT JOIN core__areas AS a USING (area_code)
ORDER BY r.change, r.series_id, r.area_code, r.year
