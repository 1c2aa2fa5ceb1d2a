"""Issue 11, the terms half: term types, retainer, per-unit and weekly fees, payment plans and
invoicing options. Every option is set in an answers file, checked by its guardrail, and seen in
the contract (Markdown, HTML, DOCX), in the e-mail form and, where it matters, in orders and
follow-up mails; the designer with a flat fee is asked no more than before."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import SAMPLES, TODAY, require_soffice
from docx import Document as open_docx
from test_prompting import COACH as COACH_SCRIPT
from test_prompting import DESIGNER
from typer.testing import CliRunner

from contractgen import api, build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.errors import AnswersError
from contractgen.library import evaluate_condition
from contractgen.questionnaire.consistency import creditor_id_ok
from contractgen.questionnaire.prompting import Interview, ScriptedIO
from contractgen.questionnaire.schema import Questionnaire
from contractgen.terms import fee_model, notice_period
from contractgen.terms.plans import instalments, payment_plan

WEB = SAMPLES / "webentwicklung-wartung.yaml"
IT = SAMPLES / "it-beratung-stunden.yaml"
COACH = SAMPLES / "coach-paket-verbraucher.yaml"
DESIGN = SAMPLES / "designerin-pauschal.yaml"
HOURLY_COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
runner = CliRunner()

# every question this half of issue 11 added (answers-file keys; groups stand for their fields)
NEW_KEYS = (
    "honorar.stunden_pro_woche", "honorar.monatlich_leistung", "honorar.abrechnung",
    "honorar.inklusive_stunden", "honorar.ungenutzte_stunden", "honorar.einmalbetrag",
    "honorar.einmalbetrag_leistung", "honorar.preisanpassung", "honorar.anpassung_max_prozent",
    "honorar.einheit_name", "honorar.einheit_mehrzahl", "honorar.einheit_definition",
    "honorar.einheiten_anzahl", "honorar.probe_einheiten", "honorar.takt_minuten",
    "honorar.zeitnachweis", "honorar.reisezeit", "honorar.nicht_abrechenbar", "honorar.schaetzung",
    "honorar.schaetzung_hinweis_prozent", "ausfall.staffel.stunden_vorher", "laufzeit",
    "kuendigung.frist", "kuendigung.einheit", "kuendigung.zum",
    "kuendigung.grund_zahlungsverzug_tage", "kuendigung.grund_mitwirkung_tage", "zahlung.ab",
    "zahlung.rhythmus", "zahlung.plan", "zahlung.raten", "zahlung.methode", "zahlung.glaeubiger_id",
    "zahlung.vorabankuendigung_tage", "zahlung.iban_auftraggeber",
)


def _without_new_questions(questionnaire: Questionnaire) -> Questionnaire:
    def keep(question):
        return replace(question, fields=tuple(keep(f) for f in question.fields
                                              if f.path not in NEW_KEYS))
    return replace(questionnaire, questions=tuple(keep(q) for q in questionnaire.questions
                                                  if q.path not in NEW_KEYS))


def _prompts(questionnaire, script):
    io_ = ScriptedIO(answers=[*script, ""])
    Interview(questionnaire, evaluate_condition, io_).run()
    assert io_.answers == []
    return io_.prompts


# -- the designer with a flat fee is asked no more than before -------------------------------------
def test_the_flat_fee_designer_is_asked_exactly_what_she_was_asked_before(library):
    after = _prompts(library.questionnaire, DESIGNER)
    before = _prompts(_without_new_questions(library.questionnaire), DESIGNER)
    assert len(after) == len(before) == len(DESIGNER) + 1      # + the confirmation
    assert after == before


def test_an_hourly_framework_is_asked_the_term_notice_and_invoicing_questions(library):
    io_ = ScriptedIO(answers=[*COACH_SCRIPT, ""])
    Interview(library.questionnaire, evaluate_condition, io_).run()
    transcript = "\n".join(io_.transcript)
    for label in ("Wie lange gilt der Vertrag?", "Kündigungsfrist (Zahl", "Einheit der "
                  "Kündigungsfrist", "Zu welchem Zeitpunkt wirkt die Kündigung?",
                  "Abrechnungstakt in Minuten", "Wird Reisezeit berechnet?",
                  "Wie oft stellen Sie Rechnungen?", "Wie zahlt der Auftraggeber?",
                  "Darf sich das Honorar während der Laufzeit ändern?"):
        assert label in transcript, label
    # the older question gives way (it still shows in the summary with its default)
    assert not any(prompt.startswith("Kündigungsfrist in Wochen") for prompt in io_.prompts)


# -- questions --json ------------------------------------------------------------------------------
def _walk(questions, out):
    for q in questions:
        out[q["key"]] = q
        _walk(q.get("fields", ()), out)
    return out


def test_questions_json_lists_every_new_key_with_type_condition_and_choices(library):
    data = json.loads(runner.invoke(app, ["questions", "--json"]).stdout)
    by_key = _walk(data["questions"], {})
    for path in NEW_KEYS:
        question = by_key[path]
        assert question["type"] and "when" in question, path
        if question["type"] == "choice":
            assert question["choices"], path
        assert question["label"] and question.get("help"), path   # "?" explains it
    assert by_key["laufzeit.art"]["choices"] == [
        {"value": "projekt", "label": "Bis das Projekt abgeschlossen ist"},
        {"value": "unbefristet", "label": "Auf unbestimmte Zeit, mit Kündigungsfrist"},
        {"value": "befristet", "label": "Bis zu einem festen Enddatum"},
        {"value": "mindestlaufzeit", "label": "Mit Mindestlaufzeit, danach Verlängerung"}]
    assert {c["value"] for c in by_key["honorar.modell"]["choices"]} >= {
        "monatlich", "einheit", "woche"}
    assert by_key["kuendigung.zum"]["ask"].startswith("not pauschal")
    derived = {d["name"]: d["when"] for d in data["derived"]}
    assert "mindestlaufzeit" in derived and "monatshonorar" in derived


def test_every_new_question_explains_itself_or_is_self_evident(library):
    # choices and numbers the freelancer has to decide on carry a help text (shown with "?")
    questions = {q.path: q for q in library.questionnaire.walk()}
    for path in ("honorar.modell", "honorar.abrechnung", "honorar.inklusive_stunden",
                 "honorar.ungenutzte_stunden", "honorar.preisanpassung", "honorar.einheit_name",
                 "honorar.probe_einheiten", "honorar.takt_minuten", "laufzeit.art",
                 "laufzeit.mindest_monate", "laufzeit.verlaengerung", "kuendigung.frist",
                 "kuendigung.zum", "kuendigung.grund_zahlungsverzug_tage", "zahlung.ab",
                 "zahlung.rhythmus", "zahlung.plan", "zahlung.raten", "zahlung.methode"):
        assert questions[path].help, path


# -- guardrails: validation ----------------------------------------------------------------------
def _errors(library, path, *overrides):
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library, overrides=overrides)
    return {(p.key, p.code) for p in info.value.problems if p.level == "error"}, info.value


PLAN = "zahlung.plan=[{bezeichnung: A, ereignis: vertragsschluss, prozent: 30}, " \
       "{bezeichnung: B, ereignis: freigabe, prozent: 30}, {bezeichnung: C, ereignis: abnahme, prozent: %s}]"


@pytest.mark.parametrize("sample, overrides, key, code", [
    # milestone plan: 100 %, Abnahme last for a Werkvertrag, no payment before work for consumers
    (WEB, [PLAN % 30], "zahlung.plan", "answers.plan-sum"),
    (WEB, ["zahlung.plan=[{bezeichnung: A, ereignis: freigabe, prozent: 50}, "
           "{bezeichnung: B, ereignis: fertigstellung, prozent: 50}]"],
     "zahlung.plan[2].ereignis", "answers.plan-event"),
    (WEB, ["zahlung.plan=[{bezeichnung: A, ereignis: abnahme, prozent: 50}, "
           "{bezeichnung: B, ereignis: freigabe, prozent: 50}]"],
     "zahlung.plan[1].ereignis", "answers.plan-order"),
    (WEB, ["auftraggeber.art=verbraucher", "auftragnehmer.telefon=030 1", PLAN % 40],
     "zahlung.plan[1].ereignis", "answers.plan-consumer"),
    (DESIGN, [PLAN % 40], "honorar.anzahlung_prozent", "answers.plan-deposit"),
    (WEB, ["zahlung.raten=3"], "zahlung.raten", "answers.plan-instalments"),
    # notice: one statement, refused when two disagree
    (HOURLY_COACH, ["kuendigung.frist=1", "kuendigung.einheit=monate", "auftraggeber.art=unternehmer"],
     "kuendigung.frist_wochen", "answers.notice-conflict"),
    (IT, ["kuendigung.zum=laufzeitende"], "kuendigung.zum", "answers.notice-effective"),
    (WEB, ["kuendigung.zum=monatsende"], "kuendigung.zum", "answers.notice-effective"),
    (IT, ["laufzeit.art=projekt", "projekt="], "laufzeit.art", "answers.term-project"),
    # § 309 Nr. 9 BGB for consumers
    (COACH, ["laufzeit.art=mindestlaufzeit", "laufzeit.mindest_monate=30"],
     "laufzeit.mindest_monate", "answers.consumer-term"),
    (COACH, ["laufzeit.art=mindestlaufzeit", "laufzeit.verlaengerung=monate"],
     "laufzeit.verlaengerung", "answers.consumer-term"),
    (COACH, ["laufzeit.art=befristet", "laufzeit.beginn=2027-03-01", "laufzeit.ende=2029-06-30"],
     "laufzeit.ende", "answers.consumer-term"),
    (COACH, ["kuendigung.frist=6", "kuendigung.einheit=wochen"], "kuendigung.frist",
     "answers.consumer-notice"),
    (COACH, ["laufzeit.art=mindestlaufzeit", "kuendigung.zum=monatsende"], "kuendigung.zum",
     "answers.consumer-notice"),
    # fee models
    (COACH, ["honorar.probe_einheiten=10"], "honorar.probe_einheiten", "answers.trial-units"),
    (IT, ["zahlung.rhythmus=voraus"], "zahlung.rhythmus", "answers.rhythm"),
    (COACH, ["zahlung.rhythmus=voraus", "honorar.einheiten_anzahl="], "zahlung.rhythmus",
     "answers.rhythm"),
    (COACH, ["ausfall.staffel=[{stunden_vorher: 24, prozent: 50}, {tage_vorher: 2, prozent: 80}]"],
     "ausfall.staffel", "answers.order"),
    (COACH, ["ausfall.staffel=[{stunden_vorher: 24, tage_vorher: 1, prozent: 50}]"],
     "ausfall.staffel[1]", "answers.tier-unit"),
    (IT, ["zahlung.methode=lastschrift", "zahlung.glaeubiger_id=DE99ZZZ09999999999"],
     "zahlung.glaeubiger_id", "answers.creditor-id"),
])
def test_each_guardrail_refuses_its_case_with_a_clear_message(library, sample, overrides, key, code):
    found, error = _errors(library, sample, *overrides)
    assert (key, code) in found, error.problems
    message = next(p for p in error.problems if p.key == key and p.code == code)
    assert message.location.file.endswith(".yaml") or message.location.file == "--set"
    assert re.search(r"[äöüÄÖÜß]|[a-z]{4}", message.message)   # German words, not a code


def test_the_samples_pass_every_guardrail(library):
    for path in (WEB, IT, COACH):   # notes (level info) may remain, warnings may not
        warnings = api.generate(path, fmt="md", today=TODAY).warnings
        assert [p for p in warnings if p.level != "info"] == [], path


def test_frist_wochen_keeps_working_and_gives_way_to_frist_with_its_unit(library, write_answers):
    designer = load_answers(DESIGN, library=library)
    assert notice_period(designer.values) == {"anzahl": 4, "einheit": "woche", "zum": "jederzeit"}
    months = load_answers(DESIGN, library=library, overrides=[
        "kuendigung.frist=2", "kuendigung.einheit=monate", "kuendigung.zum=quartalsende"])
    assert notice_period(months.values) == {"anzahl": 2, "einheit": "monat", "zum": "quartalsende"}
    # both stated and equal: no contradiction
    same = load_answers(HOURLY_COACH, library=library, overrides=["kuendigung.frist=2"])
    assert notice_period(same.values)["anzahl"] == 2


def test_a_valid_creditor_id_passes():
    assert creditor_id_ok("DE98ZZZ09999999999")
    assert not creditor_id_ok("DE99ZZZ09999999999")


# -- every capability appears in every output ------------------------------------------------------
def _outputs(library, path, overrides=()):
    answers = load_answers(path, library=library, overrides=overrides)
    document = build_document(library, answers, today=TODAY)
    docx = open_docx(io.BytesIO(render_document(document, "docx", library=library)))
    parts = [p.text for p in docx.paragraphs] + [
        c.text for t in docx.tables for r in t.rows for c in r.cells]

    def flat(text: str) -> str:
        return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\\", ""))
    return {
        "md": flat(render_document(document, "md", library=library).decode()),
        "html": flat(re.sub(r"<[^>]+>", "", render_document(document, "html", library=library)
                            .decode())),
        "docx": flat(" ".join(parts)),
        "mail": flat(render_document(document, "text", library=library).decode()),
    }


# (sample, overrides, phrase in the contract, phrase in the e-mail form)
CAPABILITIES = {
    "mindestlaufzeit mit verlaengerung": (WEB, (), "hat eine Mindestlaufzeit von 24 Monaten",
                                          "verlängert sich dann jeweils um 12 Monate"),
    "frist zum laufzeitende": (WEB, (), "mit einer Frist von drei Monaten zum Ende der "
                               "Mindestlaufzeit oder des jeweiligen Verlängerungszeitraums",
                               "mit einer Frist von drei Monaten zum Ende der Laufzeit"),
    "befristet": (IT, ("laufzeit.art=befristet", "laufzeit.ende=2027-12-31"),
                  "endet am 31. Dezember 2027, ohne dass es einer Kündigung bedarf",
                  "endet am 31. Dezember 2027"),
    "unbefristet in monaten zum monatsende": (IT, (), "mit einer Frist von einem Monat zum Ende "
                                              "eines Kalendermonats", "mit einer Frist von einem "
                                              "Monat zum Monatsende"),
    "frist in tagen zum quartalsende": (IT, ("kuendigung.frist=30", "kuendigung.einheit=tage",
                                             "kuendigung.zum=quartalsende"),
                                        "mit einer Frist von 30 Tagen zum Ende eines "
                                        "Kalendervierteljahrs", "mit einer Frist von 30 Tagen zum "
                                        "Quartalsende"),
    "projekt": (IT, ("laufzeit.art=projekt",), "endet, wenn die Leistungen für das Projekt",
                "endet mit dem Abschluss von"),
    "wichtiger grund benannt": (IT, ("kuendigung.grund_zahlungsverzug_tage=21",
                                     "kuendigung.grund_mitwirkung_tage=14"),
                                "mit einer fälligen Zahlung noch 21 Tage nach Zugang einer Mahnung",
                                "aus wichtigem Grund auch fristlos"),
    "monatshonorar": (WEB, (), "ein Monatshonorar von 290,00 €", "erhalte ich monatlich 290,00 €"),
    "enthaltene stunden verfallen": (WEB, (), "verfallen am Monatsende", "verfallen am Monatsende"),
    "stunden gehen in den folgemonat": (WEB, ("honorar.ungenutzte_stunden=folgemonat",),
                                        "gehen in den folgenden Monat über",
                                        "gehen in den Folgemonat über"),
    "monatshonorar nachträglich": (WEB, ("honorar.abrechnung=nachtraeglich",),
                                   "nach Ablauf des Monats berechnet", "am Ende jedes Monats"),
    "einmaliges honorar": (WEB, (), "einmalig ein Festhonorar von 9.600,00 €",
                           "einmalig 9.600,00 €"),
    "preisanpassung jährlich": (WEB, (), "Eine Erhöhung beträgt höchstens 5 %",
                                "um höchstens 5 % an gestiegene Kosten anpassen"),
    "preis nur nach vereinbarung": (IT, (), "verlangen, dass die Parteien über eine Anpassung "
                                    "verhandeln", "Eine Änderung des Honorars vereinbaren wir "
                                    "nur gemeinsam"),
    "preis fest": (WEB, ("honorar.preisanpassung=keine",), "gilt fest für die gesamte Laufzeit",
                   "gilt fest für die ganze Laufzeit"),
    "zahlungsplan": (WEB, (), "Freigabe des Designs: 30 % (2.880,00 €", "30 % (2.880,00 €) nach "
                     "Freigabe des Designs"),
    "raten": (DESIGN, ("honorar.anzahlung_prozent=", "zahlung.raten=3"),
              "in drei Monatsraten zahlen: drei Raten zu je 1.600,00 €",
              "ohne Zinsen in 3 Monatsraten zahlen"),
    "ab rechnungsdatum": (IT, ("zahlung.ab=rechnungsdatum",), "innerhalb von 30 Tagen nach dem "
                          "Rechnungsdatum", "innerhalb von 30 Tagen nach dem Rechnungsdatum"),
    "lastschrift": (IT, ("zahlung.methode=lastschrift", "zahlung.glaeubiger_id=DE98ZZZ09999999999"),
                    "ein gesondertes SEPA-Lastschriftmandat", "per SEPA-Lastschrift ein"),
    "rechnung nach abschluss": (IT, ("zahlung.rhythmus=abschluss",), "nach Abschluss der "
                                "Leistungen in einer Rechnung ab", "nach Abschluss der Leistungen"),
    "abrechnungstakt": (IT, ("honorar.takt_minuten=6",), "auf die nächsten vollen 6 Minuten "
                        "aufgerundet", "im 6-Minuten-Takt"),
    "zeitnachweis auf verlangen": (IT, ("honorar.zeitnachweis=false",), "der Auftraggeber erhält "
                                   "ihn auf Verlangen", "auf Wunsch einen Zeitnachweis vor"),
    "reisezeit nicht berechnet": (IT, (), "Reisezeit ist keine Arbeitszeit",
                                  "Reisezeit berechne ich nicht"),
    "nicht abrechenbare tätigkeiten": (IT, (), "außerdem Angebotserstellung und eigene "
                                       "Verwaltung und Rechnungsstellung",
                                       "außerdem Angebotserstellung"),
    "schätzung mit hinweis": (IT, (), "Sobald 80 % der Schätzung erreicht sind",
                              "bei 80 % sage ich Ihnen Bescheid"),
    "wochenhonorar": (IT, ("honorar.modell=woche", "honorar.betrag=4200",
                           "honorar.stundensatz_zusatz=120", "honorar.schaetzung="),
                      "4.200,00 € je Kalenderwoche (Wochensatz)", "4.200,00 € je Woche"),
    "wochensatz im voraus": (IT, ("honorar.modell=woche", "honorar.betrag=4200",
                                  "honorar.stundensatz_zusatz=120", "honorar.schaetzung=",
                                  "zahlung.rhythmus=voraus"),
                             "zu Beginn jeder Kalenderwoche im Voraus",
                             "zu Beginn der Woche"),
    "honorar je einheit": (COACH, (), "119,00 € je Coaching-Sitzung (jeweils eine",
                           "119,00 € je Coaching-Sitzung einschließlich 19 % Umsatzsteuer "
                           "(100,00 € netto)"),
    "paket mit probe": (COACH, (), "die erste Einheit ist kostenfrei",
                        "davon 1 kostenfrei zum Kennenlernen"),
    "einheiten nach abruf": (COACH, ("honorar.einheiten_anzahl=", "honorar.probe_einheiten=3"),
                             "die ersten 3 Einheiten sind kostenfrei",
                             "3 Coaching-Sitzungen zum Kennenlernen sind kostenfrei"),
    "paket im voraus": (COACH, ("zahlung.rhythmus=voraus",), "nach den kostenfreien Einheiten im "
                        "Voraus", "berechne ich im Voraus"),
    "absage in stunden": (COACH, (), "mindestens 24 Stunden vor dem vereinbarten Beginn",
                          "mindestens 24 Stunden vor dem Termin ist kostenfrei"),
}


@pytest.mark.parametrize("name", sorted(CAPABILITIES))
def test_each_option_renders_in_docx_markdown_html_and_the_email(library, name):
    sample, overrides, phrase, short = CAPABILITIES[name]
    out = _outputs(library, sample, overrides)
    for fmt in ("md", "html", "docx"):
        assert phrase in out[fmt], (name, fmt)
    assert short in out["mail"], name


def test_the_overview_shows_the_new_terms(library):
    web = _outputs(library, WEB)["md"]
    assert "| Einmaliges Honorar | 9.600,00 € zzgl. 19 % Umsatzsteuer für Konzeption" in web
    assert "| Laufzeit | mindestens 24 Monate, danach Verlängerung um je 12 Monate |" in web
    assert "| Zahlungsplan | 30 % Vertragsschluss, 30 % Freigabe des Designs, 40 % Abnahme" in web
    coach = _outputs(library, COACH)["md"]
    assert "| Vereinbarte Einheiten | 10 Coaching-Sitzungen, davon 1 kostenfrei: 1.071,00 € inkl." \
        in coach


def test_the_statutory_rights_stay_with_every_term(library):
    for term in ("unbefristet", "befristet", "mindestlaufzeit", "projekt"):
        extra = ["laufzeit.ende=2027-12-31"] if term == "befristet" else []
        text = _outputs(library, IT, [f"laufzeit.art={term}", *extra])["md"]
        assert "nach § 627 BGB jederzeit und ohne Frist zu kündigen" in text, term
        assert "(§§ 314, 626 BGB) bleibt ebenfalls unberührt" in text, term
        web = _outputs(library, WEB, [f"laufzeit.art={term}", *extra])["md"]
        assert "jederzeit kündigen (§ 648 BGB)" in web, term
        assert "(§§ 314, 648a BGB)" in web, term


# -- registry and amounts ----------------------------------------------------------------------
def test_plans_and_instalments_add_up_to_the_cent():
    values = {"honorar": {"modell": "pauschal", "betrag": Decimal("1000.00")},
              "zahlung": {"plan": [{"bezeichnung": "a", "ereignis": "vertragsschluss",
                                    "prozent": Decimal("33.33")},
                                   {"bezeichnung": "b", "ereignis": "freigabe",
                                    "prozent": Decimal("33.33")},
                                   {"bezeichnung": "c", "ereignis": "abnahme",
                                    "prozent": Decimal("33.34")}], "raten": 3}}
    plan = payment_plan(values)
    assert [s["betrag"] for s in plan] == [Decimal("333.30"), Decimal("333.30"), Decimal("333.40")]
    assert sum(s["betrag"] for s in plan) == Decimal("1000.00")
    rates = instalments(values)
    assert rates == {"anzahl": 3, "betrag": Decimal("333.33"), "letzte": Decimal("333.34")}
    retainer = {"honorar": {"modell": "monatlich", "betrag": Decimal(290),
                            "einmalbetrag": Decimal(9600)}, "zahlung": values["zahlung"]}
    assert sum(s["betrag"] for s in payment_plan(retainer)) == Decimal(9600)


def test_appointments_under_the_new_fee_models():
    unit = fee_model("einheit").appointment({"betrag": Decimal(100)}, hours=None, days=None)
    assert (unit.unit, unit.quantity, unit.amount) == ("einheit", 1, Decimal(100))
    week = fee_model("woche").appointment({"betrag": Decimal(4200), "stundensatz_zusatz":
                                           Decimal(120)}, hours=Decimal(40), days=None)
    assert week.amount == Decimal(4200) and week.capped_at == Decimal(4200)
    month = fee_model("monatlich").appointment({"betrag": Decimal(290), "stundensatz_zusatz":
                                                Decimal(95)}, hours=Decimal(2), days=None)
    assert month.amount == Decimal(190) and month.included_first


# -- individual orders and follow-up mails understand the new models -------------------------------
@pytest.mark.parametrize("sample, order, phrase", [
    (WEB, {}, "zählt auf die dort enthaltenen Stunden"),
    (WEB, {"honorar": {"betrag": 800}}, "zusätzlich zum Monatshonorar nach § 8 des Rahmenvertrags "
                                        "ein Festhonorar von 800,00 €"),
    (IT, {"honorar": {"schaetzung": 20}}, "mit 130,00 € je Stunde"),
    (COACH, {"honorar": {"einheiten_anzahl": 5}}, "Dieser Einzelauftrag umfasst 5 "
                                                  "Coaching-Sitzungen; das Honorar dafür beträgt "
                                                  "insgesamt 595,00 € einschließlich 19 % "
                                                  "Umsatzsteuer (netto 500,00 €)"),
])
def test_an_order_under_each_new_fee_model(library, tmp_path, sample, order, phrase):
    import yaml

    framework = yaml.safe_load(sample.read_text(encoding="utf-8"))
    framework["vertragsart"] = "rahmenvertrag"
    framework.setdefault("unterschrift", {"ort": "Köln", "datum": "2027-01-20"})
    framework_path = tmp_path / "rahmen.yaml"
    framework_path.write_text(yaml.safe_dump(framework, allow_unicode=True), encoding="utf-8")
    answers = {"nummer": "1", "datum": "2027-06-01", "titel": "Zusatzauftrag",
               "leistungen": ["Eine zusätzliche Leistung"], "beginn": "2027-06-02",
               "ende": "2027-07-31", **order}
    order_path = tmp_path / "auftrag.yaml"
    order_path.write_text(yaml.safe_dump(answers, allow_unicode=True), encoding="utf-8")
    try:
        result = api.generate_order(framework_path, order_path, fmt="md", today=TODAY)
    except AnswersError as error:
        raise AssertionError(error.problems) from None
    text = re.sub(r"\s+", " ", result.data.decode().replace("\u00a0", " ").replace("\\", ""))
    assert phrase in text


def test_the_cancellation_mail_counts_hours_before_the_start(library):
    late = api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
        "termin": "2027-03-10", "termin_uhrzeit": "10:00", "abgesagt_am": "2027-03-09",
        "abgesagt_uhrzeit": "18:00"}).text
    flat = re.sub(r"\s+", " ", late)
    assert "also 16 Stunden vor Beginn" in flat
    assert "1 Coaching-Sitzung × 100,00 € = 100,00 €" in flat
    with pytest.raises(AnswersError) as free:
        api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
            "termin": "2027-03-10", "termin_uhrzeit": "10:00", "abgesagt_am": "2027-03-09",
            "abgesagt_uhrzeit": "09:00"})
    assert "kostenfrei" in str(free.value.problems[0].message)
    with pytest.raises(AnswersError) as unknown:      # the day before: the time decides
        api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
            "termin": "2027-03-10", "abgesagt_am": "2027-03-09"})
    assert unknown.value.problems[0].where == "--termin-uhrzeit"


def test_the_cancellation_mail_under_a_monthly_fee_counts_included_hours_first(library, tmp_path):
    text = (WEB.read_text(encoding="utf-8")
            + "ausfall:\n  staffel:\n    - {tage_vorher: 2, prozent: 50}\n")
    path = tmp_path / "web.yaml"
    path.write_text(text, encoding="utf-8")
    mail = re.sub(r"\s+", " ", api.follow_up_mail("ausfallhonorar", path, today=TODAY, inputs={
        "termin": "2027-06-10", "abgesagt_am": "2027-06-09", "dauer_stunden": "4",
        "stunden_rest": "1"}).text)
    assert "angerechnet auf die noch offenen Stunden Ihres Monatshonorars: 1 Std." in mail
    assert "darüber hinaus berechnet: 95,00 € zuzüglich Umsatzsteuer" in mail


def test_a_batch_row_states_a_cancellation_tier_in_hours(tmp_path):
    """`:100:24` in a CSV cell: no days, 100 %, 24 hours (the README's spelling)."""
    from contractgen import generate_batch

    listing = tmp_path / "liste.csv"
    listing.write_text("auftraggeber.name;ausfall.staffel;_datei\nNina Berg;7:50|:100:24;berg\n",
                       encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    report = generate_batch(listing, output_dir=out, base=COACH, jobs=1, today=TODAY, fmt="md")
    assert not report.failed, [p.message for r in report.failed for p in r.problems]
    text = re.sub(r"\s+", " ", (out / "berg.md").read_text(encoding="utf-8"))
    assert "24 Stunden" in text


# -- the new samples as a user sees them -------------------------------------------------------
@pytest.mark.parametrize("sample, phrase", [
    (WEB, "Mindestlaufzeit von 24 Monaten"), (IT, "Reisezeit ist keine Arbeitszeit"),
    (COACH, "mindestens 24 Stunden vor dem vereinbarten Beginn")])
def test_the_new_samples_convert_with_libreoffice(library, tmp_path, sample, phrase):
    require_soffice()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) fehlt")
    result = api.generate(sample, output=tmp_path / f"{sample.stem}.pdf", fmt="pdf", today=TODAY)
    text = subprocess.run(["pdftotext", str(result.path), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    assert phrase in re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("-\n", ""))

