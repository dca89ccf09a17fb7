"""Overview view (page Przegląd, `/`), one contract:

- `State` — what the URL holds (`period`, `area`); `State.from_query(snap, query)` validates it once against the
  read snapshot (a rejected value is named back, for the page's friendly message, and replaced by the default),
  `to_query()` writes it back (Kraków, the default area, keeps the URL short);
- `view(snap, state, lang)` — what the page shows, a plain dataclass (`OverviewView`: the "in short" lines and the
  objective and subjective columns of tiles, `bezpieczny.views.scorecard`);
- the overview draws no chart panel (each tile's sparkline is `bezpieczny.charts.sparkline.sparkline_svg` of its
  values), so `rows(chart_id)` gives nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bezpieczny import read
from bezpieczny.views import scorecard
from bezpieczny.views.in_short import in_short
from etl.definitions import ASSESSMENT_PERIODS, HOME_AREA

PARAMETERS = ("period", "area")
SHOWN_AREA_CHARS = 40  # a rejected area is echoed in the message, cut to this length


@dataclass(frozen=True)
class State:
    """A valid overview: the assessment period and the area (Kraków by default)."""

    period: str = scorecard.DEFAULT_PERIOD
    area: str = HOME_AREA

    @classmethod
    def from_query(cls, snap: read.Snapshot, query: Mapping[str, object]) -> tuple[State, dict[str, str]]:
        """The state of a URL query and the rejected values by parameter ({'period': 'x', 'area': 'y'}; empty
        when the link was fine): the page names a bad period and a bad area in different words. Never raises."""
        rejected = {}
        period = query.get("period", scorecard.DEFAULT_PERIOD)
        if period not in ASSESSMENT_PERIODS:
            rejected["period"], period = str(period), scorecard.DEFAULT_PERIOD
        area = str(query.get("area") or HOME_AREA)
        try:
            snap.known_area(area)
        except read.UnknownIdError:
            rejected["area"], area = str(area)[:SHOWN_AREA_CHARS], HOME_AREA
        return cls(period, area), rejected

    def to_query(self) -> dict[str, str]:
        return {"period": self.period, **({"area": self.area} if self.area != HOME_AREA else {})}


@dataclass(frozen=True)
class OverviewView:
    """An area's scorecard for a period: the "in short" lines, the objective and subjective columns of tiles, and
    the area's label (empty for Kraków, the page's own heading)."""

    state: State
    lang: str
    area_label: str
    in_short: tuple[tuple[str, str], ...]
    columns: tuple[scorecard.ScorecardColumn, ...]

    @property
    def home(self) -> bool:
        return self.state.area == HOME_AREA

    def rows(self, chart_id: object) -> None:
        """No chart panel on the overview: nothing to download."""
        return None


def view(snap: read.Snapshot, state: State, lang: str) -> OverviewView:
    """The overview's content for a valid state (`State.from_query`)."""
    label = "" if state.area == HOME_AREA else scorecard.area_label(state.area, lang)
    lines = in_short(scorecard.area_card(snap, state.area, state.period)["card"], lang)
    columns = scorecard.scorecard(snap, state.period, lang, state.area)
    return OverviewView(state, lang, label, tuple(lines), tuple(columns))
