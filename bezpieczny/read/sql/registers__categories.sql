-- The register categories with their names and what each gathers, in display order.
SELECT category, name_pl, name_en, description_pl, description_en, display_order
FROM core__register_categories
ORDER BY display_order
