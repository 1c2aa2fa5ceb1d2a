"""`contractgen web` in a real browser (Debian's headless Chromium through Selenium): a
freelancer fills in the designer sample from an empty form, sees the preview, switches the
fee model, makes a mistake, downloads the contract and loads an answers file.

One server and one browser for the module. CONTRACTGEN_SCREENSHOTS=DIR keeps screenshots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES
from webtools import (
    EPOCH,
    Server,
    require_browser,
    require_web,
    sample_fields,
    start_browser,
    stop_browser,
    wait_for_file,
)

require_web()
require_browser()

from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

DESIGNER = SAMPLES / "designerin-pauschal.yaml"
WAIT = 15


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-config")


@pytest.fixture(scope="module")
def server(config: Path):
    running = Server(env={"CONTRACTGEN_CONFIG_DIR": str(config)}).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(server: Server, downloads: Path):
    chrome = start_browser(downloads)
    chrome.get(server.url)
    yield chrome
    stop_browser(chrome)


def shot(browser, name: str) -> None:
    directory = os.environ.get("CONTRACTGEN_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(directory) / f"{name}.png"))


def wait(browser, condition, message: str = ""):
    def safe(driver):
        try:
            return condition(driver)
        except StaleElementReferenceException:
            return False

    return WebDriverWait(browser, WAIT, poll_frequency=0.1).until(safe, message)


def field(browser, name: str):
    return browser.find_element(By.CSS_SELECTOR, f'[name="{name}"]:not([type="hidden"])')


def wrapper(browser, key: str):
    return browser.find_element(By.CSS_SELECTOR, f'[data-key="{key}"]')


def status(browser) -> str:
    return browser.find_element(By.ID, "status").text


def preview_text(browser) -> str:
    """What the preview shows (empty while it is being replaced)."""
    try:
        browser.switch_to.frame(browser.find_element(By.ID, "vorschau"))
        return str(browser.find_element(By.TAG_NAME, "body").text)
    except StaleElementReferenceException:
        return ""
    finally:
        browser.switch_to.default_content()


def shown_errors(browser) -> list[str]:
    """The error messages the page shows now (read again if the form was just replaced)."""
    for _ in range(20):
        try:
            return [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".meldungen .fehler")
                    if e.is_displayed()]
        except StaleElementReferenceException:
            time.sleep(0.1)
    raise AssertionError("the form never stopped changing")


def settle(browser) -> None:
    """Wait until the page has shown the server's answer to the last change."""
    time.sleep(0.45)                                   # the debounce
    wait(browser, lambda b: "laedt" not in b.find_element(By.TAG_NAME, "body")
         .get_attribute("class"), "request still running")


def type_into(browser, name: str, text: str) -> None:
    element = wait(browser, lambda b: field(b, name) if field(b, name).is_displayed() else False,
                   f"{name} not shown")
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    if text:
        element.send_keys(text)


def choose(browser, name: str, value: str) -> None:
    if browser.find_elements(By.CSS_SELECTOR, f'select[name="{name}"]'):   # many choices
        from selenium.webdriver.support.ui import Select

        element = wait(browser, lambda b: field(b, name) if field(b, name).is_displayed()
                       else False, f"{name} not shown")
        Select(element).select_by_value(value)
        return
    selector = f'input[name="{name}"][value="{value}"]'
    element = wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, selector)
                   if b.find_element(By.CSS_SELECTOR, selector).is_displayed() else False,
                   f"{name}={value} not shown")
    element.click()


def set_box(browser, name: str, on: bool) -> None:
    element = wait(browser, lambda b: field(b, name) if field(b, name).is_displayed() else False,
                   f"{name} not shown")
    if element.is_selected() != on:
        element.click()


def fill(browser, fields: list[tuple[str, str]]) -> None:
    """Fill the form as a person would: type, click, add list entries."""
    from contractgen import api

    questions = {q.path: q for q in api.load_library().questionnaire.walk()}
    rows: dict[str, int] = {}
    for name, value in fields:
        if name.startswith("_mit:"):
            if browser.find_elements(By.CSS_SELECTOR, f'input[type="checkbox"][name="{name}"]'):
                set_box(browser, name, value == "ja")       # only optional sections have one
            continue
        if "[" in name:
            base, rest = name.split("[", 1)
            index = int(rest.split("]", 1)[0])
            while rows.get(base, 0) < index:
                count = len(browser.find_elements(By.CSS_SELECTOR, f'[data-liste="{base}"] .eintrag'))
                if count < index:
                    button = browser.find_element(By.CSS_SELECTOR,
                                                  f'[data-liste="{base}"] .hinzufuegen')
                    button.click()
                    entries = f'[data-liste="{base}"] .eintrag'
                    wait(browser, lambda b, c=count, css=entries: len(
                        b.find_elements(By.CSS_SELECTOR, css)) > c, f"no new entry in {base}")
                rows[base] = rows.get(base, 0) + 1
            type_into(browser, name, value)
            continue
        question = questions[name]
        if question.type == "choice":
            choose(browser, name, value)
        elif question.type == "bool":
            set_box(browser, name, value == "ja")
        else:
            type_into(browser, name, value)


# -- the freelancer's way ------------------------------------------------------------------------
def test_empty_form_to_the_designer_contract(browser, server: Server, downloads: Path,
                                             config: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    wait(browser, lambda b: "fehlen" in status(b), "no status")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    shot(browser, "1-leer")
    # no "fehlt" errors before the user has touched anything
    assert not shown_errors(browser)
    fill(browser, sample_fields(DESIGNER))
    settle(browser)
    wait(browser, lambda b: "vollständig" in status(b), "form not complete: " + status(browser))
    text = preview_text(browser)
    assert "Nordlicht Kommunikation GmbH" in text
    assert "§ 7" in text
    shot(browser, "2-ausgefuellt")
    # download the DOCX and the answers file
    browser.find_element(By.CSS_SELECTOR, 'button[data-format="docx"]').click()
    docx_path = wait_for_file(downloads, ".docx")
    browser.find_element(By.CSS_SELECTOR, 'button[data-format="yaml"]').click()
    yaml_path = wait_for_file(downloads, ".yaml")
    import docx

    document = docx.Document(str(docx_path))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Nordlicht Kommunikation GmbH" in body + tables
    assert re.search(r"§\s7\b", body)                     # the heading, with a no-break space
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, CONTRACTGEN_CONFIG_DIR=str(config))
    subprocess.run([sys.executable, "-m", "contractgen", "generate", str(yaml_path), "-o",
                    str(tmp_path / "cli.docx")], check=True, env=env, capture_output=True)
    assert (tmp_path / "cli.docx").read_bytes() == docx_path.read_bytes()
    print(f"filled and downloaded in {time.monotonic() - started:.1f} s")


def test_switching_the_fee_model_changes_the_questions(browser) -> None:
    assert wrapper(browser, "abstimmung").is_displayed()
    assert wrapper(browser, "honorar.stundensatz_zusatz").is_displayed()
    choose(browser, "honorar.modell", "stunde")
    wait(browser, lambda b: not wrapper(b, "abstimmung").is_displayed(), "abstimmung still shown")
    assert not wrapper(browser, "korrekturen").is_displayed()
    assert not wrapper(browser, "honorar.stundensatz_zusatz").is_displayed()
    assert not wrapper(browser, "honorar.anzahlung_prozent").is_displayed()
    choose(browser, "honorar.modell", "tag")
    wait(browser, lambda b: wrapper(b, "honorar.stunden_pro_tag").is_displayed(), "no hours/day")
    assert field(browser, "honorar.stunden_pro_tag").get_attribute("value") == "8"
    settle(browser)
    assert "Tag" in preview_text(browser)
    choose(browser, "honorar.modell", "pauschal")
    wait(browser, lambda b: wrapper(b, "abstimmung").is_displayed(), "abstimmung not back")
    settle(browser)
    wait(browser, lambda b: "vollständig" in status(b), status(browser))


def test_a_wrong_amount_shows_the_validators_message_at_the_field(browser, downloads: Path) -> None:
    type_into(browser, "honorar.betrag", "viel")
    field(browser, "honorar.anzahlung_prozent").click()           # leave the field
    messages = browser.find_element(By.CSS_SELECTOR, '[data-meldungen="honorar.betrag"]')
    wait(browser, lambda b: "'viel' ist keine Zahl (z. B. 4800, 4.800, 95,50 oder 2.800,00 €)."
         in messages.text,
         "no error at the field")
    assert field(browser, "honorar.betrag").get_attribute("aria-invalid") == "true"
    assert "Noch 1 Angabe fehlt oder ist ungültig" in status(browser)
    shot(browser, "3-fehler")
    before = set(downloads.iterdir())
    browser.find_element(By.CSS_SELECTOR, 'button[data-format="docx"]').click()
    wait(browser, lambda b: "Herunterladen geht erst" in status(b), "download not refused")
    time.sleep(0.5)
    assert set(downloads.iterdir()) == before
    type_into(browser, "honorar.betrag", "4800")
    settle(browser)
    wait(browser, lambda b: "vollständig" in status(b), status(browser))
    assert "keine Zahl" not in messages.text


def test_the_email_agreement_is_the_second_tab(browser) -> None:
    email_tab = browser.find_element(By.ID, "reiter-email")
    email_tab.click()
    panel = browser.find_element(By.ID, "tafel-email")
    assert panel.is_displayed()
    assert not browser.find_element(By.ID, "tafel-vertrag").is_displayed()
    text = browser.find_element(By.ID, "email").text
    assert text.startswith("Hallo Max,")
    assert "Neugestaltung des Markenauftritts" in text
    shot(browser, "4-email")
    email_tab.send_keys(Keys.ARROW_LEFT)                          # keyboard: back to the contract
    assert browser.switch_to.active_element.get_attribute("id") == "reiter-vertrag"
    assert browser.find_element(By.ID, "tafel-vertrag").is_displayed()


def test_loading_an_answers_file(browser) -> None:
    upload = browser.find_element(By.ID, "datei")
    upload.send_keys(str(SAMPLES / "coach-stunden-verbraucher.yaml"))
    upload.find_element(By.XPATH, "./following-sibling::button").click()
    wait(browser, lambda b: "Geladen: coach-stunden-verbraucher.yaml" in b.page_source,
         "not loaded")
    assert field(browser, "auftraggeber.name").get_attribute("value") == "Sabine Krüger"
    assert browser.find_element(By.CSS_SELECTOR, 'select[name="honorar.modell"]') \
        .get_attribute("value") == "stunde"
    assert not wrapper(browser, "abstimmung").is_displayed()
    wait(browser, lambda b: "vollständig" in status(b), status(browser))
    wait(browser, lambda b: "Sabine Krüger" in preview_text(b), "preview not updated")
    assert "Widerruf" in preview_text(browser)


def test_the_professions_defaults_follow_the_choice_but_keep_what_the_user_chose(
        browser, server: Server) -> None:
    """Choosing a profession puts its proposals into fields still at the old proposal; a field
    the user set keeps the user's answer."""
    browser.get(server.url)
    wait(browser, lambda b: "fehlen" in status(b), "no status")
    third = 'input[name="leistungserbringung.dritte"][value="{}"]'
    assert browser.find_element(By.CSS_SELECTOR, third.format("erlaubt")).is_selected()
    choose(browser, "beruf", "it")
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, third.format("mit_zustimmung"))
         .is_selected(), "the IT proposal did not arrive")
    choose(browser, "vertragstyp", "dienstvertrag")               # the user's own choice
    settle(browser)
    choose(browser, "beruf", "coaching")
    wait(browser, lambda b: b.find_element(By.CSS_SELECTOR, third.format("erlaubt"))
         .is_selected(), "the coaching proposal did not arrive")
    settle(browser)
    assert browser.find_element(By.CSS_SELECTOR, 'input[name="vertragstyp"][value="dienstvertrag"]') \
        .is_selected()
    model = browser.find_element(By.CSS_SELECTOR, 'select[name="honorar.modell"]')
    assert model.get_attribute("value") == "stunde"                    # coaching: hourly


def test_adding_an_entry_right_after_typing_in_the_list_keeps_both(browser, server: Server) -> None:
    """The freelancer types into the first tier and at once clicks "Eintrag hinzufügen": the
    pending check of the typing and the blur of the field must not swallow the click, and the
    typed values stay (a regression: the list was replaced from an older answer)."""
    browser.get(server.url)
    wait(browser, lambda b: "fehlen" in status(b), "no status")
    entries = '[data-liste="ausfall.staffel"] .eintrag'
    add = '[data-liste="ausfall.staffel"] .hinzufuegen'
    start = len(browser.find_elements(By.CSS_SELECTOR, entries))
    browser.find_element(By.CSS_SELECTOR, add).click()
    wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, entries)) == start + 1,
         "first entry not added")
    first = f"ausfall.staffel[{start + 1}]"
    type_into(browser, f"{first}.tage_vorher", "7")
    type_into(browser, f"{first}.prozent", "25")
    browser.find_element(By.CSS_SELECTOR, add).click()           # no pause: as a person does
    wait(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, entries)) == start + 2,
         "the second entry never appeared")
    settle(browser)
    assert field(browser, f"{first}.tage_vorher").get_attribute("value") == "7"
    assert field(browser, f"{first}.prozent").get_attribute("value") == "25"
