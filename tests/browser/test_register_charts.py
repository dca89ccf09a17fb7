"""The Wrocław register in a real browser: imported and built, served by `bezpieczny serve`, the trends page shows
its monthly chart and control chart as Wrocław's peer data with the credit line, a category chosen in the menu
goes to the URL, and axe-core finds no WCAG A/AA violation in either language."""

from __future__ import annotations

import pytest

from deploy.localstack import Instance, free_ports
from tests.browser.test_accessibility import axe_violations, open_page, violations_text
from tests.conftest import REFERENCE

pytestmark = pytest.mark.browser
ATTRIBUTION = "Źródło: Straż Miejska Wrocławia, udostępnione na wniosek"


@pytest.fixture(scope="module")
def register_url(tmp_path_factory, tiny_snapshot_dir):
    if not REFERENCE.exists():
        pytest.skip("../shared/reference is not present on this machine")
    from etl.build import build
    from etl.sources.city_imports.landing import import_register

    raw = tmp_path_factory.mktemp("raw")
    files = sorted((REFERENCE / "smw-wroclaw-register-2016-2018" / "transformedData").glob("*.csv"))
    import_register(
        files,
        city_name="Wrocław",
        publisher="Straż Miejska Wrocławia",
        licence="informacja publiczna udostępniona na wniosek",
        attribution=ATTRIBUTION,
        raw_dir=raw,
    )
    folder = tmp_path_factory.mktemp("register-instance")
    # The tiny snapshot (Kraków, its peer cities, Małopolska): the register section needs Wrocław and Kraków only.
    build(snapshot_dir=tiny_snapshot_dir, raw_dir=raw, warehouse=folder / "bezpieczny.duckdb")
    instance = Instance(free_ports(1)[0], folder, workers=1).start()
    yield instance.url
    instance.stop()


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_register_section_has_no_wcag_a_or_aa_violations(dash_duo, register_url, lang):
    driver = open_page(dash_duo, register_url + "/trendy?regcat=parking" + ("&lang=en" if lang == "en" else ""))
    dash_duo.wait_for_element("#trends-registers .js-plotly-plot", timeout=20)
    violations = axe_violations(driver)
    assert not violations, "axe-core found violation(s) on the register section:\n" + violations_text(violations)


def test_charts_are_wroclaws_peer_data_with_the_credit_line(dash_duo, register_url):
    open_page(dash_duo, register_url + "/trendy")
    dash_duo.wait_for_element("#trends-registers .js-plotly-plot", timeout=20)
    section = dash_duo.find_element("#trends-registers").text
    assert "Wrocław (dane porównawcze): zgłoszenia do straży miejskiej w kolejnych miesiącach" in section
    assert "a nie Krakowa" in section
    assert "listopad 2018: rejestr obejmuje tylko 8 z 30 dni" in section
    annotations = [e.text for e in dash_duo.find_elements("#trends-registers .annotation-text")]
    assert annotations.count(ATTRIBUTION) == 2  # inside both figures


def test_choosing_a_category_writes_it_to_the_url_and_redraws(dash_duo, register_url):
    from selenium.webdriver.support.ui import WebDriverWait

    driver = open_page(dash_duo, register_url + "/trendy")
    dash_duo.wait_for_element("#trends-registers .js-plotly-plot", timeout=20)
    dash_duo.find_element("#trends-reg-category").click()
    option = next(o for o in dash_duo.find_elements(".dash-dropdown-option") if o.text.strip() == "Alkohol")
    option.click()
    WebDriverWait(driver, 15).until(lambda d: "regcat=alcohol" in d.current_url)
    WebDriverWait(driver, 15).until(
        lambda d: (
            "zgłoszenia do straży miejskiej w kolejnych miesiącach — Alkohol"
            in d.find_element("id", "trends-registers").text
        )
    )
