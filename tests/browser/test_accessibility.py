"""Accessibility: axe-core (npm `axe-core`, installed into ./node_modules by `npm ci`) audits every page in real
headless Chromium against the WCAG 2.0 and 2.1 level A and AA rules; a page passes with zero violations.

The dashboard runs as visitors get it (`bezpieczny serve` on the session warehouse); the browser comes from
`dash_duo`. A failure lists each violation's rule id, impact and the CSS selectors of the offending elements.
"""
from __future__ import annotations

import json

import pytest

from deploy.localstack import Instance, free_ports
from tests.conftest import REPO

pytestmark = pytest.mark.browser
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
KNOWN = "known violations, to be fixed (issue 13, item 7): "
PAGES = [
    pytest.param("/", id="overview"),
    pytest.param("/trendy", id="trends"),
    pytest.param("/obiektywne-subiektywne", id="objective-subjective"),
    pytest.param("/porownania", id="comparisons"),
    pytest.param("/rada", id="committee"),
    pytest.param("/dane-i-metody", id="data-and-methods"),
    pytest.param("/?lang=en", id="overview-en"),
]
# Pages failing today and why (axe-core 4.14.1, measured by this test on 2026-12-01); remove a page's entry when
# it is fixed (the xfail is not strict, so a fixed page shows as XPASS until then).
XFAIL = {
    "/": "html-has-lang; aria-input-field-name #overview-period; nested-interactive (5 radio labels)",
    "/trendy": "html-has-lang; aria-input-field-name #trends-measure; nested-interactive (2 radio labels); "
               "aria-hidden-focus (2 dropdown focus targets)",
    "/obiektywne-subiektywne": "html-has-lang; aria-input-field-name #objsub-surveys; nested-interactive "
                               "(4 checklist labels); aria-hidden-focus (2 dropdown focus targets)",
    "/porownania": "html-has-lang; aria-input-field-name #comparisons-level; nested-interactive (2 radio labels); "
                   "aria-hidden-focus (3 dropdown focus targets); label-content-name-mismatch #comparisons-areas",
    "/rada": "html-has-lang; aria-input-field-name #committee-period; nested-interactive (5 radio labels)",
    "/dane-i-metody": "html-has-lang",
    "/?lang=en": "html-has-lang; aria-input-field-name #overview-period; nested-interactive (5 radio labels)",
}
RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(result => done(result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(" "))}))))
  .catch(error => done([{id: "axe-error", impact: "critical", help: String(error), targets: []}]));
"""
PAGE_READY = """
const page = document.querySelector("main");
return !!page && page.children.length > 0 && !document.querySelector('[data-dash-is-loading="true"]');
"""


def _params():
    """PAGES, the known failures marked xfail — only for violations found (AssertionError): a broken audit (axe
    missing, page not loading, axe erroring) still fails."""
    return [pytest.param(*p.values, id=p.id, marks=pytest.mark.xfail(
                strict=False, raises=AssertionError, reason=KNOWN + XFAIL[p.values[0]]))
            if p.values[0] in XFAIL else p for p in PAGES]


@pytest.fixture(scope="module")
def server_url(warehouse_path, tmp_path_factory):
    folder = tmp_path_factory.mktemp("a11y-instance")
    (folder / "bezpieczny.duckdb").symlink_to(warehouse_path)
    instance = Instance(free_ports(1)[0], folder, workers=1).start()
    yield instance.url
    instance.stop()


def violations_text(violations: list[dict]) -> str:
    return "\n".join(f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
                     for v in violations)


@pytest.mark.parametrize("path", _params())
def test_page_has_no_wcag_a_or_aa_violations(dash_duo, server_url, path):
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm ci` (the CI script does)")
    driver = dash_duo.driver
    driver.get(server_url + path)
    dash_duo.wait_for_element("main", timeout=15)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.execute_script(PAGE_READY))
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    violations = driver.execute_async_script(RUN_AXE, WCAG_TAGS)
    print(json.dumps(violations, ensure_ascii=False, indent=1))
    if any(v["id"] == "axe-error" for v in violations):
        pytest.fail(f"axe-core could not run: {violations}")
    assert not violations, f"axe-core found {len(violations)} violation(s) on {path}:\n" + violations_text(violations)
