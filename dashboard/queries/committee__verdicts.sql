-- Each catalogue indicator's verdict for one assessment period in its own area (Kraków, or Poland for national
-- surveys), with the baseline and assessment years the slides draw; no verdict row = no data.
SELECT i.indicator_id, i.name_pl, i.name_en, i.unit, i.decimals, i.kind, i.indicator_group, i.display_order,
       i.area_code, i.source_id, i.direction,
       v.period_label, v.assessment_years, v.baseline_years, v.state, v.reason, v.assessment_value, v.baseline_value,
       v.effect, v.effect_kind, v.ci_low, v.ci_high, v.band_low, v.band_high, v.sentence_pl, v.sentence_en, v.flags
FROM core__indicators AS i
LEFT JOIN mart__verdicts AS v
  ON v.indicator_id = i.indicator_id AND v.area_code = i.area_code AND v.period_id = $period_id
ORDER BY i.kind, i.display_order, i.indicator_id
