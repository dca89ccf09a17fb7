"""Message catalogues: every key in both languages, placeholders alike, numbers in Polish format."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest

from bezpieczny.i18n import HERE, catalogue, dropdown_labels, fmt_number, language, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("part", sorted({p.name.split(".")[0] for p in Path(HERE).glob("*.json")}))
def test_each_catalogue_pair_has_the_same_keys_and_placeholders(part):
    pl = json.loads((HERE / f"{part}.pl.json").read_text(encoding="utf-8"))
    en = json.loads((HERE / f"{part}.en.json").read_text(encoding="utf-8"))
    assert set(pl) == set(en)
    for key in pl:
        assert pl[key].strip() and en[key].strip(), key
        assert placeholders(pl[key]) == placeholders(en[key]), key


def test_merged_catalogues_and_lookups():
    assert len(catalogue("pl")) == len(catalogue("en")) > 100
    assert t("no_data", "pl") == "brak danych" and t("no_data", "en") == "no data"
    assert language("de") == "pl" and language(None) == "pl"
    assert dropdown_labels("pl")["selected_count"] == "wybrano: {num_selected}"


def test_numbers_use_polish_typography_and_no_data_is_never_zero():
    assert fmt_number(24870, "pl") == "24\u202f870"
    assert fmt_number(47.1, "pl", 1) == "47,1"
    assert fmt_number(-3.14, "pl", 2) == "\u22123,14"
    assert fmt_number(24870, "en") == "24,870"
    assert fmt_number(None, "pl") == "brak danych" and fmt_number(float("nan"), "en") == "no data"
