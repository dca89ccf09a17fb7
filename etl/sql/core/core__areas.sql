-- Every area the warehouse knows, from GUS BDL's own names and codes.
SELECT area_code, area_name, area_level, voivodeship_code
FROM stg_gus_bdl__areas
