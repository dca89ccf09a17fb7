-- Indicators that have a verdict (other than "no data") for at least one powiat: the choices of the verdict map,
-- in catalogue order.
SELECT v.indicator_id, any_value(v.name_pl) AS name_pl, any_value(v.name_en) AS name_en,
       min(v.display_order) AS display_order, any_value(v.kind) AS kind
FROM mart__verdicts AS v
JOIN core__areas AS a ON a.area_code = v.area_code AND a.area_level = 'powiat'
WHERE v.state <> 'no_data'
GROUP BY v.indicator_id
ORDER BY any_value(v.kind), display_order, v.indicator_id
