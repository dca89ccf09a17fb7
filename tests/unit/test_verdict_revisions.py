"""A verdict whose inputs were revised at the last refresh says so: in the API, on the overview card and in the
committee deck. Two builds into a temporary warehouse, the second with Kraków's 2024 count of crimes of criminal
character changed in the snapshot (synthetic change, test only)."""

from __future__ import annotations

import shutil

import pytest

from bezpieczny import api, read
from bezpieczny.views import deck, scorecard
from etl.build import build
from etl.definitions import HOME_AREA
from tests.unit.test_revisions import change_krakow_value

REVISED = "crimes_count__criminal"
# Computed from the changed count: the rate uses it as numerator, the detection rate as its denominator.
COMPUTED_FROM_IT = ("crimes_per_1000__criminal", "detection_rate_pct__criminal")


@pytest.fixture(scope="module")
def revised_warehouse(tmp_path_factory, tiny_snapshot_dir):
    root = tmp_path_factory.mktemp("revised")
    snapshot = root / "snapshot"
    shutil.copytree(tiny_snapshot_dir, snapshot)
    warehouse = root / "wh" / "bezpieczny.duckdb"
    build(snapshot_dir=snapshot, raw_dir=root / "no-raw", warehouse=warehouse)
    old = change_krakow_value(snapshot, 13700.0)
    assert old != 13700.0
    build(snapshot_dir=snapshot, raw_dir=root / "no-raw", warehouse=warehouse)
    previous = read.warehouse().path
    read.set_warehouse(warehouse)
    yield warehouse
    read.set_warehouse(previous)


def test_verdicts_using_the_revised_value_count_it_and_others_do_not(revised_warehouse):
    frame = api.verdicts(HOME_AREA)
    revised = frame[frame["inputs_revised"] > 0]
    pairs = set(zip(revised["indicator_id"], revised["period_id"], strict=True))
    # Exactly the verdicts whose series, or the count they are computed from, had the 2024 value among their years
    # (Kraków's latest year is 2024 for these); not 2022 or 2023, not the other crime categories.
    assert pairs == {
        (indicator, period) for indicator in (REVISED, *COMPUTED_FROM_IT) for period in ("2024", "2022–2024", "latest")
    }
    assert (revised["inputs_revised"] == 1).all()
    assert all(list(years) == [2024] for years in revised["inputs_revised_years"])
    untouched = frame[frame["inputs_revised"] == 0]
    assert len(untouched) == len(frame) - len(revised) and len(untouched) > 100
    assert (api.verdicts("1465000")["inputs_revised"] == 0).all()  # Warszawa's inputs did not change


def test_overview_card_says_the_inputs_changed_in_both_languages(revised_warehouse):
    def notes(lang: str, period: str) -> dict[str, tuple[str, ...]]:
        return {tile.indicator_id: tile.notes for column in scorecard.scorecard(period, lang) for tile in column.tiles}

    pl, en = notes("pl", "2024"), notes("en", "2024")
    assert "Dane wejściowe zmienione przy ostatnim odświeżeniu: 1 wartość (2024)." in pl[REVISED]
    assert "Input data changed at the last refresh: 1 value (2024)." in en[REVISED]
    assert not any("odświeżeniu" in note for note in pl["crimes_count__property"])
    assert not any("odświeżeniu" in note for note in notes("pl", "2023")[REVISED])


def test_committee_deck_names_the_revised_verdict(revised_warehouse):
    slides = deck.build_deck("2024", "pl")
    table = next(s for s in slides if s.kind == "scorecard")
    summary = table.lines[0]
    assert "Dane wejściowe zmienione przy ostatnim odświeżeniu —" in summary
    assert "Przestępstwa o charakterze kryminalnym: 1 (2024)" in summary
    assert "property" not in summary and "mieniu" not in summary
    # no indicator slide for a "no clear change" (a row of the table): none carries the revision line of another
    for slide in (s for s in slides if s.kind == "indicator" and s.indicator_id != REVISED):
        assert not any("odświeżeniu" in line for line in slide.lines)
    english = next(s for s in deck.build_deck("2024", "en") if s.kind == "scorecard")
    assert "Input data changed at the last refresh" in english.lines[0]
