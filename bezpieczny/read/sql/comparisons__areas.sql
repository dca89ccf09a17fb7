-- Areas a user can compare: every powiat, voivodeship and Poland (validated ids come from here).
SELECT area_code, area_name, area_level, voivodeship_code
FROM core__areas
ORDER BY CASE area_level WHEN 'country' THEN 0 WHEN 'voivodeship' THEN 1 ELSE 2 END, area_name
