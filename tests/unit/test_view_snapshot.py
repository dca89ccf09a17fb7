"""70 views of the overview, trends and comparisons pages, pinned: the layout JSON each address gives (exactly as
Dash encodes it) and the rows behind every chart of it (what the data table and the CSV/XLSX downloads serve).

The record holds one SHA-256 per layout and per chart's rows, written by the code of the time with

    BEZPIECZNY_RECORD_VIEWS=1 .venv/bin/python -m pytest -q tests/unit/test_view_snapshot.py

A refactoring of the read side must leave every digest as it is. When a view changes on purpose, record again and
say why in the commit. On a mismatch the test writes what it got to `$TMPDIR/view-snapshot/<view>.json`, so a
diff against the same file of the recorded code shows what moved.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd
import plotly.io.json
import pytest

RECORD = Path(__file__).resolve().parent.parent / "fixtures" / "view_snapshot.json"
DUMP = Path(tempfile.gettempdir()) / "view-snapshot"

OVERVIEW = [
    "?lang=pl",
    "?lang=en",
    "?lang=pl&period=2024",
    "?lang=en&period=2023",
    "?lang=pl&period=2022",
    "?lang=en&period=latest",
    "?lang=pl&period=2022–2024",
    "?lang=pl&area=0661000",
    "?lang=en&area=1465000",
    "?lang=pl&area=1200000",
    "?lang=en&area=0000000",
    "?lang=pl&area=1263000&period=2024",
    "?lang=en&area=0264000&period=latest",
    "?lang=pl&area=1261000&period=2023",
    "?lang=pl&area=9999999",
    "?lang=en&period=1999",
    "?lang=pl&area=abc&period=zz",
    "?lang=en&area=1206000&period=2022",
    "?lang=pl&area=3064000",
    "?lang=en&area=2261000&period=2024",
]
TRENDS = [
    "?lang=pl",
    "?lang=en",
    "?lang=pl&measure=per_1000",
    "?lang=en&ind=crimes_count__criminal,crimes_count__property",
    "?lang=pl&ind=crimes_count__criminal,crimes_count__property&measure=per_1000",
    "?lang=pl&ind=crimes_per_1000__total&measure=count",
    "?lang=en&ind=crimes_count__traffic&area=0661000",
    "?lang=pl&ind=crimes_count__criminal&area=1465000",
    "?lang=pl&ind=crimes_count__criminal&area=0000000",
    "?lang=en&ind=crimes_count__criminal&area=1200000&measure=per_1000",
    "?lang=pl&ind=nope,crimes_count__criminal",
    "?lang=pl&area=9999999",
    "?lang=en&measure=weird",
    "?lang=pl&ind=a,b,c,d,e",
    "?lang=pl&ind=crimes_count__criminal,crimes_count__property,crimes_count__traffic,crimes_count__family,"
    "crimes_count__economic",
    "?lang=en&ind=crimes_count__life_health&area=1263000",
    "?lang=pl&ind=crimes_count__freedom_sexual&area=0264000",
    "?lang=pl&reg=1261000",
    "?lang=en&reg=0264000",
    "?lang=pl&reg=zzz&regcat=zzz",
    "?lang=pl&ind=crimes_count__total&area=1261000",
    "?lang=en&ind=crimes_count__total,crimes_per_1000__total",
    "?lang=pl&area=abc",
    "?lang=en&ind=crimes_count__criminal&area=3064000",
    "?lang=pl&ind=crimes_count__property&area=2261000&measure=per_1000",
]
COMPARISONS = [
    "?lang=pl",
    "?lang=en",
    "?lang=pl&cat=criminal",
    "?lang=en&cat=property&year=2016",
    "?lang=pl&cat=traffic&year=2023",
    "?lang=pl&cat=total&year=2013&areas=1263000,0661000",
    "?lang=en&cat=family&year=2014",
    "?lang=pl&cat=freedom_sexual&year=2021&areas=0264000",
    "?lang=pl&cat=economic&year=2018",
    "?lang=en&cat=life_health&year=2024&areas=1261000",
    "?lang=pl&funnel=multiplicative",
    "?lang=en&cat=total&year=2023&funnel=multiplicative",
    "?lang=pl&map=voivodeship",
    "?lang=en&map=powiat&cat=criminal",
    "?lang=pl&period=2024",
    "?lang=en&period=2022–2024",
    "?lang=pl&period=latest",
    "?lang=pl&cat=nope",
    "?lang=en&year=1890",
    "?lang=pl&areas=9999999",
    "?lang=pl&map=zzz",
    "?lang=en&funnel=zzz",
    "?lang=pl&cat=property&year=2019&areas=1465000,1261000&funnel=multiplicative",
    "?lang=en&cat=traffic&map=voivodeship&period=2023",
    "?lang=pl&cat=criminal&year=2020&areas=1263000",
]
VIEWS = [("/", s) for s in OVERVIEW] + [("/trendy", s) for s in TRENDS] + [("/porownania", s) for s in COMPARISONS]


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chart_rows(layout) -> dict[str, str]:
    """{chart id: its rows as CSV} for every chart panel of the layout (rows built by the panel's own function)."""
    rows = {}
    for component in [layout, *getattr(layout, "_traverse", lambda: [])()]:
        ident = getattr(component, "id", None)
        frame = getattr(component, "_chart_frame", None)
        if isinstance(ident, str) and ident.startswith("panel-") and frame is not None:
            frame = frame() if callable(frame) else frame
            frame = frame if isinstance(frame, pd.DataFrame) else pd.DataFrame.from_records(frame or [])
            rows[ident.removeprefix("panel-")] = frame.to_csv(index=False)
    return rows


def view_record(page_layout, search: str) -> dict:
    from dashboard.url_state import parse_query

    layout = page_layout(**parse_query(search))
    # Key order normalised: Dash keeps a component's `data-*` properties in an order that varies between processes.
    text = json.dumps(json.loads(plotly.io.json.to_json_plotly(layout)), sort_keys=True, ensure_ascii=False)
    return {"layout": text, "rows": chart_rows(layout)}


def key_of(path: str, search: str) -> str:
    return path + search


@pytest.fixture(scope="module")
def layouts(dashboard_app):
    import dash

    return {page["path"]: page["layout"] for page in dash.page_registry.values()}


def test_the_record_covers_seventy_distinct_views():
    assert len(VIEWS) == 70 and len(set(VIEWS)) == 70


def test_seventy_views_keep_their_layout_and_chart_rows(layouts):
    found = {}
    for path, search in VIEWS:
        record = view_record(layouts[path], search)
        found[key_of(path, search)] = {
            "layout": digest(record["layout"]),
            "rows": {chart: digest(csv) for chart, csv in sorted(record["rows"].items())},
            "_plain": record,
        }
    if os.environ.get("BEZPIECZNY_RECORD_VIEWS"):
        plain = {key: {k: v for k, v in value.items() if k != "_plain"} for key, value in found.items()}
        RECORD.write_text(json.dumps(plain, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    changed = []
    for key, value in found.items():
        if recorded.get(key) != {k: v for k, v in value.items() if k != "_plain"}:
            changed.append(key)
            DUMP.mkdir(exist_ok=True)
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", key)[:150]
            (DUMP / f"{name}.json").write_text(json.dumps(value["_plain"], indent=1, ensure_ascii=False))
    assert not changed, f"{len(changed)} views changed (written to {DUMP}): {changed[:5]}"


def test_the_record_holds_the_charts_of_trends_and_comparisons():
    # The overview draws sparklines on its cards, not chart panels: its record is the layout alone.
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    for path in ("/trendy", "/porownania"):
        assert any(record["rows"] for key, record in recorded.items() if key.startswith(path + "?")), path
