-- Each imported register file: its city, the period it covers (which makes a month complete or partial), its
-- publisher and the credit line shown on every chart of its data.
SELECT area_code, area_name, source_file, original_name, coverage_from, coverage_to, coverage_basis, publisher,
       attribution, import_id, retrieved_at, report_count
FROM stg_city_register__files
