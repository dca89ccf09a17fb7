-- Every value with a status (e.g. confidential, not yet available; NULL status = an ordinary value, not listed),
-- with the publisher's label, per indicator, area and year. Read once per published warehouse by the trends page.
SELECT i.indicator_id, o.area_code, o.year, o.value_status, o.attr_label_pl, o.attr_label_en
FROM core__indicators AS i
JOIN core__observations AS o ON o.series_id = i.series_id
WHERE o.value_status IS NOT NULL
ORDER BY o.area_code, i.indicator_id, o.year
