-- Areas a reader can choose on the overview (and the trends and committee pages): country, voivodeships, powiats,
-- with their names and levels; Kraków is put first in Python.
SELECT area_code, area_name, area_level, voivodeship_code
FROM core__areas
ORDER BY CASE area_level WHEN 'country' THEN 0 WHEN 'voivodeship' THEN 1 ELSE 2 END, area_name, area_code
