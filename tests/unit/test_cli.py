"""Every command explains itself."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from dashboard.cli import app

runner = CliRunner()


def test_top_level_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("snapshot", "build", "check", "serve", "fetch"):
        assert command in result.output


@pytest.mark.parametrize(
    "command, words",
    [
        ("snapshot", "Parquet"),
        ("build", "atomic"),
        ("check", "verdict"),
        ("serve", "gunicorn"),
        ("fetch", "network"),
    ],
)
def test_each_command_has_help(command, words):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert words in result.output


def test_check_prints_the_polish_verdict_table_for_krakow(warehouse_path, monkeypatch):
    from etl.config import settings

    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("COLUMNS", "200")
    settings.cache_clear()
    try:
        result = runner.invoke(app, ["check", "--period", "2024"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "data checks passed" in result.output
    assert "Powiat m. Kraków, 2024" in result.output
    line = next(text for text in result.output.splitlines() if "Przestępstwa o charakterze" in text)
    # Calibrated default: the interval allows for year-to-year variation (the exact Poisson one was [0,951; 0,986])
    # and is read against "no change": it contains 1, so "no clear change".
    assert "◇ B bez wyraźnej zmiany" in line and "×0,969 [0,730; 1,286]" in line
    assert "nierozstrzyg" not in result.output
    assert "13\u202f621 / 14\u202f063" in line


def test_check_without_a_warehouse_says_what_to_do(tmp_path, monkeypatch):
    from etl.config import settings

    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(tmp_path / "none.duckdb"))
    settings.cache_clear()
    try:
        result = runner.invoke(app, ["check"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 2 and "bezpieczny build" in result.output


def test_check_for_an_unknown_area_code_says_which_codes_exist(warehouse_path, monkeypatch):
    from etl.config import settings

    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse_path))
    settings.cache_clear()
    try:
        result = runner.invoke(app, ["check", "--area", "9999999", "--lang", "en"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 2
    assert "Unknown area code 9999999" in result.output and "1465000 (Warszawa)" in result.output


def test_check_for_another_powiat_prints_its_name_and_sentences(warehouse_path, monkeypatch):
    from etl.config import settings

    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("COLUMNS", "200")
    settings.cache_clear()
    try:
        result = runner.invoke(app, ["check", "--area", "1206000", "--period", "2024"])
    finally:
        settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "Obszar: Powiat krakowski (kod 1206000)" in result.output
    assert "Przestępstwa o charakterze kryminalnym: w 2024 r." in " ".join(result.output.split())
