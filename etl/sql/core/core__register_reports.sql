-- Every city-guard register report imported by `bezpieczny import register`, one row per register row (repeats
-- included, marked in same_as), with the original type beside its category.
SELECT area_code, source_file, source_line, reported_at, report_number, description, type_original, category, place,
       report_status, fine_pln, closed_at, layout, repair_note, same_as
FROM stg_city_register__reports
