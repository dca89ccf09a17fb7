-- Public API: areas with their names and levels (country, voivodeship, powiat).
SELECT area_code, area_name, area_level, voivodeship_code
FROM core__areas
ORDER BY area_code
