-- Per indicator and area, what "data as of" is said from: the publisher's last recorded update (GUS lastUpdate) of
-- the latest year that has one, and the latest retrieval date. Read once per published warehouse.
SELECT i.indicator_id, o.area_code,
       arg_max(o.source_last_update, o.year) FILTER (
           WHERE o.source_last_update IS NOT NULL AND NOT starts_with(o.source_last_update, 'not recorded')
       ) AS source_last_update,
       max(o.retrieved_at) AS retrieved_at
FROM core__indicators AS i
JOIN core__observations AS o ON o.series_id = i.series_id
GROUP BY i.indicator_id, o.area_code
ORDER BY o.area_code, i.indicator_id
