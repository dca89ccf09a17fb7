-- Areas a user may choose: country, voivodeships, powiats (Kraków first is done in Python).
SELECT area_code, area_name, area_level
FROM core__areas
ORDER BY CASE area_level WHEN 'country' THEN 0 WHEN 'voivodeship' THEN 1 ELSE 2 END, area_name
