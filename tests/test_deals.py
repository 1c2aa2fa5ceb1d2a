"""The deals of issue 11 that the clause library can now express (acceptance and cooperation,
liability and risk, IT and web terms, annexes, the other points real agreements set, profession
profiles): every option set in an answers file appears in DOCX, Markdown, HTML and the e-mail
agreement, and every legal guardrail is enforced by validation (or `check` / `library check`,
see test_check.py and tests/libraries/)."""

from __future__ import annotations

import email
import html
import io
import json
import re
import shutil
from pathlib import Path

import docx
import pytest
from conftest import ROOT, SAMPLES, SENT, TODAY
from typer.testing import CliRunner

from contractgen import build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.errors import AnswersError, LibraryError

DESIGNER = SAMPLES / "designerin-pauschal.yaml"
COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
FOTO = SAMPLES / "fotografin-tagessatz.yaml"
SMALL_JOB = SAMPLES / "kleinauftrag-email.yaml"
runner = CliRunner()


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def outputs(library, sample: Path, sets: list[str]) -> dict[str, str]:
    """The contract as Markdown, HTML and DOCX text, and the e-mail agreement, all as plain text
    with one space between words (the e-mail wraps its lines, Markdown escapes punctuation)."""
    answers = load_answers(sample, library=library, profile=None, overrides=sets)
    document = build_document(library, answers, today=TODAY)
    markdown = render_document(document, "md", library=library).decode("utf-8")
    page = render_document(document, "html", library=library).decode("utf-8")
    text = render_document(document, "text", library=library).decode("utf-8")
    return {
        "md": _plain(re.sub(r"\\(.)", r"\1", markdown).replace("**", "")),
        "html": _plain(html.unescape(re.sub(r"<[^>]+>", " ", page.split("<body>", 1)[1]))),
        "docx": _plain(_docx_text(render_document(document, "docx", library=library))),
        "email": _plain(text),
    }


def assert_everywhere(found: dict[str, str], contract: list[str], mail: list[str]) -> None:
    for name in ("md", "html", "docx"):
        for phrase in contract:
            assert phrase in found[name], (name, phrase)
    for phrase in mail:
        assert phrase in found["email"], ("email", phrase)


# -- 4. acceptance and cooperation -------------------------------------------------------------------
def test_materials_with_due_dates_and_the_feedback_period(library):
    found = outputs(library, DESIGNER, [
        "mitwirkung.materialien=[{was: Logo als Vektordatei, bis: 2027-01-20}, {was: Texte der Website}]",
        "mitwirkung.rueckmeldung_arbeitstage=3"])
    assert_everywhere(found, ["Logo als Vektordatei bis zum 20. Januar 2027",
                              "Texte der Website rechtzeitig vor Beginn der Arbeiten",
                              "innerhalb von drei Arbeitstagen nach Zugang"],
                      ["Logo als Vektordatei bis zum 20. Januar 2027 und Texte der Website",
                       "Rückmeldungen innerhalb von drei Arbeitstagen"])


def test_acceptance_period_partial_acceptance_and_no_deemed_acceptance(library):
    found = outputs(library, DESIGNER, ["abnahme.pruefung_werktage=15", "abnahme.fiktion=false",
                                        "abnahme.teilleistungen=[Konzept, Gestaltung]"])
    assert_everywhere(found, ["mindestens 15 Werktage",
                              "Folgende Teilleistungen nimmt der Auftraggeber jeweils gesondert ab",
                              "Konzept und Gestaltung", "§ 641 Abs. 1 S. 2 BGB"],
                      ["Einzeln abgenommen werden: Konzept und Gestaltung",
                       "mindestens 15 Werktage ab meiner Bitte um Abnahme"])
    for name in found:
        assert "als abgenommen" not in found[name], name


def test_deemed_acceptance_carries_the_notice_and_for_consumers_its_condition(library):
    sets = ["auftraggeber.art=verbraucher", "auftraggeber.kaufmann=", "honorar.anzahlung_prozent=",
            "auftragnehmer.telefon=040 123456"]
    found = outputs(library, DESIGNER, sets)
    assert_everywhere(found, ["gilt das Ergebnis als abgenommen (§ 640 Abs. 2 BGB)",
                              "zusammen mit der Bitte um Abnahme in Textform hin",
                              "Ohne diesen Hinweis tritt die Wirkung gegenüber dem Auftraggeber "
                              "nicht ein"],
                      ["gilt das Ergebnis als abgenommen", "ausdrücklich hin"])


def test_presentation_dates(library):
    found = outputs(library, DESIGNER, [
        "termine.praesentationen=[{datum: 2027-02-03, gegenstand: zwei Logo-Entwürfe, ort: per Video}]"])
    assert_everywhere(found, ["3. Februar 2027: zwei Logo-Entwürfe (per Video)",
                              "Eine Präsentation ist weder Freigabe noch Abnahme"],
                      ["3. Februar 2027: zwei Logo-Entwürfe (per Video)",
                       "noch keine Freigabe oder Abnahme"])


# -- 5. liability and risk ---------------------------------------------------------------------------
def test_liability_cap_in_a_sum_keeps_every_carve_out(library):
    found = outputs(library, DESIGNER, ["haftung.begrenzung=summe", "haftung.je_schadensfall=50000",
                                        "haftung.insgesamt=100000",
                                        "haftung.versicherung_summe=250000"])
    assert_everywhere(found, ["auf 50.000,00 € je Schadensfall und auf 100.000,00 € für alle "
                              "Schadensfälle eines Vertragsjahres zusammen begrenzt",
                              "haftet der Auftragnehmer bis zu seiner Höhe",
                              "also nicht bei Schäden aus der Verletzung des Lebens",
                              "Berufshaftpflichtversicherung mit einer Deckungssumme von "
                              "250.000,00 €"],
                      ["höchstens auf 50.000,00 € je Schadensfall und 100.000,00 € je "
                       "Vertragsjahr", "Produkthaftungsgesetz",
                       "berufshaftpflichtversichert (Deckungssumme 250.000,00 €"])


def test_liability_cap_of_the_fee(library):
    found = outputs(library, DESIGNER, ["haftung.begrenzung=honorar"])
    assert_everywhere(found, ["je Schadensfall auf das Nettohonorar des Auftrags begrenzt"],
                      ["höchstens auf das Nettohonorar des betroffenen Auftrags"])


def test_liability_cap_is_refused_for_consumers(library):
    with pytest.raises(AnswersError) as raised:
        load_answers(COACH, library=library, profile=None,
                     overrides=["haftung.begrenzung=summe", "haftung.je_schadensfall=5000"])
    messages = {p.key: p.message for p in raised.value.problems}
    assert "gegenüber Verbrauchern unwirksam" in messages["haftung.begrenzung"]
    assert raised.value.exit_code == 3


def test_total_cap_below_the_cap_per_damage_is_refused(library):
    with pytest.raises(AnswersError) as raised:
        load_answers(DESIGNER, library=library, profile=None, overrides=[
            "haftung.begrenzung=summe", "haftung.je_schadensfall=50000", "haftung.insgesamt=20000"])
    (problem,) = raised.value.problems
    assert problem.key == "haftung.insgesamt"
    assert "kleiner als haftung.je_schadensfall" in problem.message


def test_force_majeure_and_illness(library):
    found = outputs(library, DESIGNER, ["verhinderung.ruecktritt_wochen=6"])
    assert_everywhere(found, ["wegen Krankheit, Unfalls oder eines vergleichbaren persönlichen",
                              "länger als sechs Wochen", "von dem betroffenen Auftrag zurücktreten",
                              "erstattet Vorauszahlungen"],
                      ["Kann ich wegen Krankheit, Unfall oder höherer Gewalt nicht arbeiten",
                       "länger als sechs Wochen"])
    service = outputs(library, COACH, ["verhinderung.ruecktritt_wochen=2"])
    assert "den betroffenen Auftrag ohne Einhaltung einer Frist kündigen" in service["md"]


# -- 6. IT, web and software -------------------------------------------------------------------------
def test_pre_existing_material_open_source_domain_and_source_code(library):
    found = outputs(library, DESIGNER, [
        "beruf=it", "software.vorbestehend=[Theme-Framework Basis]", "software.open_source=true",
        "web.domain=nordlicht.example", "web.inhaber=auftraggeber", "web.kosten=weiterberechnet",
        "nutzungsrechte.quelldateien=gegen_verguetung", "nutzungsrechte.quelldateien_preis=500"])
    assert_everywhere(found, [
        "Vorbestehende Bausteine bleiben beim Auftragnehmer", "Theme-Framework Basis",
        "nennt dem Auftraggeber bei der Übergabe jede Komponente mit ihrer Lizenz",
        "Die Domain „nordlicht.example“ und der Vertrag über das Hosting werden auf den Namen "
        "des Auftraggebers", "ohne Aufschlag weiter",
        "übergibt der Auftragnehmer den Quellcode und die zu seiner Weiterentwicklung nötigen "
        "Dateien gegen eine gesonderte Vergütung von 500,00 €",
        "§ 69c Nr. 2 UrhG"],
        ["Eigene Bausteine und Werkzeuge", "(Theme-Framework Basis)", "Open-Source-Komponenten",
         "Die Domain nordlicht.example und der Hosting-Vertrag laufen auf deinen Namen",
         "Den Quellcode und die zu seiner Weiterentwicklung nötigen Dateien übergebe ich auf "
         "Wunsch gegen 500,00 € zuzüglich Umsatzsteuer"])


def test_domain_in_the_freelancers_name_is_transferred_on_request(library):
    found = outputs(library, DESIGNER, ["web.inhaber=auftragnehmer"])
    assert_everywhere(found, ["überträgt er die Domain auf den Auftraggeber"],
                      ["übertrage sie auf deinen Wunsch an dich"])


def test_credit_notice_and_portfolio_use(library):
    found = outputs(library, DESIGNER, ["nutzungsrechte.urhebervermerk=keine",
                                        "nutzungsrechte.eigenwerbung=mit_zustimmung"])
    assert_everywhere(found, ["ohne Urheberbezeichnung genutzt", "§ 13 S. 2 UrhG",
                              "wenn der Auftraggeber dem im Einzelfall in Textform zugestimmt hat"],
                      ["Mein Name wird als Urheberin oder Urheber nicht genannt",
                       "als Referenz zeige ich die Ergebnisse nur mit deiner Zustimmung"])
    none = outputs(library, DESIGNER, ["nutzungsrechte.eigenwerbung=nein"])
    assert "Vorbehalten bleibt die Nutzung zur Eigenwerbung" not in none["md"]
    assert "Der Auftragnehmer zeigt die Ergebnisse nicht zur Eigenwerbung" in none["md"]


def test_photographer_rights_by_medium_and_print_run_with_credit(library):
    found = outputs(library, FOTO, [])
    assert_everywhere(found, [
        "ausschließlich die in § 15 Abs. 2 einzeln bezeichneten Nutzungsarten",
        "Vervielfältigung und Verbreitung in Druckerzeugnissen",
        "Imagebroschüre 2027, bis zu einer Auflage von insgesamt 5.000 Stück",
        "öffentliche Zugänglichmachung in Social-Media-Kanälen des Auftraggebers (§ 19a UrhG)",
        "Andere Nutzungsarten sind nicht eingeräumt", "in der Form „Foto: Jana Licht“",
        "Sind die Nutzungsarten nicht einzeln bezeichnet, bestimmt sich der Umfang der Rechte nach "
        "dem Vertragszweck (§ 31 Abs. 5 UrhG)"],
        ["und zwar nur für Druckerzeugnisse (Imagebroschüre 2027, höchstens 5.000 Stück)",
         "(„Foto: Jana Licht“)"])


def test_annexes_are_listed_rendered_and_referenced_in_the_email(library):
    found = outputs(library, DESIGNER, [
        "leistungsbeschreibung.punkte=[Logo in drei Farbvarianten, Geschäftspapier]",
        "leistungsbeschreibung.abnahmekriterien=[Das Logo funktioniert ab 16 Pixel Breite]",
        "preisliste.positionen=[{leistung: Weitere Variante, preis: 150, einheit: je Variante}]",
        "anlagen.weitere=[Angebot Nr. 2027-014 vom 5. Januar 2027]"])
    assert_everywhere(found, [
        "Anlagen:", "Anlage 1: Leistungsbeschreibung", "Anlage 2: Preisliste",
        "Anlage 3: Angebot Nr. 2027-014 vom 5. Januar 2027 (gesondert beigefügt)",
        "der Leistungsbeschreibung in Anlage 1", "Logo in drei Farbvarianten",
        "insbesondere den Abnahmekriterien in Anlage 1", "Weitere Variante: 150,00 € je Variante"],
        ["Anlagen: – Anlage 1: Leistungsbeschreibung (am Ende dieser E-Mail) – Anlage 2: "
         "Preisliste (am Ende dieser E-Mail) – Anlage 3: Angebot Nr. 2027-014 vom 5. Januar 2027 "
         "(gesondert beigefügt)", "ANLAGE 1: LEISTUNGSBESCHREIBUNG", "Logo in drei Farbvarianten",
         "Die Einzelheiten stehen in der Leistungsbeschreibung am Ende dieser E-Mail"])
    md = found["md"]
    # the list stands before the signatures, the annexes after them
    assert md.index("Anlagen:") < md.index("Ort, Datum") < md.index("Anlage 1: "
                                                                            "Leistungsbeschreibung Diese")


def test_a_contract_without_annexes_has_no_list(library):
    found = outputs(library, DESIGNER, [])
    assert all("Anlagen:" not in text for text in found.values())


# -- 7. the other points real agreements set ---------------------------------------------------------
def test_confidentiality_duration(library):
    found = outputs(library, DESIGNER, ["vertraulichkeit.dauer_jahre=5"])
    assert_everywhere(found, ["fünf Jahre über ihr Ende hinaus"],
                      ["auch noch fünf Jahre nach dem Ende der Zusammenarbeit"])


def test_expenses_at_cost_with_an_approval_threshold(library):
    found = outputs(library, DESIGNER, ["auslagen.regel=nach_aufwand", "auslagen.freigabe_ab=500",
                                        "auslagen.km_satz=0.30"])
    assert_everywhere(found, ["Eine einzelne Auslage über 500,00 € netto", "0,30 € je gefahrenem",
                              "Für Auslagen und Reisekosten gilt § "],
                      ["Einzelne Auslagen über 500,00 € stimme ich vorher mit dir ab"])
    assert "erstattet der Auftraggeber nur, wenn er ihnen vorher" not in found["md"]
    included = outputs(library, SMALL_JOB, ["auslagen.regel=inklusive"])
    assert_everywhere(included, ["Mit dem Honorar sind alle Kosten abgegolten"],
                      ["Reisekosten, Fremdleistungen und andere Auslagen sind im Honorar enthalten"])


def test_subcontracting_and_a_narrow_non_compete(library):
    found = outputs(library, DESIGNER, ["leistungserbringung.dritte=mit_zustimmung",
                                        "leistungserbringung.wettbewerb=andere Agenturen in Hamburg"])
    assert_everywhere(found, ["setzt er nur mit vorheriger Zustimmung des Auftraggebers in "
                              "Textform ein", "keine Aufträge über gleichartige Leistungen für "
                              "andere Agenturen in Hamburg", "ein Wettbewerbsverbot danach besteht "
                              "nicht"],
                      ["Subunternehmer setze ich nur mit deiner Zustimmung ein",
                       "arbeite ich nicht für andere Agenturen in Hamburg"])


def test_a_non_compete_is_refused_for_consumers(library):
    with pytest.raises(AnswersError) as raised:
        load_answers(COACH, library=library, profile=None,
                     overrides=["leistungserbringung.wettbewerb=andere Coaches"])
    assert [p.key for p in raised.value.problems] == ["leistungserbringung.wettbewerb"]
    assert "nur gegenüber Unternehmern" in raised.value.problems[0].message


def test_contract_number_register_and_vat_id(library):
    sets = ["vertragsnummer=2027-014", "auftraggeber.register=Amtsgericht Hamburg, HRB 12345",
            "auftraggeber.ust_id=DE999999995"]
    found = outputs(library, DESIGNER, sets)
    assert_everywhere(found, ["Neugestaltung des Markenauftritts · Nr. 2027-014",
                              "Amtsgericht Hamburg, HRB 12345", "USt-IdNr. DE999999995"], [])
    answers = load_answers(DESIGNER, library=library, profile=None, overrides=sets)
    document = build_document(library, answers, today=TODAY)
    draft = render_document(document, "eml", library=library, sent=SENT)
    message = email.message_from_bytes(draft)
    assert "(Nr. 2027-014)" in str(email.header.make_header(email.header.decode_header(
        message["Subject"])))


# -- 8. profession profiles --------------------------------------------------------------------------
def test_the_consumer_coaching_sample_asks_for_no_briefing_logos_or_systems(library):
    found = outputs(library, COACH, [])
    section = found["md"].split("§ 4 Mitwirkung des Auftraggebers", 1)[1].split("## § 5", 1)[0]
    for word in ("Briefing", "Logos", "Systemen", "Dateiformat"):
        assert word not in section, word
    assert "seine Anliegen und Ziele" in section
    mail = found["email"].split("Mitwirkung des Auftraggebers:", 1)[1].split("–", 1)[0]
    assert "Briefing" not in mail and "Zugänge" not in mail


def test_the_profession_gives_defaults_to_what_the_answers_file_leaves_out(library, write_answers):
    path = write_answers(DESIGNER.read_text(encoding="utf-8").replace("beruf: design", "beruf: it"))
    answers = load_answers(path, library=library, profile=None)
    assert answers.get("leistungserbringung.dritte") == "mit_zustimmung"
    assert answers.get("nutzungsrechte.quelldateien") == "inklusive"
    document = build_document(library, answers, today=TODAY)
    text = render_document(document, "md", library=library).decode("utf-8")
    assert "stellt, wo der Auftrag es erfordert, eine Testumgebung bereit" in text
    assert "Zwischenstände und Testversionen legt der Auftragnehmer" in text
    # an answer in the file wins over the profession's default
    kept = load_answers(path, library=library, profile=None,
                        overrides=["leistungserbringung.dritte=erlaubt"])
    assert kept.get("leistungserbringung.dritte") == "erlaubt"


def test_an_answers_file_without_a_profession_keeps_todays_wording(library, write_answers):
    text = DESIGNER.read_text(encoding="utf-8")
    without = write_answers("\n".join(line for line in text.splitlines()
                                      if not line.startswith("beruf:")) + "\n")
    def markdown(path):
        answers = load_answers(path, library=library, profile=None)
        return render_document(build_document(library, answers, today=TODAY), "md",
                               library=library)
    assert markdown(without) == markdown(DESIGNER)


def test_questions_json_lists_every_new_key_with_type_condition_and_choices():
    result = runner.invoke(app, ["questions", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)

    def walk(questions, prefix=""):
        for q in questions:
            yield q
            yield from walk(q.get("fields", []))

    by_key = {q["key"]: q for q in walk(data["questions"])}
    new = ["beruf", "vertragsnummer", "auftraggeber.register", "auftraggeber.ust_id",
           "leistungsbeschreibung.punkte", "leistungsbeschreibung.abnahmekriterien",
           "mitwirkung.materialien", "mitwirkung.materialien.bis", "mitwirkung.rueckmeldung_arbeitstage",
           "termine.praesentationen", "leistungserbringung.dritte", "leistungserbringung.wettbewerb",
           "auslagen.regel", "auslagen.freigabe_ab", "auslagen.km_satz",
           "abnahme.pruefung_werktage", "abnahme.fiktion", "abnahme.teilleistungen",
           "nutzungsrechte.nutzungsarten", "nutzungsrechte.nutzungsarten.auflage",
           "nutzungsrechte.urhebervermerk", "nutzungsrechte.vermerk", "nutzungsrechte.quelldateien",
           "nutzungsrechte.quelldateien_preis", "nutzungsrechte.eigenwerbung",
           "software.vorbestehend", "software.open_source", "web.domain", "web.inhaber",
           "web.kosten", "vertraulichkeit.dauer_jahre", "haftung.begrenzung",
           "haftung.je_schadensfall", "haftung.insgesamt", "haftung.versicherung_summe",
           "verhinderung.ruecktritt_wochen", "preisliste.positionen", "anlagen.weitere"]
    for key in new:
        question = by_key[key]
        assert question["type"] and "when" in question and question["label"], key
        assert question.get("help") or question["type"] in ("group",) or "." in key, key
    assert [c["value"] for c in by_key["beruf"]["choices"]] == [
        "design", "text", "it", "coaching", "foto", "sonstiges"]
    assert by_key["haftung.begrenzung"]["when"] == 'auftraggeber.art == "unternehmer"'
    assert "Verbrauchern unwirksam" in by_key["haftung.begrenzung"]["when_error"]
    assert by_key["haftung.insgesamt"]["not_below"] == "haftung.je_schadensfall"
    assert by_key["vertragsschluss"]["ask"] == 'auftraggeber.art == "verbraucher"'
    assert by_key["haftung"]["ask"] is False
    professions = {p["id"]: p for p in data["professions"]}
    assert professions["coaching"]["defaults"]["vertragstyp"] == "dienstvertrag"
    assert professions["it"]["defaults"]["leistungserbringung.dritte"] == "mit_zustimmung"
    assert "software" in professions["it"]["asks"]
    assert professions["coaching"]["words"]["mitwirkung"] == ["anliegen", "termine"]


def test_every_new_question_has_a_german_label_and_help(library):
    # every question a freelancer is asked about the new options explains itself under "?"
    fields = {q.path: q for q in library.questionnaire.walk()}
    explained = ["beruf", "vertragsnummer", "auftraggeber.register", "auftraggeber.ust_id",
                 "mitwirkung.materialien", "mitwirkung.rueckmeldung_arbeitstage",
                 "leistungserbringung.dritte", "leistungserbringung.wettbewerb",
                 "auslagen.freigabe_ab", "auslagen.km_satz", "abnahme.pruefung_werktage",
                 "abnahme.fiktion", "abnahme.teilleistungen", "nutzungsrechte.nutzungsarten",
                 "nutzungsrechte.urhebervermerk", "nutzungsrechte.vermerk",
                 "nutzungsrechte.quelldateien", "nutzungsrechte.eigenwerbung",
                 "software.vorbestehend", "software.open_source", "web.domain",
                 "vertraulichkeit.dauer_jahre", "haftung.begrenzung", "haftung.insgesamt",
                 "haftung.versicherung_summe", "anlagen.weitere", "leistungsbeschreibung.punkte"]
    for path in explained:
        assert fields[path].help and fields[path].label, path


# -- the profiles are data: the reader checks them ---------------------------------------------------
@pytest.fixture
def library_copy(tmp_path):
    copy = tmp_path / "bibliothek"
    shutil.copytree(ROOT / "clause_library", copy)
    return copy


def test_a_profile_default_is_checked_like_an_answer(library_copy):
    from contractgen import load_library

    profile = library_copy / "berufe" / "foto.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "honorar.modell: tag", "honorar.modell: jaehrlich"), encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        load_library(library_copy)
    problem = next(p for p in raised.value.problems if "foto.yaml" in p.where)
    assert "honorar.modell" in problem.message and "nicht erlaubt" in problem.message


def test_a_profile_without_the_words_of_the_others_is_refused(library_copy):
    from contractgen import load_library

    profile = library_copy / "berufe" / "text.yaml"
    profile.write_text(re.sub(r"\n  freigabe_kurz: .*", "", profile.read_text(encoding="utf-8")),
                       encoding="utf-8")
    with pytest.raises(LibraryError) as raised:
        load_library(library_copy)
    assert any("freigabe_kurz" in p.message and "text.yaml" in p.where
               for p in raised.value.problems)


def test_an_unknown_cooperation_duty_fails_the_library_check(library_copy):
    from contractgen.lint import check_library

    profile = library_copy / "berufe" / "design.yaml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(
        "mitwirkung: [briefing,", "mitwirkung: [kaffee, briefing,"), encoding="utf-8")
    report = check_library(library_copy)
    failed = [f for f in report.findings if f.rule == "render-failed" and f.key == "mitwirkung"]
    assert failed and any("kaffee" in f.message for f in failed)


def test_the_request_for_acceptance_keeps_the_contracts_own_period():
    from contractgen import api

    # TODAY is Sunday 10 January 2027: eleven Werktage (ten plus one in reserve) end on
    # 22 January; with a period of 15 Werktage the earliest day is 28 January
    inputs = {"geliefert": ["Logo"], "frist_bis": "2027-01-25"}
    assert "bis zum 25. Januar 2027" in " ".join(
        api.follow_up_mail("abnahme", DESIGNER, today=TODAY, inputs=inputs).text.split())
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("abnahme", DESIGNER, today=TODAY, inputs=inputs,
                           overrides=["abnahme.pruefung_werktage=15"])
    message = caught.value.problems[0].message
    assert "zu früh" in message and "mindestens 15 Werktage" in message
    longer = api.follow_up_mail("abnahme", DESIGNER, today=TODAY, inputs={"geliefert": ["Logo"]},
                                overrides=["abnahme.pruefung_werktage=15"]).text
    assert "28. Januar 2027" in " ".join(longer.split())
