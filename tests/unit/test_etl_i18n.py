"""etl's message catalogues: both languages say the same things, and numbers come out in each language's format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.i18n import MESSAGES_DIR, Number, catalogue, placeholders, translate

PARTS = sorted({p.name.split(".")[0] for p in MESSAGES_DIR.glob("*.json")})
ETL = Path(__file__).resolve().parents[2] / "etl"


def read(part: str, lang: str) -> dict[str, str]:
    return json.loads((MESSAGES_DIR / f"{part}.{lang}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("part", PARTS)
def test_polish_and_english_catalogues_have_the_same_keys_and_placeholders(part):
    pl, en = read(part, "pl"), read(part, "en")
    assert set(pl) == set(en)
    for key in pl:
        assert pl[key].strip() and en[key].strip(), key
        assert placeholders(pl[key]) == placeholders(en[key]), key


def test_every_part_exists_in_both_languages():
    assert PARTS and all((MESSAGES_DIR / f"{part}.{lang}.json").exists() for part in PARTS for lang in ("pl", "en"))


def test_numbers_in_messages_use_polish_format_with_typographic_minus():
    assert translate("narrative_change_ratio", "pl", change=-3.14) == "\u22123,1%"
    assert translate("narrative_change_pp", "pl", change=6.06) == "+6,1 pkt proc."
    assert translate("narrative_change_pp", "en", change=6.06) == "+6.1 pp"
    assert (
        translate("narrative_level_count", "pl", number=Number(14063.4, 1), noun="przestępstwa")
        == "14\u202f063,4 przestępstwa"
    )
    assert translate("narrative_level_count", "en", number=Number(14063.4, 1), noun="crimes") == "14,063.4 crimes"


def test_years_and_plain_text_are_inserted_as_they_are():
    assert translate("narrative_break_detail", "pl", year=2013, description="Od 2013 r.") == "2013 r.: Od 2013 r."
    assert (
        translate("report_title", "en", area="Powiat m. Kraków", period="2022–2024")
        == "Verdicts: Powiat m. Kraków, 2022–2024"
    )


def test_unknown_language_reads_as_polish_and_an_unknown_key_is_an_error():
    assert translate("verdict_word_maintained", "de") == "utrzymany"
    with pytest.raises(KeyError):
        translate("no_such_message", "pl")


def test_a_key_defined_in_two_parts_is_an_error(tmp_path):
    for part in ("a", "b"):
        (tmp_path / f"{part}.pl.json").write_text('{"same_key": "tekst"}', encoding="utf-8")
    with pytest.raises(ValueError, match="same_key"):
        catalogue("pl", tmp_path)


@pytest.mark.parametrize("path", ["evaluate/narrative.py", "evaluate/labels.py", "report.py"])
def test_user_texts_come_from_the_catalogues_not_from_language_branches(path):
    source = (ETL / path).read_text(encoding="utf-8")
    assert 'lang == "pl"' not in source and "lang == 'pl'" not in source


def test_the_dashboards_catalogues_read_the_same_through_etl_i18n():
    from bezpieczny import i18n as dashboard_i18n
    from etl.i18n import format_message

    for lang in ("pl", "en"):
        assert catalogue(lang, Path(dashboard_i18n.HERE)) == dashboard_i18n.catalogue(lang)
    text = dashboard_i18n.catalogue("pl")["trend_alt"]
    assert format_message(text, "pl", first=2013, last=2024, values="…") == dashboard_i18n.t(
        "trend_alt", "pl", first=2013, last=2024, values="…"
    )


def test_numbers_are_formatted_exactly_as_babel_formats_them():
    """format_number is a fast path for babel's format_decimal (pattern #,##0.0…, CLDR symbols, half-even rounding
    of the float's shortest decimal): both agree on halves, negatives, large and random values."""
    import random

    from babel.numbers import format_decimal

    from etl.i18n import format_number

    def babel(value: float, decimals: int, lang: str) -> str:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(abs(value), format=pattern, locale={"pl": "pl_PL", "en": "en_GB"}[lang])
        return ("\u2212" if round(value, decimals) < 0 else "") + text.replace("\u00a0", "\u202f")

    rng = random.Random(7)
    values = [0.0, -0.0, 0.5, 1.5, 2.5, 2.675, 999.95, 1234.5, -0.04, -2.5, 12345678.125, 1e9 + 0.5]
    values += [rng.uniform(-1e7, 1e7) for _ in range(400)] + [round(rng.uniform(-2e3, 2e3), 3) for _ in range(400)]
    for value in values:
        for decimals in (0, 1, 2, 3):
            for lang in ("pl", "en"):
                assert format_number(value, decimals, lang) == babel(value, decimals, lang), (value, decimals, lang)
    assert format_number(14063.44, 1, "pl") == "14\u202f063,4"
    assert format_number(-1234.5, 0, "en") == "\u22121,234"
