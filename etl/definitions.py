"""Shared definitions: each named once here and imported everywhere else.

The home area, the peer city-powiats, the assessment periods and the verdict states are used by the build, the
read layer, the dashboard, the CLI and the notebooks; defining them in one place keeps those readers agreeing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# Kraków (city-powiat, TERYT 1261000): the programme's own area and the default everywhere.
HOME_AREA = "1261000"

# The city-powiats compared with Kraków, with their names (nominative) in the order they are listed. Read-only: the
# public API hands this very mapping to analysts (`api.PEER_AREAS`), and no caller may change it for the others.
PEER_AREAS: Mapping[str, str] = MappingProxyType(
    {
        "1465000": "Warszawa",
        "0264000": "Wrocław",
        "1061000": "Łódź",
        "3064000": "Poznań",
        "2261000": "Gdańsk",
    }
)

# Voivodeship (Małopolskie) and country, judged alongside the cities.
REGION_AREA = "1200000"
COUNTRY_AREA = "0000000"

# Assessment period ids as stored in mart__verdicts, in the order a user chooses them (programme period first).
ASSESSMENT_PERIODS: tuple[str, ...] = ("2022–2024", "2024", "2023", "2022", "latest")

# Readings of a verdict (issue 23): where the calibrated interval lies, in display order (worst first). A person
# reads these; the older states below stay in the API beside them.
READINGS: tuple[str, ...] = (
    "clearly_worse",
    "worse",
    "no_clear_change",
    "better",
    "clearly_better",
    "maintained",
    "cannot_judge",
    "no_data",
)
# The four outer readings: the interval excludes "no change".
CLEAR_READINGS: tuple[str, ...] = ("clearly_worse", "worse", "better", "clearly_better")

# What "the goal was met" can mean (issue 23 item 4): not worse by more than the band (the programme's wording, the
# default) or within the band both ways. The council's choice is the setting BEZPIECZNY_GOAL (etl.config).
GOAL_RULES: tuple[str, ...] = ("non_inferiority", "equivalence")

# Verdict states, in display order.
VERDICT_STATES: tuple[str, ...] = ("improved", "maintained", "worsened", "inconclusive", "no_data")
