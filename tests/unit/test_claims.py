"""Every sentence that states a comparison is checked against its numbers by an independent computation.

Property-based (hypothesis): random values with ties and gaps. The rank and direction sentences are read back from
their rendered text (place numbers and the words naming the end they count from), so a template or a claim that
points the wrong way fails here, in both languages.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bezpieczny.views import objective_subjective as view
from etl.evaluate.claims import RankClaim, change_claim, rank_claim, rank_places

FAST = settings(max_examples=60, deadline=None)
# Values on a coarse grid so that ties are frequent; None is a gap (never ranked).
survey_values = st.lists(
    st.one_of(st.none(), st.integers(0, 40).map(lambda i: 50 + i / 2)), min_size=1, max_size=30
).filter(lambda values: any(v is not None for v in values))


def by_hand(values: list[float | None], value: float) -> dict[str, tuple[int, int]]:
    """Places (first, last) of `value` from each end, counted directly."""
    known = [v for v in values if v is not None]
    higher = sum(v > value for v in known)
    lower = sum(v < value for v in known)
    equal = sum(v == value for v in known)
    return {"highest": (higher + 1, higher + equal), "lowest": (lower + 1, lower + equal)}


def places_of(values: list[float | None]) -> pd.DataFrame:
    series = pd.Series(values, dtype="Float64")
    return pd.concat([series.rename("value"), rank_places(series)], axis=1).dropna(subset=["value"])


@FAST
@given(survey_values)
def test_rank_places_match_a_count_by_hand_from_both_ends_with_ties(values):
    known = [v for v in values if v is not None]
    for row in places_of(values).itertuples():
        expected = by_hand(values, row.value)
        assert (row.rank_from_highest, row.rank_from_highest + row.tied_count) == expected["highest"]
        assert (row.rank_from_lowest, row.rank_from_lowest + row.tied_count) == expected["lowest"]
        claim = rank_claim(row.value, row.rank_from_highest, row.tied_count, len(known), "highest")
        assert claim.holds(values) and claim.from_other_end().holds(values)


@FAST
@given(survey_values, st.data())
def test_a_rank_claim_pointing_to_the_other_end_fails(values, data):
    known = [v for v in values if v is not None]
    value = data.draw(st.sampled_from(known))
    places = by_hand(values, value)
    assume(places["highest"] != places["lowest"])  # a value in the exact middle holds the same place from both ends
    claim = RankClaim(value, "highest", *places["highest"], len(known))
    assert claim.holds(values)
    assert not claim.swapped().holds(values)


def test_gaps_are_never_ranked():
    places = places_of([None, 3.0, None, 1.0])
    assert list(places["rank_from_highest"]) == [1, 2] and list(places["rank_from_lowest"]) == [2, 1]
    assert not RankClaim(1.0, "lowest", 1, 1, 4).holds([None, 3.0, None, 1.0])  # gaps do not count as cities


# --- the rendered rank sentence, read back -------------------------------------------------------------------------
ENDS = {
    "pl": {"highest": "od najwyższej", "lowest": "od najniższej"},
    "en": {"highest": "from the highest", "lowest": "from the lowest"},
}
PLACE = r"(\d+)(?:\.|st|nd|rd|th)(?:–(\d+)(?:\.|st|nd|rd|th))?"


def read_back(sentence: str, lang: str) -> tuple[dict[str, tuple[int, int]], int]:
    """Places per end and the tie size as a reader finds them in the sentence."""
    found = {}
    for end, words in ENDS[lang].items():
        match = re.search(r"(?:– |\()" + PLACE + r"[^;()]*?" + words, sentence)
        assert match, (end, sentence)
        first = int(match.group(1))
        found[end] = (first, int(match.group(2) or first))
    tie = re.search(r"(?:ex aequo z|shared with) (\d+) (?:inn|other)", sentence)
    return found, int(tie.group(1)) if tie else 0


def home_row(values: list[float | None], index: int) -> pd.Series:
    places = places_of(values)
    row = places.loc[index]
    return pd.Series(
        {
            "value": row["value"],
            "rank_from_highest": row["rank_from_highest"],
            "rank_from_lowest": row["rank_from_lowest"],
            "tied_count": row["tied_count"],
            "cities_in_wave": len(places),
            "sample_size_basis": "none",
            "median_eu27_cities": 60.0,
            "median_all_cities": 61.0,
        }
    )


@FAST
@given(survey_values, st.data(), st.sampled_from(["pl", "en"]))
def test_the_home_rank_sentence_states_true_places_from_each_end_and_names_ties(values, data, lang):
    index = data.draw(st.sampled_from([i for i, v in enumerate(values) if v is not None]))
    sentence = view.home_rank_sentence(home_row(values, index), 2019, lang)
    found, tie = read_back(sentence, lang)
    expected = by_hand(values, values[index])
    assert found == expected, sentence
    assert tie == expected["highest"][1] - expected["highest"][0]
    assert f" {len([v for v in values if v is not None])} " in sentence  # "of N cities" / "wśród N miast"


def test_krakow_2019_night_safety_is_31st_from_the_highest_and_70th_from_the_lowest_in_both_languages():
    # 30 cities above Kraków's 78.9, 69 below: the shape of the 2019 wave (100 cities).
    values = [90.0] * 30 + [78.9] + [60.0] * 69
    row = home_row(values, 30)
    assert "31. miejsce wśród 100 miast, licząc od najwyższej wartości (70. od najniższej)" in view.home_rank_sentence(
        row, 2019, "pl"
    )
    assert "31st of 100 cities counted from the highest value (70th from the lowest)" in view.home_rank_sentence(
        row, 2019, "en"
    )


def test_a_four_way_tie_says_places_50_to_53_shared_with_3_other_cities():
    values = [90.0] * 49 + [81.0] * 4 + [70.0] * 47
    row = home_row(values, 50)
    assert "50.–53. miejsce wśród 100 miast" in view.home_rank_sentence(row, 2015, "pl")
    assert "ex aequo z 3 innymi miastami" in view.home_rank_sentence(row, 2015, "pl")
    english = view.home_rank_sentence(row, 2015, "en")
    assert "50th–53rd of 100 cities counted from the highest value (48th–51st from the lowest)" in english
    assert "shared with 3 other cities" in english
    assert "shared with 1 other city" in view.home_rank_sentence(home_row([2.0, 2.0, 1.0], 0), 2015, "en")


def test_english_ordinals():
    assert [view.ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th"
    ]  # fmt: skip


# --- up / down / unchanged -----------------------------------------------------------------------------------------
finite = st.floats(-1000, 1000, allow_nan=False).map(lambda v: round(v, 3))


@FAST
@given(finite, finite, st.integers(0, 2))
def test_a_change_claim_matches_the_printed_numbers_and_its_swap_fails(first, last, decimals):
    claim = change_claim(first, last, decimals)
    assert claim.holds()
    if claim.change != "flat":
        assert not claim.swapped().holds()


WORDS = {"en": {"up": ": up from", "down": ": down from", "flat": ": unchanged"}}
META = pd.DataFrame(
    {
        "indicator_id": ["crime", "fear"],
        "name_pl": ["Przestępstwa", "Obawy"],
        "name_en": ["Crimes", "Fear"],
        "decimals": [0, 1],
        "unit": ["count", "pct"],
        "direction": ["lower_is_better", "higher_is_better"],
    }
).set_index("indicator_id", drop=False)


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("\u2212", "-").rstrip("%"))


series_points = st.dictionaries(st.integers(2015, 2020), st.one_of(st.none(), finite), min_size=2, max_size=6)


@FAST
@given(series_points, series_points)
def test_direction_sentences_say_up_or_down_as_the_printed_numbers_go(crime, fear):
    def frame(points):
        return pd.DataFrame({"year": list(points), "value": [math.nan if v is None else v for v in points.values()]})

    for sentence in view.direction_sentences({"crime": frame(crime), "fear": frame(fear)}, META, "en")[1:]:
        match = re.match(r"(\w+): (up from|down from|unchanged –) (\S+) \((\d+)\) (?:to|and) (\S+) \((\d+)\)", sentence)
        if match is None:
            assert "fewer than two" in sentence or sentence.endswith("no data"), sentence
            continue
        word, first, last = match.group(2), number(match.group(3)), number(match.group(5))
        expected = "unchanged –" if first == last else ("up from" if last > first else "down from")
        assert word == expected, sentence
        assert int(match.group(4)) < int(match.group(6))


@FAST
@given(st.lists(finite, min_size=2, max_size=2), st.lists(finite, min_size=2, max_size=2))
def test_divergence_sentences_say_fell_and_did_not_rise_only_when_the_numbers_do(crime, fear):
    years = (2016, 2017)
    text = view.divergence_sentence(
        years, (pd.Series(crime, index=years), "crime"), (pd.Series(fear, index=years), "fear"), META, "en"
    )
    c0, c1 = (number(view.fmt_number(v, "en", 0)) for v in crime)
    f0, f1 = (number(view.fmt_number(v, "en", 1)) for v in fear)
    crime_better, feeling_better = c1 < c0, f1 > f0  # crime: lower is better; the survey item: higher is better
    if text is None:
        assert crime_better == feeling_better
    elif "crime fell" in text:
        assert crime_better and not feeling_better, text
    else:
        assert "the feeling of safety rose" in text and feeling_better and not crime_better, text


# --- above / below the national rate (comparisons funnel) ----------------------------------------------------------
@FAST
@given(st.integers(1_000, 2_000_000), st.floats(1.0, 60.0), st.floats(-6.0, 6.0))
def test_the_funnel_position_says_higher_or_lower_only_beyond_the_limits_the_numbers_give(population, rate, z):
    from scipy.stats import poisson

    from bezpieczny.i18n import t
    from etl.evaluate.funnel import poisson_positions

    expected = rate * population / 1000.0
    count = max(0, round(expected + z * math.sqrt(expected)))  # around the funnel, where the words change
    low95, high95, low998, high998 = poisson.ppf([0.025, 0.975, 0.001, 0.999], expected)
    for lang, (higher, lower) in (("pl", ("wyżej", "niżej")), ("en", ("higher", "lower"))):
        text = t(f"comparisons_position_{poisson_positions([count], [population], rate)[0]}", lang)
        assert (higher in text) == (count > high95), text
        assert (lower in text) == (count < low95), text
        assert ("99,8" in text or "99.8" in text) == (count > high998 or count < low998), text
