-- For each value of the given indicators in its own catalogue area: its status (NULL = an ordinary value; else e.g.
-- confidential / not yet available, with the publisher's label) and the "data as of" date (GUS lastUpdate) or,
-- where none, the retrieval date.
SELECT i.indicator_id, o.area_code, o.year, o.value_status, o.attr_label_pl, o.attr_label_en,
       o.source_last_update, o.retrieved_at
FROM core__indicators AS i
JOIN core__observations AS o ON o.series_id = i.series_id AND o.area_code = i.area_code
WHERE list_contains($indicator_ids, i.indicator_id)
ORDER BY i.indicator_id, o.year
