-- Every observation of the given series (the comparisons page's rates, counts and population), all areas and
-- years: read once per published warehouse into a SeriesCube (bezpieczny.read.cube) and sliced per view.
SELECT series_id, area_code, year, value, source_file
FROM core__observations
WHERE list_contains($series_ids, series_id)
