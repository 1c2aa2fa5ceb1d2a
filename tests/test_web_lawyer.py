"""`contractgen web --library PATH` for lawyers: the preview follows the clause files on disk,
`library check`'s findings with file and line, the lint's sample combinations; and a question
the library adds is a field without any code for it."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES
from webtools import Server, find_browser, require_web, start_browser, stop_browser

require_web()

NEW_QUESTION = """
- key: testabschnitt
  type: group
  label: Neuer Abschnitt aus der Bibliothek
  help: Kommt nur in dieser Test-Bibliothek vor.
  optional: true
  fields:
    - {key: stichtag, type: date, label: Stichtag, required: true}
    - {key: art, type: choice, label: Art, default: a, choices: {a: Erste Art, b: Zweite Art}}
    - {key: posten, type: textlist, label: Posten, default: []}
    - key: stufen
      type: grouplist
      label: Stufen
      default: []
      fields:
        - {key: wert, type: integer, label: Wert, required: true, min: 1, max: 9}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bibliothek") / "bibliothek"
    shutil.copytree(ROOT / "clause_library", root)
    with (root / "questionnaire.yaml").open("a", encoding="utf-8") as handle:
        handle.write(NEW_QUESTION)
    return root


@pytest.fixture(scope="module")
def server(library: Path, tmp_path_factory: pytest.TempPathFactory):
    config = tmp_path_factory.mktemp("lawyer-config")
    running = Server(args=["--library", str(library), "--from",
                           str(SAMPLES / "designerin-pauschal.yaml")],
                     env={"CONTRACTGEN_CONFIG_DIR": str(config)}).start()
    yield running
    running.stop()


def lint_status(server: Server, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, body = server.request("GET", "/api/bibliothek")
        assert status == 200
        data = json.loads(body)
        if "library check:" in data["lint_html"] and not data["running"]:
            return data
        time.sleep(0.3)
    raise AssertionError("library check did not finish")


def test_a_question_the_library_adds_is_a_field(server: Server) -> None:
    page = server.page()
    for name in ("_mit:testabschnitt", "testabschnitt.stichtag", "testabschnitt.art",
                 "testabschnitt.posten"):
        assert f'name="{name}"' in page, name
    assert 'data-liste="testabschnitt.stufen"' in page
    assert "Kommt nur in dieser Test-Bibliothek vor." in page
    csrf = server.csrf()
    status, _, body = server.post_form("/api/zustand", [
        ("_modus", "vertrag"), ("_mit:testabschnitt", "ja"), ("testabschnitt.stichtag", "31.02.2027"),
        ("testabschnitt.stufen[1].wert", "12")], csrf=csrf)
    data = json.loads(body)
    assert data["errors"]["testabschnitt.stichtag"] == ["'31.02.2027' ist kein gültiges Datum."]
    assert data["errors"]["testabschnitt.stufen[1].wert"] == ["12 ist zu groß; Höchstwert: 9."]


def test_library_check_findings_with_file_and_line(server: Server) -> None:
    data = lint_status(server)
    html = data["lint_html"]
    from contractgen import api

    assert f"library check: {len(api.load_library().clauses)} Klauseln" in html
    assert "clauses/zahlung.md:2" in html and "reviewed-missing" in html
    assert "questionnaire.yaml" in html and "unused-question" in html   # the new question


def test_samples_of_the_lint_can_be_shown(server: Server) -> None:
    page = server.page()
    assert 'id="beispiel"' in page
    assert page.count('<option value="', page.index('id="beispiel"')) > 10
    status, _, body = server.post_form("/beispiel", {"beispiel": "1"}, csrf=server.csrf())
    text = body.decode()
    assert status == 200
    assert "Kombination 2: " in text
    assert "auftraggeber.art=verbraucher" in text


@pytest.mark.skipif(find_browser() is None, reason="Chromium fehlt (nur lokal übersprungen)")
def test_the_preview_follows_the_clause_files(server: Server, library: Path,
                                              tmp_path: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser = start_browser(tmp_path)
    try:
        browser.get(server.url)

        def preview() -> str:
            try:
                browser.switch_to.frame(browser.find_element(By.ID, "vorschau"))
                return str(browser.find_element(By.TAG_NAME, "body").text)
            except StaleElementReferenceException:      # the preview was just replaced
                return ""
            finally:
                browser.switch_to.default_content()

        WebDriverWait(browser, 15).until(lambda b: "Nordlicht" in preview())
        clause = library / "clauses" / "zahlung.md"
        text = clause.read_text(encoding="utf-8")
        marker = "stellt das Pauschalhonorar nach der Abnahme"
        assert marker in text
        clause.write_text(text.replace(marker, "GEÄNDERT: " + marker, 1), encoding="utf-8")
        # re-reading the changed library and rendering again: seconds, more on a loaded machine
        WebDriverWait(browser, 60).until(lambda b: "GEÄNDERT: " + marker in preview())
        browser.find_element(By.ID, "reiter-bibliothek").click()
        clauses = len(list((library / "clauses").glob("*.md")))
        WebDriverWait(browser, 60).until(
            lambda b: f"library check: {clauses} Klauseln" in b.find_element(By.ID, "pruefung").text)
        import os

        if os.environ.get("CONTRACTGEN_SCREENSHOTS"):
            browser.save_screenshot(str(Path(os.environ["CONTRACTGEN_SCREENSHOTS"]) /
                                        "5-bibliothek.png"))
    finally:
        stop_browser(browser)
