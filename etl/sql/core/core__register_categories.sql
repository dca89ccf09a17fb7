-- The documented categories of register reports (etl/sources/city_imports/taxonomy.yaml), in display order.
SELECT category, name_pl, name_en, description_pl, description_en, display_order
FROM stg_city_register__categories
