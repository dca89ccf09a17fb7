-- The goal rule the published verdicts were judged with (the build's setting BEZPIECZNY_GOAL): one row.
SELECT DISTINCT goal_rule FROM mart__verdicts WHERE goal_rule IS NOT NULL
