"""Comparison claims as data: what was compared, in which direction, and a check against the numbers.

A sentence that says "31st of 100 from the highest" or "up from 10.0 to 12.5" is rendered from one of these
records, never from a bare number, so the direction travels with the number. Each claim can check itself against
the numbers it was made from (`holds`) by a computation independent of the one that made it (the build ranks with
pandas; `holds` counts), and `swapped()` gives the same claim pointing the other way, which must then fail.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

import pandas as pd

from etl.i18n import format_number

End = Literal["highest", "lowest"]
Change = Literal["up", "down", "flat"]
_SWAPPED: dict[Change, Change] = {"up": "down", "down": "up", "flat": "flat"}
OTHER_END: dict[str, End] = {"highest": "lowest", "lowest": "highest"}


def _known(values: Sequence[float | None]) -> list[float]:
    """The values that are data (None and NaN are gaps: never ranked, never zero)."""
    return [
        float(v) for v in values if v is not None and not (isinstance(v, float) and math.isnan(v)) and v is not pd.NA
    ]


@dataclass(frozen=True)
class RankClaim:
    """`value` holds places `first_place`..`last_place` of `of` values counted from `counted_from` (1 = that end).
    A tie is a range of places: four cities sharing 81.0 hold places 50–53, each "shared with 3 others"."""

    value: float
    counted_from: End
    first_place: int
    last_place: int
    of: int

    @property
    def shared_with(self) -> int:
        """How many other values share this one's places (0 without a tie)."""
        return self.last_place - self.first_place

    def swapped(self) -> RankClaim:
        """The same places counted from the other end (a true claim becomes false unless it sits in the middle)."""
        return replace(self, counted_from=OTHER_END[self.counted_from])

    def from_other_end(self) -> RankClaim:
        """The equivalent true claim counted from the other end (place p of n is place n + 1 - p from there)."""
        return RankClaim(
            self.value,
            OTHER_END[self.counted_from],
            self.of + 1 - self.last_place,
            self.of + 1 - self.first_place,
            self.of,
        )

    def holds(self, values: Sequence[float | None]) -> bool:
        """True when the places are right for `values` (gaps left out), counted by hand rather than ranked."""
        known = _known(values)
        beyond = sum(1 for v in known if (v > self.value if self.counted_from == "highest" else v < self.value))
        equal = sum(1 for v in known if v == self.value)
        return (
            equal >= 1
            and self.of == len(known)
            and self.first_place == beyond + 1
            and self.last_place == beyond + equal
        )


def rank_places(values: pd.Series) -> pd.DataFrame:
    """Per value: `rank_from_highest` and `rank_from_lowest` (the first place of its tie group from each end) and
    `tied_count` (how many other values share it); gaps get no place (NA)."""
    high = values.rank(ascending=False, method="min")
    low = values.rank(ascending=True, method="min")
    tied = values.groupby(values).transform("size") - 1
    return pd.DataFrame(
        {
            "rank_from_highest": high.astype("Int64"),
            "rank_from_lowest": low.astype("Int64"),
            "tied_count": tied.where(values.notna()).astype("Int64"),
        },
        index=values.index,
    )


def rank_claim(value: float, rank_from: int, tied_count: int, of: int, counted_from: End) -> RankClaim:
    """The claim from the warehouse's fields (`rank_from_<end>`, `tied_count`, the number of values ranked)."""
    return RankClaim(float(value), counted_from, int(rank_from), int(rank_from) + int(tied_count), int(of))


@dataclass(frozen=True)
class ChangeClaim:
    """Between two measurements of one series: `change` is up / down / flat for the values as displayed (rounded to
    `decimals`), so a sentence never says "up" between two equal printed numbers."""

    first: float
    last: float
    decimals: int
    change: Change

    def swapped(self) -> ChangeClaim:
        return replace(self, change=_SWAPPED[self.change])

    def holds(self) -> bool:
        """Compares the two numbers as a reader sees them printed (the product's number format, read back)."""
        a, b = (
            Decimal(format_number(v, self.decimals, "en").replace(",", "").replace("\u2212", "-"))
            for v in (self.first, self.last)
        )
        return self.change == ("flat" if a == b else "up" if b > a else "down")


def _displayed(value: float, decimals: int) -> Decimal:
    """The value rounded as the product prints it: its shortest repr, half-even (as `etl.i18n.format_number`)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)


def change_claim(first: float, last: float, decimals: int) -> ChangeClaim:
    """up / down / flat between two values as displayed with `decimals` decimals."""
    a, b = _displayed(first, decimals), _displayed(last, decimals)
    return ChangeClaim(float(first), float(last), int(decimals), "flat" if a == b else ("up" if b > a else "down"))


def better_or_worse(claim: ChangeClaim, direction: str) -> Literal["better", "worse", "flat", "not_judged"]:
    """What a change means for an indicator whose catalogue `direction` is lower/higher_is_better."""
    if claim.change == "flat":
        return "flat"
    if direction not in ("lower_is_better", "higher_is_better"):
        return "not_judged"
    return "better" if (claim.change == "down") == (direction == "lower_is_better") else "worse"
