"""Variable discovery (`bezpieczny bdl variables`) against a local server: paging and merging."""
from __future__ import annotations

import yaml
from typer.testing import CliRunner

from etl.sources.gus_bdl_api.cli import bdl_app
from etl.sources.gus_bdl_api.discover import discover_variables
from tests.faults.landing import fixture_json
from tests.faults.local_http import Reply

PAGES = [fixture_json(f"bdl/variables_P4601_page{n}.json") for n in (0, 1)]


def serve_variables(server):
    server.route_fn("/bdl/variables", lambda seen: Reply(200, PAGES[int(seen.param("page") or 0)]))


def test_discovery_pages_and_keeps_existing_mappings(live_env, local_server, tmp_path):
    serve_variables(local_server)
    out = tmp_path / "variables.yaml"
    out.write_text(yaml.safe_dump({"variables": [{"id": 1749155, "series_id": "crimes_count__total",
                                                  "unit": "count", "confirmed": False}]}), encoding="utf-8")
    entries = discover_variables(["P4601"], out)
    assert [e["id"] for e in entries] == [1749155, 1749170]
    written = yaml.safe_load(out.read_text(encoding="utf-8"))["variables"]
    assert written[0]["series_id"] == "crimes_count__total" and written[0]["confirmed"] is True
    assert written[0]["n2"] == "przestępstwa stwierdzone"
    assert written[1]["series_id"] is None  # new ids wait for a person to map them
    requests = local_server.requests_to("/bdl/variables")
    assert len(requests) == 2 and requests[0].param("subject-id") == "P4601"
    assert requests[0].param("page-size") == "100"


def test_cli_variables_command(live_env, local_server, tmp_path):
    serve_variables(local_server)
    out = tmp_path / "v.yaml"
    result = CliRunner().invoke(bdl_app, ["variables", "--subject", "P4601", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 variables" in result.output and out.exists()


def test_cli_variables_reports_a_failure(live_env, local_server, tmp_path):
    local_server.route("/bdl/variables", Reply(404, {"errorResult": "x", "errorReason": "unknown subject"}))
    result = CliRunner().invoke(bdl_app, ["variables", "--subject", "P0000", "--out", str(tmp_path / "v.yaml")])
    assert result.exit_code == 1
    assert "HTTP 404" in result.output
