"""Every command explains itself."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from etl.cli import app

runner = CliRunner()


def test_top_level_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("snapshot", "build", "check", "serve", "fetch"):
        assert command in result.output


@pytest.mark.parametrize("command, words", [
    ("snapshot", "Parquet"), ("build", "atomic"), ("check", "verdict"), ("serve", "gunicorn"), ("fetch", "network"),
])
def test_each_command_has_help(command, words):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert words in result.output
