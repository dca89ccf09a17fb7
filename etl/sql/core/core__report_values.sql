-- Figures of report tables imported by `bezpieczny import report` (yearly reports, survey results, programme
-- activities): one cited value per indicator, area and period. When a later import gives the same indicator, area
-- and period again, the later one is kept (an editor's correction).
SELECT report_indicator, indicator_name, area_code, area_name, period, period_kind, year, quarter, month_number,
       value, unit, source_title, url, document_reference, quote, notes, source_file, source_line, retrieved_at,
       import_id
FROM stg_city_report__values
QUALIFY row_number() OVER (PARTITION BY report_indicator, area_code, period
                           ORDER BY retrieved_at DESC, source_file DESC, source_line DESC) = 1
