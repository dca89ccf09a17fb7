-- The indicator catalogue as a table, so readers list indicators (with their metadata) from the warehouse.
SELECT * FROM stg_catalogue__indicators
