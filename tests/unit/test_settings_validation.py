"""Every setting is checked when a command starts (#28 item 7): a malformed value gives one line naming the variable
and the allowed values, exit code 2, no traceback; command options are range-checked; bad API arguments raise a
clear TypeError/ValueError, never an internal error."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bezpieczny import api
from dashboard.cli import app
from dashboard.settings import settings as dashboard_settings
from etl.config import SettingsError, settings


@pytest.fixture(autouse=True)
def fresh_settings():
    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("BEZPIECZNY_EXPORT_SLOTS", "abc", "a whole number from 1 to 64"),
        ("BEZPIECZNY_EXPORT_SLOTS", "0", "a whole number from 1 to 64"),
        ("BEZPIECZNY_HTTP_TIMEOUT_S", "abc", "a number from 0.1 to 3600"),
        ("BEZPIECZNY_HTTP_TIMEOUT_S", "nan", "a number from 0.1 to 3600"),
        ("BEZPIECZNY_CACHE_MB", "abc", "a number from 1 to 65536"),
        ("BEZPIECZNY_EXPORT_QUEUE", "-3", "a whole number from 1 to 1000"),
        ("BEZPIECZNY_API_SQL_TIMEOUT_S", "1e99", "a number from 0.1 to 86400"),
        ("BEZPIECZNY_API_SQL_MEMORY_MB", "1.5", "a whole number from 16 to 1048576"),
        ("BEZPIECZNY_BDL_API_URL", "ftp://x", "http:// or https:// URL"),
        ("BEZPIECZNY_EDITOR_SESSION_MINUTES", "0", "a whole number from 1 to 1440"),
        ("BEZPIECZNY_EDITOR_COOKIE_SECURE", "maybe", "is not 1 or 0"),
    ],
)
def test_a_malformed_setting_gives_one_line_naming_it_and_exit_2(monkeypatch, variable, value, allowed):
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["check"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert variable in lines[0] and allowed in lines[0] and "Traceback" not in result.output


def test_a_malformed_redis_url_is_named_but_never_echoed(monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_REDIS_URL", "http://user:secret@host")
    with pytest.raises(SettingsError, match="BEZPIECZNY_REDIS_URL") as caught:
        dashboard_settings()
    assert "secret" not in str(caught.value)


def test_good_settings_are_read_as_numbers(monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_EXPORT_SLOTS", " 3 ")
    monkeypatch.setenv("BEZPIECZNY_HTTP_TIMEOUT_S", "2.5")
    assert (dashboard_settings().export_slots, settings().http_timeout_s) == (3, 2.5)


def test_the_dashboard_settings_follow_the_environment_without_a_cache_to_clear(monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_EXPORT_QUEUE", "5")
    first = dashboard_settings().export_queue
    monkeypatch.setenv("BEZPIECZNY_EXPORT_QUEUE", "7")
    assert (first, dashboard_settings().export_queue) == (5, 7)


def test_the_background_folder_defaults_to_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("BEZPIECZNY_BACKGROUND_DIR", raising=False)
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(tmp_path))
    assert dashboard_settings().background_dir == tmp_path.resolve() / "cache" / "background"


@pytest.mark.parametrize(
    "arguments", [["serve", "--port", "99999"], ["serve", "--port", "0"], ["serve", "--workers", "0"]]
)
def test_serve_options_out_of_range_are_usage_errors(arguments):
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2
    assert "Invalid value" in result.output and "Traceback" not in result.output


def test_check_with_an_unknown_period_names_the_allowed_ones(warehouse_path, monkeypatch):
    monkeypatch.setenv("BEZPIECZNY_WAREHOUSE", str(warehouse_path))
    result = CliRunner().invoke(app, ["check", "--period", "bogus"])
    assert result.exit_code == 2
    assert "2022–2024" in result.output and "latest" in result.output


@pytest.fixture()
def analyst(warehouse_path):
    from bezpieczny import read

    previous = read.warehouse().path
    api.open_warehouse(warehouse_path)
    yield
    read.set_warehouse(previous)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: api.verdicts(area=["1261000"]), r"verdicts\(\): area must be str or None, not \['1261000'\]"),
        (lambda: api.verdicts(period=2024), "period must be str or None"),
        (lambda: api.values(42), "indicator_ids must be str or an iterable of str"),
        (lambda: api.values("crimes_count__criminal", areas=[1261000]), "areas must be"),
        (lambda: api.values("crimes_count__criminal", years="2024"), "years must be int or an iterable of int"),
        (lambda: api.values("crimes_count__criminal", arrow="yes"), "arrow must be bool"),
        (lambda: api.series_breaks({"a": 1}), "indicator_ids must be"),
        (lambda: api.indicator(None), "indicator_id must be str"),
        (lambda: api.figure("trend", area=1261000), r"trend\(\): area must be str"),
        (lambda: api.figure("sparkline", highlight_years=(2022,)), "highlight_years must be"),
        (lambda: api.survey_comparison(year="2019"), "year must be int"),
        (lambda: api.values("crimes_count__criminal", nonsense=1), "unexpected keyword argument"),
    ],
)
def test_a_wrong_argument_type_raises_a_type_error_naming_it(analyst, call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_a_generator_argument_is_read_once_and_still_works(analyst):
    frame = api.values((i for i in ["crimes_count__criminal"]), years=(y for y in [2023, 2024]))
    assert sorted(frame["year"].unique()) == [2023, 2024]
