"""The editor pages in real headless Chromium (issue 27 acceptance): log in, upload a report table, see the preview,
publish, watch the progress until published; a malformed file shows its problems. axe-core finds no WCAG 2.0/2.1
A/AA violation on any editor page. A small Dash app with the dashboard's stylesheet carries the editor routes; the
build uses the tiny snapshot."""

from __future__ import annotations

import shutil
import types

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from etl.config import settings
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS, violations_text
from tests.conftest import REPO

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"
REPORT = (
    "indicator_id,indicator_name,area_code,area_name,period,value,unit,source_title,url,document_reference,quote,"
    "notes\n"
    "city_guard_interventions_count,interwencje Straży Miejskiej,1261000,Kraków,2023,1234,count,"
    'Raport z działalności 2023,https://example.org/raport-2023,,"podjęto 1234 interwencje",\n'
)


@pytest.fixture
def editor_site(tmp_path, monkeypatch, tiny_snapshot):
    data = tmp_path / "data"
    shutil.copytree(tiny_snapshot, data / "snapshot")
    monkeypatch.setenv("BEZPIECZNY_DATA_DIR", str(data))
    monkeypatch.setenv("BEZPIECZNY_EDITOR_COOKIE_SECURE", "0")
    for name in ("BEZPIECZNY_WAREHOUSE", "BEZPIECZNY_EDITORS_DIR", "BEZPIECZNY_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings.cache_clear()
    from etl.audited_build import build_and_keep
    from etl.editors import users

    users.add_user("anna", "Anna Nowak", PASSWORD)
    build_and_keep(editor_name="command line")
    yield data
    settings.cache_clear()


def editor_app():
    import dash
    from dash import html

    from dashboard.editor import add_editor_routes

    app = dash.Dash("editor_browser", assets_folder=str(REPO / "dashboard" / "assets"))
    app.layout = html.Div("public")
    add_editor_routes(types.SimpleNamespace(server=app.server))
    return app


def assert_accessible(driver, page: str) -> None:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations = driver.execute_async_script(RUN_AXE, WCAG_TAGS)
    assert violations == [], f"{page}:\n{violations_text(violations)}"


def wait_for_text(driver, text: str, timeout: float = 90) -> None:
    # innerText through a script: a page being replaced has no stale element to trip over
    WebDriverWait(driver, timeout).until(
        lambda d: text in (d.execute_script("return document.body ? document.body.innerText : ''") or "")
    )


def test_log_in_upload_preview_publish_and_progress_with_no_axe_violations(dash_duo, editor_site, tmp_path):
    dash_duo.start_server(editor_app())
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/redaktor/")
    wait_for_text(driver, "Logowanie redaktora")
    assert "/redaktor/logowanie" in driver.current_url
    assert_accessible(driver, "login")

    driver.find_element(By.ID, "login").send_keys("anna")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_text(driver, "Zalogowano jako Anna Nowak.")
    assert_accessible(driver, "home")

    malformed = tmp_path / "zly.csv"
    malformed.write_text(REPORT.replace(",1234,", ",dużo,"), encoding="utf-8")
    driver.find_element(By.ID, "file").send_keys(str(malformed))
    driver.find_element(By.CSS_SELECTOR, "#upload-heading ~ form button").click()
    wait_for_text(driver, "Plik odrzucony")
    assert "value" in driver.find_element(By.TAG_NAME, "table").text
    assert_accessible(driver, "problems")

    driver.get(dash_duo.server_url + "/redaktor/")
    report = tmp_path / "raport.csv"
    report.write_text(REPORT, encoding="utf-8")
    driver.find_element(By.ID, "file").send_keys(str(report))
    driver.find_element(By.CSS_SELECTOR, "#upload-heading ~ form button").click()
    wait_for_text(driver, "Podgląd zmian")
    assert "city_guard_interventions_count" in driver.find_element(By.TAG_NAME, "table").text
    assert_accessible(driver, "preview")

    driver.find_element(By.ID, "publisher").send_keys("Straż Miejska Miasta Krakowa")
    driver.find_element(By.ID, "licence").send_keys("informacja publiczna")
    driver.find_element(By.ID, "citation").send_keys("Raport z działalności Straży Miejskiej 2023, s. 4")
    driver.find_element(By.CSS_SELECTOR, "textarea#citation ~ button, form button[type=submit]").click()
    wait_for_text(driver, "Publikacja", timeout=30)
    assert_accessible(driver, "progress")
    wait_for_text(driver, "Opublikowano")
    assert "checks:" in driver.find_element(By.TAG_NAME, "body").text, "the build's steps are shown"
    assert_accessible(driver, "published")


# --- a register: upload several files, preview per category, publish, progress, then its monthly chart ------------
REGISTER_FILES = ("20 interwencje", "21 interwencje", "22 interwencje")  # 2018-07-06 … 2018-11-08


@pytest.fixture
def served_site(editor_site, monkeypatch):
    """`bezpieczny serve` (one worker: the publishing job runs in it) on the editor site's data folder."""
    from deploy.localstack import Instance, free_ports, wait_http

    monkeypatch.setenv("BEZPIECZNY_EDITOR_COOKIE_SECURE", "0")
    instance = Instance(free_ports(1)[0], editor_site / "warehouse", workers=1).start(wait=False)
    # The worker warms every page up before it answers: on a loaded machine that takes longer than the default 60 s.
    try:
        wait_http(instance.url + "/", timeout_s=240, process=instance.process)
        yield instance.url
    finally:
        instance.stop()


def test_register_upload_preview_publish_progress_and_its_monthly_chart(dash_duo, served_site):
    from selenium.webdriver.support.ui import Select

    from tests.conftest import REFERENCE

    folder = REFERENCE / "smw-wroclaw-register-2016-2018" / "transformedData"
    if not folder.exists():
        pytest.skip("../shared/reference is not present on this machine")
    files = sorted(p for p in folder.glob("*.csv") if p.name.startswith(REGISTER_FILES))
    driver = dash_duo.driver
    driver.get(served_site + "/trendy")
    dash_duo.wait_for_element("#trends-reg-none", timeout=30)  # no register published yet

    driver.get(served_site + "/redaktor/")
    wait_for_text(driver, "Logowanie redaktora")
    driver.find_element(By.ID, "login").send_keys("anna")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for_text(driver, "Prześlij rejestr zgłoszeń straży miejskiej")
    assert_accessible(driver, "home with the register form")

    driver.find_element(By.ID, "register-files").send_keys("\n".join(str(p) for p in files))
    Select(driver.find_element(By.ID, "city")).select_by_value("0264000")
    driver.find_element(By.CSS_SELECTOR, "#register-form button[type=submit]").click()
    wait_for_text(driver, "Podgląd zmian", timeout=60)
    preview = driver.find_element(By.ID, "register-preview").text
    assert "wszystkie zgłoszenia 5 0 0 0" in preview, preview  # July to November 2018: five new months
    assert "2018-07 – 2018-11" in preview
    assert_accessible(driver, "register preview")

    driver.find_element(By.ID, "publisher").send_keys("Straż Miejska Wrocławia")
    driver.find_element(By.ID, "licence").send_keys("informacja publiczna udostępniona na wniosek")
    driver.find_element(By.ID, "attribution").send_keys("Źródło: Straż Miejska Wrocławia, udostępnione na wniosek")
    driver.find_element(By.ID, "citation").send_keys("Rejestr zgłoszeń 2018, udostępniony na wniosek")
    driver.find_element(By.CSS_SELECTOR, "form[action^='/redaktor/publikuj'] button[type=submit]").click()
    wait_for_text(driver, "Publikacja", timeout=30)
    assert_accessible(driver, "register progress")
    WebDriverWait(driver, 180).until(
        lambda d: (
            d.execute_script("var s = document.getElementById('job-status'); return s && s.dataset.state")
            in ("published", "refused")
        )
    )
    status = driver.find_element(By.ID, "job-status").text
    assert "Opublikowano" in status and "checks:" in status, status
    assert_accessible(driver, "register published")

    driver.find_element(By.ID, "register-chart-link").click()
    dash_duo.wait_for_element("#trends-registers .js-plotly-plot", timeout=30)
    section = driver.find_element(By.ID, "trends-registers").text
    assert "Wrocław (dane porównawcze): zgłoszenia do straży miejskiej w kolejnych miesiącach" in section
    assert "listopad 2018: rejestr obejmuje tylko 8 z 30 dni" in section
