-- Whether the EU city survey covers an area (mart__survey_city_status): one row per indicator the area has a
-- status for; an indicator missing here is not surveyed in that area.
SELECT DISTINCT indicator_id
FROM mart__survey_city_status
WHERE area_code = $area_code
