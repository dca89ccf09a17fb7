"""Crafted requests against `bezpieczny serve`, as a hostile or careless visitor would send them; results go to
benchmarks/results/attack.json (and the summary to benchmarks/README.md by hand).

Every request is bounded in time (30 s) and recorded with its status, response size and seconds; a response is
"leaky" when it shows a traceback or a server path. Target (issue 13): 0 responses with status 500, 0 leaky ones,
the security headers on every response. Baseline requests (valid views) must give 200 — they show the crafted
payloads reach the callbacks they aim at.

The callbacks are found from the app's own `/_dash-dependencies`, so the script keeps working when pages move.
Run: `.venv/bin/python benchmarks/bench_attack.py [--url http://127.0.0.1:PORT]` (without --url it starts
`bezpieczny serve` on the built warehouse, on a free port of 8250-8299).
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from dashboard.security import SECURITY_HEADERS  # noqa: E402
from deploy.localstack import Instance, free_ports, publish, router_payload  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "attack.json"
TIMEOUT_S = 30
WARM_UP_TIMEOUT_S = 180
LEAK_MARKERS = ("Traceback (most recent call last)", 'File "/', "/site-packages/", str(ROOT))


def _concrete_id(ident: str, match: str):
    """A pattern-matching id (`{"chart": ["MATCH"], ...}`) made concrete; plain ids unchanged."""
    if ident.startswith("{"):
        return {key: (match if value == ["MATCH"] else value) for key, value in json.loads(ident).items()}
    return ident


def callback_payload(dep: dict, inputs: list, state: list | None = None, match: str = "x") -> dict:
    """A Dash callback request for `dep` (an entry of /_dash-dependencies) with the given values."""
    if dep["output"].startswith("{"):
        parts = [dep["output"].rsplit(".", 1)]
    else:
        parts = [part.split(".", 1) for part in dep["output"].strip(".").split("...")]
    outputs = [{"id": _concrete_id(ident, match), "property": prop.split("@")[0]} for ident, prop in parts]
    ins = [
        {"id": _concrete_id(i["id"], match), "property": i["property"], "value": v}
        for i, v in zip(dep["inputs"], inputs)
    ]
    states = [
        {"id": _concrete_id(i["id"], match), "property": i["property"], "value": v}
        for i, v in zip(dep.get("state", []), state or [])
    ]
    first = ins[0]["id"] if isinstance(ins[0]["id"], str) else json.dumps(ins[0]["id"], separators=(",", ":"))
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 else outputs[0],
        "inputs": ins,
        "state": states,
        "changedPropIds": [f"{first}.{ins[0]['property']}"],
    }


def find(deps: list[dict], input_id: str) -> dict:
    return next(dep for dep in deps if any(i["id"] == input_id or input_id in i["id"] for i in dep["inputs"]))


def _renamed(payload: dict) -> dict:
    payload["inputs"][0] = {**payload["inputs"][0], "property": "children"}
    return payload


def wrong_type_cases(deps: list[dict]) -> list[tuple[str, dict]]:
    """Every input and state of every callback given, in turn, each value of the wrong kind (the others valid)."""
    cases = []
    for dep in deps:
        if dep["output"].startswith(".."):  # the frame and router callbacks are covered above
            continue
        name = dep["output"].split("@")[0][:40]
        for position in range(len(dep["inputs"]) + len(dep.get("state", []))):
            for label, value in WRONG_VALUES.items():
                values = [None] * (len(dep["inputs"]) + len(dep.get("state", [])))
                values[position] = value
                payload = callback_payload(
                    dep, values[: len(dep["inputs"])], values[len(dep["inputs"]) :], match="trends"
                )
                cases.append((f"{name} argument {position}: {label}", payload))
    return cases


WRONG_VALUES = {
    "int": 7,
    "negative int": -3,
    "float NaN": float("nan"),
    "list of ints": [1, 2],
    "object": {"a": [1]},
    "bool": True,
    "long string": "x" * 5000,
    "nested list": [[["a"]]],
    "'²'": "²",
}


def dash_cases(deps: list[dict]) -> list[tuple[str, dict | bytes]]:
    """(name, JSON payload or raw body) for /_dash-update-component."""

    def route(path, search):  # Dash Pages' router: the page body
        return router_payload(deps, path, search)

    def frame(path, search):  # the app's frame: navigation (with the language switch link), title, footer
        return router_payload([dep for dep in deps if "nav-container" in dep["output"]] or deps, path, search)

    def with_values(payload, **values):
        for item in payload["inputs"]:
            if item["property"] in values:
                item["value"] = values[item["property"]]
        return payload

    period, trends = find(deps, "overview-period"), find(deps, "trends-indicators")
    comparisons, committee = find(deps, "comparisons-year"), find(deps, "committee-next")
    objsub, download = find(deps, "objsub-surveys"), find(deps, "download-csv")
    table = find(deps, "chart-table-toggle")
    no_output = route("/", "")
    no_output.pop("output")
    deep = b"[" * 100_000 + b"]" * 100_000
    return [
        ("baseline: overview 2024", route("/", "?period=2024")),
        ("baseline: comparisons", route("/porownania", "")),
        ("baseline: period control", callback_payload(period, ["2023"], ["?period=2024"])),
        ("router: pathname is a number", with_values(route("/", ""), pathname=123)),
        ("router: pathname is a list", with_values(route("/", ""), pathname=["/"])),
        ("router: pathname is an object", with_values(route("/", ""), pathname={"a": 1})),
        ("router: search is a number", with_values(route("/", ""), search=5)),
        ("router: search is a list", with_values(route("/", ""), search=["?period=2024"])),
        ("router: pathname and search null", with_values(route("/", ""), pathname=None, search=None)),
        ("router: /rada?slide=² (isdigit, not int)", route("/rada", "?slide=²")),
        ("router: /rada?slide=-1", route("/rada", "?slide=-1")),
        ("router: /rada?slide=10**30", route("/rada", "?slide=" + "9" * 30)),
        ("router: /porownania?year=abc", route("/porownania", "?year=abc")),
        ("router: /porownania?year=NaN", route("/porownania", "?year=NaN")),
        ("router: /porownania?year=1e309", route("/porownania", "?year=1e309")),
        ("router: /porownania?areas=1,2,3,x", route("/porownania", "?areas=1,2,3,x")),
        ("router: /trendy?indicator=<script>", route("/trendy", "?indicator=%3Cscript%3Ealert(1)%3C/script%3E")),
        ("router: /trendy?area=../../etc", route("/trendy", "?area=../../etc")),
        ("router: 900 kB invalid id echoed", route("/trendy", "?indicator=" + "x" * 900_000)),
        ("router: NUL in pathname", route("/\x00", "")),
        ("frame: 900 kB invalid id in the language link", frame("/trendy", "?ind=" + "x" * 900_000)),
        ("frame: pathname is a list", with_values(frame("/", ""), pathname=["/"])),
        ("frame: search is an object", with_values(frame("/", ""), search={"lang": "en"})),
        ("period: list of ints", callback_payload(period, [[2024]], ["?period=2024"])),
        ("period: int", callback_payload(period, [2024], ["?period=2024"])),
        ("period: state search is a list", callback_payload(period, ["2023"], [[1, 2]])),
        ("trends: indicators list of ints", callback_payload(trends, [[1, 2], "1261000", "count"], [""])),
        ("trends: area is a number", callback_payload(trends, [["crimes_count__total"], 1261000, "count"], [""])),
        ("trends: measure is an object", callback_payload(trends, [["crimes_count__total"], "1261000", {}], [""])),
        ("comparisons: year abc", callback_payload(comparisons, ["crime", "abc", ["1261000"], "powiat"], [""])),
        ("comparisons: year NaN float", callback_payload(comparisons, ["crime", float("nan"), [], "powiat"], [""])),
        ("comparisons: areas list of ints", callback_payload(comparisons, ["crime", 2024, [1, 2, 3], "powiat"], [""])),
        ("comparisons: areas is a string", callback_payload(comparisons, ["crime", 2024, "1261000", "powiat"], [""])),
        ("objsub: surveys list of ints", callback_payload(objsub, [1, 2, [1, 2]], [""])),
        ("committee: n_clicks is a string", callback_payload(committee, ["x", None, None, None, "2024"], [""])),
        (
            "committee: next with ?slide=² in the URL",
            callback_payload(committee, [None, None, 1, None, "2024"], ["?slide=²"]),
        ),
        (
            "committee: next with ?slide=abc in the URL",
            callback_payload(committee, [None, None, 1, None, "2024"], ["?slide=abc"]),
        ),
        ("committee: period list", callback_payload(committee, [None, None, 1, None, ["2024"]], ["?slide=1"])),
        (
            "download: real chart of the trends view",
            callback_payload(download, [1, None], ["/trendy", ""], match="trends"),
        ),
        ("download: unknown chart id", callback_payload(download, [1, None], ["/trendy", ""], match="nope")),
        ("download: traversal chart id", callback_payload(download, [1, None], ["/trendy", ""], match="../../x")),
        (
            "download: client rows as state",
            callback_payload(download, [1, None], [{"rows": [{"a": '=HYPERLINK("http://x")'}]}, ""], match="trends"),
        ),
        ("download: pathname is a list", callback_payload(download, [1, None], [["/"], ""], match="trends")),
        ("download: n_clicks negative", callback_payload(download, [-1, None], ["/trendy", ""], match="trends")),
        ("table: unknown page", callback_payload(table, [1], ["/nope", ""], match="trends")),
        ("table: n_clicks is an object", callback_payload(table, [{"a": 1}], ["/trendy", ""], match="trends")),
        ("inputs: one too many", {**route("/", ""), "inputs": route("/", "")["inputs"] * 2}),
        ("inputs: property renamed", with_values(_renamed(route("/", "")), pathname="/")),
        ("inputs: not a list", {**route("/", ""), "inputs": "x"}),
        ("changedPropIds not a list", {**route("/", ""), "changedPropIds": 5}),
        ("200 kB string as a period", callback_payload(period, ["x" * 200_000], ["?period=2024"])),
        (
            "unknown output with 1e309 (inf)",
            b'{"output": "x", "inputs": [{"id": "a", "property": "value", "value": 1e309}]}',
        ),
        ("payload without output", no_output),
        ("payload without inputs", {"output": "page.children", "outputs": {"id": "page", "property": "children"}}),
        ("unknown callback output", {**route("/", ""), "output": "nope.children"}),
        ("JSON null body", b"null"),
        ("JSON list body", b"[]"),
        ("not JSON", b"{this is not json"),
        ("100k-deep JSON", deep),
    ]


def raw_get(base: str, path: str) -> tuple[int, bytes, dict]:
    """GET with the path sent exactly as given (requests would normalise '..')."""
    host, port = base.split("//")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT_S)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        connection.close()


TRAVERSALS = [
    "/_dash-component-suites/dash/../../../../etc/passwd",
    "/_dash-component-suites/dash/..%2f..%2f..%2fpyproject.toml",
    "/_dash-component-suites/%2e%2e/%2e%2e/etc/passwd",
    "/_dash-component-suites/dash/dcc/..%252f..%252fsetup.py",
    "/_dash-component-suites/dash/deps/../../../../../../etc/passwd",
    "/_dash-component-suites/dash/dcc/dash_core_components.v9_9_9m1.js",
    "/_dash-component-suites/notapackage/x.js",
    "/_dash-component-suites/dash/",
    "/_dash-component-suites/dash/dcc/%00.js",
    "/assets/../pyproject.toml",
    "/assets/..%2fpyproject.toml",
    "/geo/..%2f..%2fpyproject.geojson",
    "/geo/nope.geojson",
    "/%2e%2e/%2e%2e/etc/passwd",
]


class Recorder:
    def __init__(self):
        self.rows: list[dict] = []

    def add(self, group: str, name: str, run) -> None:
        started = time.perf_counter()
        try:
            status, body, headers = run()
        except (requests.RequestException, OSError) as err:
            status, body, headers = type(err).__name__, b"", {}
        text = body.decode("utf-8", "replace")
        missing = [h for h in SECURITY_HEADERS if h not in headers and h.lower() not in {k.lower() for k in headers}]
        self.rows.append(
            {
                "group": group,
                "name": name,
                "status": status,
                "bytes": len(body),
                "seconds": round(time.perf_counter() - started, 3),
                "leaky": any(marker in text for marker in LEAK_MARKERS),
                "error_message": '"role":"alert"' in text.replace(" ", ""),
                "missing_security_headers": missing,
            }
        )


def post(url: str, body: dict | bytes, headers: dict | None = None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = requests.post(
        url, data=data, timeout=TIMEOUT_S, headers={"Content-Type": "application/json", **(headers or {})}
    )
    return response.status_code, response.content, response.headers


def get(url: str, headers: dict | None = None):
    response = requests.get(url, timeout=TIMEOUT_S, headers=headers)
    return response.status_code, response.content, response.headers


def run_all(base: str) -> list[dict]:
    deps = requests.get(base + "/_dash-dependencies", timeout=TIMEOUT_S).json()
    recorder = Recorder()
    update = base + "/_dash-update-component"
    for _worker in range(4):  # a fresh worker renders its pages first (warm-up): wait for that, unrecorded
        requests.post(update, json=dash_cases(deps)[0][1], timeout=WARM_UP_TIMEOUT_S)
    for name, body in dash_cases(deps):
        recorder.add("dash payload", name, lambda body=body: post(update, body))
    for name, body in wrong_type_cases(deps):
        recorder.add("wrong type", name, lambda body=body: post(update, body))
    for path in TRAVERSALS:
        recorder.add("traversal", path, lambda path=path: raw_get(base, path))
    big = b"{" + b" " * (50 * 1024 * 1024) + b"}"
    recorder.add("size", "50 MB body", lambda: post(update, big))
    recorder.add("size", "5 MB query string", lambda: get(base + "/?period=" + "9" * (5 * 1024 * 1024)))
    recorder.add("size", "200 headers", lambda: get(base + "/", {f"X-H{n}": "x" for n in range(200)}))
    recorder.add("size", "16 kB header value", lambda: get(base + "/", {"X-Big": "x" * 16_000}))
    recorder.add("method", "GET on the callback URL", lambda: get(update))
    recorder.add("method", "DELETE /", lambda: _request("DELETE", base + "/"))
    recorder.add("page", "GET /nope (404)", lambda: get(base + "/nope"))
    return recorder.rows


def _request(method: str, url: str):
    response = requests.request(method, url, timeout=TIMEOUT_S)
    return response.status_code, response.content, response.headers


def summarise(rows: list[dict]) -> dict:
    return {
        "requests": len(rows),
        "statuses": dict(Counter(str(row["status"]) for row in rows)),
        "status_500": [row["name"] for row in rows if row["status"] == 500],
        "no_answer": [row["name"] for row in rows if not isinstance(row["status"], int)],
        "leaky": [row["name"] for row in rows if row["leaky"]],
        "error_message_shown": [row["name"] for row in rows if row["error_message"]],
        "missing_security_headers": [
            row["name"] for row in rows if row["missing_security_headers"] and isinstance(row["status"], int)
        ],
        "largest_response_bytes": max(row["bytes"] for row in rows),
        "baseline_ok": all(row["status"] == 200 for row in rows if row["name"].startswith("baseline")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (default: start `bezpieczny serve`)")
    parser.add_argument("--warehouse", type=Path, default=ROOT / "data" / "warehouse" / "bezpieczny.duckdb")
    args = parser.parse_args()
    with ExitStack() as stack:
        base = args.url
        if base is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bezpieczny-attack-")))
            publish(args.warehouse, [folder])
            instance = Instance(free_ports(1)[0], folder, workers=2).start()
            stack.callback(instance.stop)
            base = instance.url
        rows = run_all(base.rstrip("/"))
    result = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": args.url or "bezpieczny serve (2 workers, buffering gthread worker) on 127.0.0.1",
        "summary": summarise(rows),
        "requests": rows,
    }
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["summary"], indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
