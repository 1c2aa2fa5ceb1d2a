"""`contractgen web` without a browser (the page also works without JavaScript): the form is
generated from the questionnaire, answers are checked by the CLI's validator, downloads equal
`contractgen generate` / `email` / `auftrag` of the downloaded answers file byte for byte."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLES
from webtools import EPOCH, Server, require_web, sample_fields

require_web()

DESIGNER = SAMPLES / "designerin-pauschal.yaml"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web-form-config")


@pytest.fixture(scope="module")
def server(config: Path):
    running = Server(env={"CONTRACTGEN_CONFIG_DIR": str(config)}).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def csrf(server: Server) -> str:
    return server.csrf()


def state(server: Server, csrf: str, fields: list[tuple[str, str]]) -> dict:
    status, _, body = server.post_form("/api/zustand", [("_modus", "vertrag"), *fields], csrf=csrf)
    assert status == 200, body
    return json.loads(body)


def download(server: Server, csrf: str, fmt: str, fields: list[tuple[str, str]],
             mode: list[tuple[str, str]] | None = None) -> tuple[bytes, dict[str, str]]:
    status, headers, body = server.post_form(f"/herunterladen/{fmt}",
                                             [*(mode or [("_modus", "vertrag")]), *fields],
                                             csrf=csrf)
    assert status == 200, unescape(body.decode("utf-8", "replace"))[-3000:]
    return body, headers


def cli(*args: str, config: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, CONTRACTGEN_CONFIG_DIR=str(config))
    return subprocess.run([sys.executable, "-m", "contractgen", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, check=True)


# -- byte-identical downloads -------------------------------------------------------------------
@pytest.mark.parametrize("sample", ["designerin-pauschal.yaml", "coach-stunden-verbraucher.yaml",
                                    "kleinauftrag-email.yaml", "rahmenvertrag-ohne-projekt.yaml"])
def test_the_docx_equals_generate_of_the_downloaded_answers(server: Server, csrf: str,
                                                            config: Path, tmp_path: Path,
                                                            sample: str) -> None:
    fields = sample_fields(SAMPLES / sample)
    if sample == "rahmenvertrag-ohne-projekt.yaml":
        fields.append(("_mit:projekt", "nein"))
    docx, headers = download(server, csrf, "docx", fields)
    assert headers["content-type"].startswith("application/vnd.openxmlformats")
    assert headers["content-disposition"].startswith("attachment; filename*=UTF-8''")
    answers, _ = download(server, csrf, "yaml", fields)
    (tmp_path / "antworten.yaml").write_bytes(answers)
    cli("generate", "antworten.yaml", "-o", "cli.docx", config=config, cwd=tmp_path)
    assert (tmp_path / "cli.docx").read_bytes() == docx
    eml, _ = download(server, csrf, "eml", fields)
    cli("email", "antworten.yaml", "-o", "cli.eml", config=config, cwd=tmp_path)
    assert (tmp_path / "cli.eml").read_bytes() == eml
    # and the answers mean what the sample means
    from contractgen import api

    library = api.load_library()
    mine = api.load_answers(tmp_path / "antworten.yaml", library=library, profile=None)
    theirs = api.load_answers(SAMPLES / sample, library=library, profile=None)
    assert mine.values == theirs.values


def test_a_framework_without_a_project_loads_without_one(server: Server, csrf: str,
                                                        config: Path) -> None:
    checked = re.compile(r'name="_mit:projekt" value="ja"( checked)?')
    profile = config / "profil.yaml"
    profile.write_text("auftragnehmer:\n  name: Erika Mustermann\n", encoding="utf-8")
    try:
        assert checked.search(server.page()).group(1)           # a fresh form: with a project
        sample = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
        status, _, body = server.post_file("/laden", sample.name, sample.read_bytes(), csrf=csrf)
        assert status == 200
        assert checked.search(body.decode()).group(1) is None    # as loaded: without one
        assert "Alle Angaben sind vollständig" in body.decode()
    finally:
        profile.unlink()


def test_the_profile_layer_is_the_same_as_for_generate(server: Server, csrf: str, config: Path,
                                                       tmp_path: Path) -> None:
    """The profile fills what the form leaves empty, in the page as in `generate`."""
    profile = config / "profil.yaml"
    profile.write_text("auftragnehmer:\n  telefon: 040 999999\n  bank: Hamburger Sparkasse\n"
                       "  iban: DE89 3704 0044 0532 0130 00\n", encoding="utf-8")
    try:
        page = server.page()
        assert 'value="040 999999"' in page                      # prefilled from the profile
        fields = [(k, v) for k, v in sample_fields(DESIGNER)]
        fields += [("auftragnehmer.telefon", ""), ("auftragnehmer.iban", ""),
                   ("auftragnehmer.bank", "")]
        data = state(server, csrf, fields)
        assert data["complete"]
        assert "Profil" in data["notes"]["auftragnehmer.telefon"]
        assert "DE89 3704 0044 0532 0130 00" in data["preview"]      # the profile's IBAN
        docx, _ = download(server, csrf, "docx", fields)
        answers, _ = download(server, csrf, "yaml", fields)
        assert b"040 999999" in answers
        (tmp_path / "a.yaml").write_bytes(answers)
        cli("generate", "a.yaml", "-o", "cli.docx", config=config, cwd=tmp_path)
        assert (tmp_path / "cli.docx").read_bytes() == docx
    finally:
        profile.unlink()


def test_an_individual_order_equals_contractgen_auftrag(server: Server, csrf: str,
                                                        config: Path, tmp_path: Path) -> None:
    framework = SAMPLES / "rahmenvertrag-ohne-projekt.yaml"
    status, _, body = server.post_file("/rahmen", "rahmenvertrag-ohne-projekt.yaml",
                                       framework.read_bytes(), csrf=csrf)
    page = body.decode()
    assert status == 200
    assert 'name="_modus" value="auftrag"' in page
    assert 'name="nummer"' in page and 'name="auftraggeber.name"' not in page
    mode = [("_modus", "auftrag"), ("_rahmen", framework.read_text(encoding="utf-8")),
            ("_rahmen_name", "rahmenvertrag-ohne-projekt.yaml")]
    fields = sample_fields(SAMPLES / "einzelauftraege" / "einzelauftrag-1.yaml")
    docx, _ = download(server, csrf, "docx", fields, mode)
    answers, _ = download(server, csrf, "yaml", fields, mode)
    (tmp_path / "auftrag.yaml").write_bytes(answers)
    (tmp_path / "rahmen.yaml").write_bytes(framework.read_bytes())
    cli("auftrag", "rahmen.yaml", "auftrag.yaml", "-o", "cli.docx", config=config, cwd=tmp_path)
    assert (tmp_path / "cli.docx").read_bytes() == docx
    # a clash with the framework is shown like `contractgen auftrag` reports it
    conflict = sample_fields(SAMPLES / "einzelauftraege" / "einzelauftrag-konflikt.yaml")
    status, _, body = server.post_form("/api/zustand", [*mode, *conflict], csrf=csrf)
    data = json.loads(body)
    assert not data["complete"]
    assert data["errors"] or data["general"]


# -- the form is the questionnaire --------------------------------------------------------------
def test_every_question_of_the_questionnaire_is_a_field(server: Server, csrf: str) -> None:
    from contractgen import api

    status, _, body = server.post_file("/laden", "designerin-pauschal.yaml",
                                       DESIGNER.read_bytes(), csrf=csrf)
    page = body.decode()
    assert status == 200 and "Geladen: designerin-pauschal.yaml" in page
    questionnaire = api.load_library().questionnaire
    # fields of a list of entries are drawn per entry: the designer has entries only for these
    entries = {"ausfall.staffel"}
    in_lists = {f.path for q in questionnaire.walk() if q.type == "grouplist"
                and q.path not in entries for f in q.fields}
    for question in questionnaire.walk():
        if question.path in in_lists:
            continue
        path = re.sub(r"^(ausfall\.staffel)\.", r"\1[1].", question.path)
        if question.type in ("group", "grouplist"):
            assert f'data-key="{path}"' in page, path
        else:
            assert f'name="{path}"' in page, path
    assert 'value="Nordlicht Kommunikation GmbH"' in page
    assert "Ist der Auftraggeber Unternehmer oder Verbraucher?" in page
    assert "Verbraucher ist, wer den Auftrag überwiegend privat erteilt" in page   # help text


def test_conditions_come_from_the_server(server: Server, csrf: str) -> None:
    fields = sample_fields(DESIGNER)
    flat = state(server, csrf, fields)
    assert flat["visible"]["abstimmung"] and flat["visible"]["honorar.anzahlung_prozent"]
    hourly = state(server, csrf, [(k, "stunde" if k == "honorar.modell" else v)
                                  for k, v in fields])
    assert not hourly["visible"]["abstimmung"] and not hourly["visible"]["korrekturen"]
    assert not hourly["visible"]["honorar.stundensatz_zusatz"]
    assert not hourly["visible"]["honorar.stunden_pro_tag"]
    daily = state(server, csrf, [(k, "tag" if k == "honorar.modell" else v) for k, v in fields])
    assert daily["visible"]["honorar.stunden_pro_tag"]
    assert daily["complete"]                          # the default 8 hours applies
    assert not flat["visible"]["auftragnehmer.bank"]  # only with an IBAN
    with_iban = state(server, csrf, [*fields, ("auftragnehmer.iban", "DE89370400440532013000")])
    assert with_iban["visible"]["auftragnehmer.bank"]


def test_errors_are_the_validators_messages_next_to_the_field(server: Server, csrf: str,
                                                              tmp_path: Path) -> None:
    from contractgen import api
    from contractgen.errors import AnswersError

    fields = [(k, "viel" if k == "honorar.betrag" else v) for k, v in sample_fields(DESIGNER)]
    fields += [("auftraggeber.plz", "2045"), ("ausfall.staffel[2].prozent", "20")]
    data = state(server, csrf, fields)
    assert not data["complete"]
    library = api.load_library()
    with pytest.raises(AnswersError) as raised:
        api.load_answers(DESIGNER, library=library, profile=None, overrides=[
            "honorar.betrag=viel", "auftraggeber.plz=2045", "ausfall.staffel.2.prozent=20"])
    cli_messages = {p.key: p.message for p in raised.value.problems}
    assert data["errors"]["honorar.betrag"] == [cli_messages["honorar.betrag"]]
    assert data["errors"]["honorar.betrag"] == [
        "'viel' ist keine Zahl (z. B. 4800, 4.800, 95,50 oder 2.800,00 €)."]
    assert data["errors"]["auftraggeber.plz"] == [cli_messages["auftraggeber.plz"]]
    assert data["errors"]["ausfall.staffel"] == [cli_messages["ausfall.staffel"]]
    status, _, body = server.post_form("/herunterladen/docx",
                                       [("_modus", "vertrag"), *fields], csrf=csrf)
    assert status == 422
    page = unescape(body.decode())
    assert "'viel' ist keine Zahl" in page and "Herunterladen geht erst" in page


def test_an_empty_form_shows_a_draft_with_placeholders(server: Server, csrf: str) -> None:
    data = state(server, csrf, [])
    assert not data["complete"] and data["draft"]
    assert re.search(r"\\?\[Name oder Firma\\?\]", data["preview"])
    assert "auftraggeber.name" in data["missing"]
    assert data["error_count"] > 10
    assert "Angaben fehlen" in data["status"]


def test_risk_warnings_of_check_appear_at_their_field(server: Server, csrf: str) -> None:
    fields = [(k, v) for k, v in sample_fields(DESIGNER)]
    # (a flat fee allows at most 50 % per tier; a tier 30 days ahead is still only a risk)
    fields += [("ausfall.staffel[1].tage_vorher", "30"), ("ausfall.staffel[1].prozent", "20"),
               ("ausfall.staffel[2].tage_vorher", "2"), ("ausfall.staffel[2].prozent", "50")]
    data = state(server, csrf, fields)
    assert data["complete"]
    assert any("30 Tagen" in w for w in data["warnings"]["ausfall.staffel[1].tage_vorher"])
    assert any(r["key"] == "ausfall.staffel[1].tage_vorher" for r in data["risks"])
    # a person reads the hint, not the rule's code that `contractgen check` adds in brackets
    shown = [r["message"] for r in data["risks"]] + \
        [w for ws in data["warnings"].values() for w in ws]
    assert shown and not [m for m in shown if re.search(r"\[[a-z0-9]+(-[a-z0-9]+)+\]$", m)]


def test_lists_grow_and_shrink_without_javascript(server: Server, csrf: str) -> None:
    fields = sample_fields(DESIGNER)
    status, _, body = server.post_form("/", [("_modus", "vertrag"), *fields,
                                             ("_aktion", "hinzufuegen:ausfall.staffel")], csrf=csrf)
    page = body.decode()
    assert status == 200 and 'name="ausfall.staffel[3].tage_vorher"' in page
    status, _, body = server.post_form("/", [("_modus", "vertrag"), *fields,
                                             ("_aktion", "entfernen:ausfall.staffel[1]")], csrf=csrf)
    page = body.decode()
    assert 'name="ausfall.staffel[2].tage_vorher"' not in page
    assert re.search(r'name="ausfall\.staffel\[1\]\.tage_vorher" value="2"', page)
    data = state(server, csrf, [*fields, ("_aktion", "hinzufuegen:ausfall.staffel")])
    assert 'name="ausfall.staffel[3].prozent"' in data["lists"]["ausfall.staffel"]


def test_an_optional_section_is_left_out_by_its_checkbox(server: Server, csrf: str) -> None:
    fields = [*sample_fields(DESIGNER), ("_mit:nutzungsrechte", "nein")]
    answers, _ = download(server, csrf, "yaml", fields)
    assert "nutzungsrechte" not in yaml.safe_load(answers)
    assert "Nutzungsrechte" not in state(server, csrf, fields)["preview"].split("Vergütung")[0]


def test_without_javascript_the_form_posts_and_shows_all_errors(server: Server, csrf: str) -> None:
    status, _, body = server.post_form("/", {"_modus": "vertrag", "_aktion": "pruefen",
                                             "auftraggeber.name": "Nordlicht"}, csrf=csrf)
    page = unescape(body.decode())
    assert status == 200
    assert 'value="Nordlicht"' in page
    assert "fehlt (Name)." in page and "verborgen" not in page.split("<main")[1].split(
        "fehlt (Name).")[0][-200:]
    assert '<iframe id="vorschau"' in page and "srcdoc=" in page


def test_a_broken_answers_file_upload_names_the_line(server: Server, csrf: str) -> None:
    status, _, body = server.post_file("/laden", "kaputt.yaml", b"vertragsart: [kaputt\n",
                                       csrf=csrf)
    page = unescape(body.decode())
    assert status == 422
    assert "kaputt.yaml:2: Die Antwortdatei ist kein gültiges YAML" in page
    status, _, body = server.post_file("/laden", "latin.yaml", "name: Müller\n".encode("latin-1"),
                                       csrf=csrf)
    assert "nicht in UTF-8 kodiert" in unescape(body.decode())


def test_unknown_keys_of_a_loaded_file_are_shown(server: Server, csrf: str) -> None:
    text = DESIGNER.read_text(encoding="utf-8") + "zahlungsweise: bar\n"
    status, _, body = server.post_file("/laden", "a.yaml", text.encode(), csrf=csrf)
    page = unescape(body.decode())
    assert "zahlungsweise: unbekannter Schlüssel" in page


def test_the_command_starts_from_an_answers_file(tmp_path: Path) -> None:
    running = Server(args=["--from", str(DESIGNER)],
                     env={"CONTRACTGEN_CONFIG_DIR": str(tmp_path)}).start()
    try:
        page = running.page()
        assert f"Geladen: {DESIGNER}" in page
        assert 'value="Nordlicht Kommunikation GmbH"' in page
        assert "Alle Angaben sind vollständig" in page
    finally:
        assert running.stop() == 0


def test_the_project_readme_example_starts(tmp_path: Path) -> None:
    """`contractgen web --help` names every option of the README."""
    done = subprocess.run([sys.executable, "-m", "contractgen", "web", "--help"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    for option in ("--from", "--port", "--no-browser", "--library", "--auftrag"):
        assert option in done.stdout


def test_the_pdf_download_when_libreoffice_is_there(server: Server, csrf: str) -> None:
    from conftest import require_soffice

    require_soffice()
    data, headers = download(server, csrf, "pdf", sample_fields(DESIGNER))
    assert data.startswith(b"%PDF") and headers["content-type"] == "application/pdf"


def test_an_order_from_the_contract_in_the_form(server: Server, csrf: str) -> None:
    fields = sample_fields(SAMPLES / "rahmenvertrag-ohne-projekt.yaml") + [("_mit:projekt", "nein")]
    status, _, body = server.post_form("/auftrag", [("_modus", "vertrag"), *fields], csrf=csrf)
    page = unescape(body.decode())
    assert status == 200
    assert 'name="_modus" value="auftrag"' in page and 'name="nummer"' in page
    email = [(k, "email-vereinbarung" if k == "vertragsart" else v)
             for k, v in sample_fields(SAMPLES / "kleinauftrag-email.yaml")]
    status, _, body = server.post_form("/auftrag", [("_modus", "vertrag"), *email], csrf=csrf)
    assert status == 422
    assert "Ein Einzelauftrag braucht einen vollständigen Rahmenvertrag" in unescape(body.decode())


def test_the_command_starts_an_order_and_opens_the_browser(tmp_path: Path) -> None:
    """Without --no-browser the default browser ($BROWSER here) gets the address."""
    import os

    record = tmp_path / "browser.py"
    opened = tmp_path / "opened.txt"
    record.write_text(f"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\n")
    env = dict(os.environ, BROWSER=f"{sys.executable} {record} %s",
               CONTRACTGEN_CONFIG_DIR=str(tmp_path), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "contractgen", "web", "--auftrag",
         str(SAMPLES / "rahmenvertrag-ohne-projekt.yaml")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        import time

        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == url
        running = Server()
        running.url, running.host = url, "127.0.0.1"
        running.port = int(url.split(":")[2].split("/")[0])
        running.token = url.rsplit("token=", 1)[1]
        page = running.page()
        assert "Einzelauftrag zum Rahmenvertrag „rahmenvertrag-ohne-projekt.yaml“" in page
        assert 'name="nummer"' in page
    finally:
        import signal

        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
    assert process.returncode == 0


def test_the_page_loads_nothing_from_elsewhere(server: Server) -> None:
    page = server.page()
    urls = re.findall(r'(?:src|href|action|formaction)="([^"]*)"', page)
    assert urls and all(u.startswith(("/", "#", "data:")) for u in urls), urls
    for name in ("app.js", "style.css"):
        status, _, body = server.request("GET", f"/static/{name}")
        assert status == 200
        assert not re.search(rb"https?://", body.replace(b"http://127.0.0.1", b"")), name
        assert b"@import" not in body and b"url(" not in body
