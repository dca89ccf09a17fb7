"""Marts computed in Python (after the SQL layers): the verdicts, with the same functions readers import."""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.catalogue import load_catalogue
from etl.evaluate.labels import effect_text, verdict_text
from etl.evaluate.verdict import evaluate_catalogue

# Areas assessed in mart__verdicts: Kraków, the peer city-powiats, Małopolska and Poland. Other powiats are
# compared by rate on the dashboard, not given verdicts (they are not the programme's territory).
ASSESSED_AREAS = ("1261000", "1465000", "0264000", "1061000", "3064000", "2261000", "1200000", "0000000")



def indicator_values(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT indicator_id, area_code, year, value, numerator, denominator, sample_size "
        "FROM core__indicator_values WHERE area_code IN (SELECT unnest($areas))",
        {"areas": list(ASSESSED_AREAS)},
    ).df()


def verdicts(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """mart__verdicts: indicator × area × assessment period (2022, 2023, 2024, 2022–2024, latest)."""
    catalogue = load_catalogue()
    frame = evaluate_catalogue(indicator_values(con), catalogue)
    names = pd.DataFrame([{"indicator_id": i.id, "name_pl": i.name_pl, "name_en": i.name_en, "kind": i.kind,
                           "indicator_group": i.group, "display_order": i.order, "decimals": i.decimals}
                          for i in catalogue])
    frame = frame.merge(names, on="indicator_id", how="left", validate="many_to_one")
    frame["state_label_pl"] = frame["state"].map(lambda state: verdict_text(state, "pl"))
    frame["state_label_en"] = frame["state"].map(lambda state: verdict_text(state, "en"))
    frame["effect_text"] = [effect_text(r.effect, r.effect_kind, r.ci_low, r.ci_high, "pl") for r in frame.itertuples()]
    for column in ("assessment_years", "baseline_years", "flags"):
        frame[column] = frame[column].map(lambda items: [str(x) for x in items] if column == "flags"
                                          else [int(x) for x in items])
    return {"mart__verdicts": frame}
