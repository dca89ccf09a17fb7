"""Variable discovery (`bezpieczny bdl variables`) against a local server: paging and merging."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from etl.sources.gus_bdl_api.cli import bdl_app
from etl.sources.gus_bdl_api.discover import discover_variables
from tests.faults.landing import fixture_json
from tests.faults.local_http import Reply

# Real variable objects (pyBDL recorded list_variables, subject P1312), re-wrapped into two live-shaped pages.
PAGES = [fixture_json(f"bdl/variables_P1312_page{n}.json") for n in (0, 1)]


def serve_variables(server):
    server.route_fn("/bdl/variables", lambda seen: Reply(200, PAGES[int(seen.param("page") or 0)]))


def test_discovery_pages_and_keeps_existing_mappings(live_env, local_server, tmp_path):
    serve_variables(local_server)
    out = tmp_path / "variables.yaml"
    out.write_text(
        yaml.safe_dump(
            {"variables": [{"id": 6, "series_id": "population__total", "unit": "persons", "confirmed": False}]}
        ),
        encoding="utf-8",
    )
    entries = discover_variables(["P1312"], out)
    assert [e["id"] for e in entries] == [6, 7, 8]
    written = yaml.safe_load(out.read_text(encoding="utf-8"))["variables"]
    assert written[0]["series_id"] == "population__total" and written[0]["confirmed"] is True
    assert written[0]["n1"] == "ogółem" and written[0]["measure_unit_id"] == 26  # pinned for the transform's check
    assert written[1]["series_id"] is None  # new ids wait for a person to map them
    requests = local_server.requests_to("/bdl/variables")
    assert len(requests) == 2 and requests[0].param("subject-id") == "P1312"
    assert requests[0].param("page-size") == "100"


def test_cli_variables_command(live_env, local_server, tmp_path):
    serve_variables(local_server)
    out = tmp_path / "v.yaml"
    result = CliRunner().invoke(bdl_app, ["variables", "--subject", "P1312", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 variables" in result.output and out.exists()


def test_cli_variables_reports_a_failure(live_env, local_server, tmp_path):
    local_server.route("/bdl/variables", Reply(404, {"errorResult": "x", "errorReason": "unknown subject"}))
    result = CliRunner().invoke(bdl_app, ["variables", "--subject", "P0000", "--out", str(tmp_path / "v.yaml")])
    assert result.exit_code == 1
    assert "HTTP 404" in result.output


def test_cli_attributes_refreshes_gus_wording_and_keeps_our_kinds(live_env, local_server, tmp_path, reference_dir):
    recorded = json.loads(
        (reference_dir / "bdl-api-recorded-pybdl" / "samples_raw_attributes.json").read_text(encoding="utf-8")
    )["list_attributes"]
    # pyBDL stored a bare list; the live endpoint wraps it in `results` (one page here, no links.next).
    local_server.route("/bdl/attributes", Reply(200, {"totalRecords": len(recorded), "results": recorded}))
    out = tmp_path / "attributes.yaml"
    out.write_text(
        yaml.safe_dump({"attributes": [{"id": 4, "name": "old", "kind": "confidential", "label_en": "confidential"}]}),
        encoding="utf-8",
    )
    result = CliRunner().invoke(bdl_app, ["attributes", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = {a["id"]: a for a in yaml.safe_load(out.read_text(encoding="utf-8"))["attributes"]}
    assert written[4]["kind"] == "confidential" and written[4]["name"] == ". lub 0"
    assert written[50]["kind"] is None and "50" in result.output  # a person must set the new code's kind
