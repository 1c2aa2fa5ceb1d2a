"""The interview with injected input/output: every sample answered, invalid answers re-asked with
the answers file's own messages, conditions, cross-field rules, --from review, --set."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SAMPLES, TODAY

from contractgen import build_document, load_answers, render_document
from contractgen.library import evaluate_condition
from contractgen.questionnaire.answers_yaml import dump_answers
from contractgen.questionnaire.prompting import Interview, ScriptedIO, starting_point

# One list of typed answers per sample, in questionnaire order ("" = Enter takes the default).
DESIGNER = [
    "design",                # beruf; vertragsschluss is asked for consumers only
    "1", "du",
    # auftragnehmer: name, firma, strasse, plz, ort, email, telefon, steuernummer, ust_id,
    # kleinunternehmer, kaufmann, iban
    "Erika Mustermann", "Mustermann Design", "Hafenstraße 12", "20459", "Hamburg",
    "hallo@mustermann-design.example", "", "12/345/67890", "", "n", "n", "",
    # auftraggeber: name, vertreten_durch, anrede_name, strasse, land, plz, ort, email, art,
    # kaufmann
    "Nordlicht Kommunikation GmbH", "Max Mustermann", "", "Am Sandtorkai 5", "", "20457", "Hamburg",
    "max.mustermann@nordlicht.example", "1", "j",
    # projekt: titel, leistungen..., "", nicht_enthalten..., "", beginn, ende
    "Neugestaltung des Markenauftritts", "Entwicklung von zwei Logo-Entwürfen",
    "Gestaltung der Geschäftsausstattung", "", "Druckabwicklung", "", "15.01.2027", "31.03.2027",
    "werkvertrag",
    # honorar: modell, betrag (German thousands point), stundensatz_zusatz, anzahlung
    "pauschal", "4.800", "95", "30",
    "5",                     # abstimmung.inklusive_stunden
    "2", "",                 # korrekturen
    "j", "7", "25", "j", "2", "50", "n",    # ausfall.staffel (flat fee: at most 50 %)
    "90",                    # ausfall.terminwert_stunde (flat fee with tiers)
    "", "",                  # kuendigung (4), zahlung (14)
    "j", "2", "", "", "", "",  # nutzungsrechte: ausschließlich, Deutschland, unbegrenzt, kein
                             # Zweck, keine Markenrecherche
    "",                      # datenschutz.auftragsverarbeitung (business client): nein
    "Hamburg", "2027-01-10",  # unterschrift
]
COACH = [
    "coaching", "rahmenvertrag", "",
    "Jonas Berger", "Berger Coaching", "Lindenallee 3", "50668", "Köln",
    "kontakt@berger-coaching.example", "0221 123456", "", "", "nein", "nein", "",
    # consumer: the question whether the client is a Kaufmann is skipped
    "Sabine Krüger", "", "Frau Krüger", "Rosenweg 8", "", "50733", "Köln",
    "sabine.krueger@example.org", "verbraucher",
    "",                      # vertragsschluss (fernabsatz): asked because she is a consumer
    "Karriere-Coaching",
    "Coaching-Sitzungen zur beruflichen Neuorientierung (je 60 Minuten, per Video oder in Köln)",
    "Vorbereitung und kurze schriftliche Zusammenfassung jeder Sitzung", "", "",
    "01.02.2027", "30.06.2027",   # a consumer: the end date is required
    "2",
    "",                      # digitales_produkt (consumer): nein
    # hourly: no extra rate, no deposit, no coordination hours, no revision rounds; no price
    # adjustment, and the time options keep their defaults (15-minute increments, timesheet,
    # travel time by agreement, nothing else non-billable, no estimate)
    "stunde", "90", "", "", "", "", "", "",
    # tiers in days (Enter leaves stunden_vorher empty)
    "j", "2", "50", "", "j", "1", "80", "", "n",
    "",                      # laufzeit: Enter = as the agreement says (a framework: open-ended)
    "2", "", "", "", "",     # kuendigung: 2, weeks, any day, no named reasons for cause
    "14", "", "", "",        # zahlung: 14 days from receipt, monthly, bank transfer
    "n",                     # no Nutzungsrechte
    "j",                     # datenschutz.besondere_daten (coaching a consumer): ja
    "Köln", "20.01.2027",
]
SMALL_JOB = [
    "text", "2", "du",
    "Lena Vogt", "", "Gartenstraße 21", "04107", "Leipzig", "lena@vogt-texte.example",
    "", "", "", "j", "n", "",
    "Kaffeerösterei Bohnenglück UG (haftungsbeschränkt)", "Tom Schreiber", "",
    "Karl-Liebknecht-Straße 40", "", "04275", "Leipzig", "tom@bohnenglueck.example", "1", "j",
    "Texte für den neuen Online-Shop", "Startseitentext (ca. 400 Wörter)",
    "zwölf Produktbeschreibungen (je ca. 120 Wörter)", "", "Übersetzungen", "Fotos", "",
    "01.03.2027", "19.03.2027",
    "1",
    "",                      # angebot_gueltig_bis: 14 days after the e-mail
    "1", "850", "60", "",
    "1,5",
    "1", "80",
    "n",                     # no cancellation tiers
    "",                      # zahlung (14); no notice period for a single work contract by e-mail
    "n",                     # no milestone plan (asked for a flat fee without a deposit)
    "j", "einfach", "weltweit", "",
    "Nutzung im Online-Shop und in den Social-Media-Kanälen des Auftraggebers", "",
    "",                      # urhebervermerk: the text profession asks it (ghostwriting)
    "",                      # datenschutz.auftragsverarbeitung: nein
    # e-mail agreement: no signature questions
]
SCRIPTS = {
    "designerin-pauschal": DESIGNER,
    "coach-stunden-verbraucher": COACH,
    "kleinauftrag-email": SMALL_JOB,
}


def interview(library, answers, **kwargs):
    io = ScriptedIO(answers=list(answers))
    return Interview(library.questionnaire, evaluate_condition, io, **kwargs), io


def markdown(library, path):
    document = build_document(library, load_answers(path, library=library), today=TODAY)
    return render_document(document, "md", library=library).decode("utf-8")


@pytest.mark.parametrize("sample", sorted(SCRIPTS))
def test_full_interview_mirrors_sample(library, tmp_path, sample):
    session, io = interview(library, [*SCRIPTS[sample], ""])   # "" confirms the summary
    answers = session.run()
    assert io.answers == []                                     # every scripted answer was asked
    path = tmp_path / "antworten.yaml"
    path.write_text(dump_answers(answers.values, library.questionnaire), encoding="utf-8")
    assert markdown(library, path) == markdown(library, SAMPLES / f"{sample}.yaml")
    assert load_answers(path, library=library).warnings == ()


def test_conditional_questions_are_skipped(library):
    session, io = interview(library, [*COACH, ""])
    session.run()
    prompts = "\n".join(io.transcript)
    assert "Stundensatz für zusätzlichen Aufwand" not in prompts      # hourly fee
    assert "Korrekturschleifen" not in prompts
    assert "Ist der Auftraggeber Kaufmann" not in prompts              # consumer


def test_invalid_answers_are_reasked_with_the_answers_file_message(library):
    script = list(DESIGNER)
    plz = script.index("20459")
    script[plz:plz + 1] = ["2045", "20459"]                      # four digits, then right
    mail = script.index("max.mustermann@nordlicht.example")
    script[mail:mail + 1] = ["keine-adresse", "max.mustermann@nordlicht.example"]
    model = script.index("pauschal")
    script[model:model + 1] = ["pauschl", "7", "pauschal"]       # typo, number out of range
    session, io = interview(library, [*script, ""])
    answers = session.run()
    text = "\n".join(io.transcript)
    assert "'2045' ist keine Postleitzahl für Deutschland (auftragnehmer.land DE); erwartet: " \
           "fünf Ziffern, z. B. 20459." in text
    assert "'keine-adresse' ist keine gültige E-Mail-Adresse." in text
    assert "Meinten Sie 'pauschal'?" in text
    assert "'7' ist nicht erlaubt." in text
    assert answers.get("auftragnehmer.plz") == "20459"
    assert answers.get("honorar.betrag") == Decimal("4800")


def test_required_empty_and_help(library):
    script = list(DESIGNER)
    script[3:4] = ["", "?", "Erika Mustermann"]                 # Enter on a required question, ?
    session, io = interview(library, [*script, ""])
    session.run()
    text = "\n".join(io.transcript)
    assert "Pflichtangabe" in text
    assert "Zu dieser Frage gibt es keine weitere Erklärung." in text


def test_cross_field_rules_reasked_at_once(library):
    script = list(DESIGNER)
    end = script.index("31.03.2027")
    script[end:end + 1] = ["01.01.2027", "31.03.2027"]          # ende before beginn
    tiers = script.index("7")
    # tiers in the wrong order: the whole list is asked again
    # (the value of an appointment hour is asked right after the list, before the check)
    script[tiers - 1:tiers + 7] = ["j", "2", "25", "j", "7", "50", "n", "90",
                                   "j", "7", "25", "j", "2", "50", "n"]
    session, io = interview(library, [*script, ""])
    answers = session.run()
    text = "\n".join(io.transcript)
    assert "liegt nicht nach projekt.beginn" in text
    assert "absteigend" in text
    assert [t["tage_vorher"] for t in answers.get("ausfall.staffel")] == [7, 2]


def test_review_from_earlier_answers_asks_only_the_chosen_sections(library):
    start, fixed = starting_point(source="Eingabe", previous=SAMPLES / "designerin-pauschal.yaml")
    session, io = interview(library, ["projekt", "Neue Website", "", "", "01.06.2027", "-", ""],
                            start=start, fixed=fixed)
    answers = session.run(review=True)
    assert answers.get("projekt.titel") == "Neue Website"
    assert answers.get("projekt.ende") is None
    assert answers.get("honorar.betrag") == Decimal("4800")
    prompts = "\n".join(io.prompts)
    assert "Name oder Firma" not in prompts                     # the client was not asked again


def test_review_asks_what_is_missing(library, write_answers):
    text = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
    path = write_answers(text.replace("  titel: Neugestaltung des Markenauftritts\n", "")
                         .replace("betrag: 4800", "betrag: viel"))
    start, fixed = starting_point(source="Eingabe", previous=path)
    session, io = interview(library, ["", "Titel", "4800", ""], start=start, fixed=fixed)
    answers = session.run(review=True)
    assert answers.get("projekt.titel") == "Titel"
    assert "'viel' ist keine Zahl" in "\n".join(io.transcript)


def test_set_values_are_not_asked(library):
    start, fixed = starting_point(source="Eingabe", overrides=["vertragsart=rahmenvertrag",
                                                               "anrede=du"])
    session, io = interview(library, [DESIGNER[0], *DESIGNER[3:], ""], start=start, fixed=fixed)
    answers = session.run()
    assert answers.get("anrede") == "du"
    assert "Art der Vereinbarung (Pflichtangabe)" not in "\n".join(io.transcript)


def test_end_of_input_raises_and_keeps_nothing(library):
    session, _ = interview(library, DESIGNER[:10])
    with pytest.raises(EOFError):
        session.run()


def test_iban_checked_in_interview(library):
    script = list(DESIGNER)
    iban_at = 14                         # after kaufmann (index 13)
    assert script[iban_at] == ""
    script[iban_at:iban_at + 1] = ["DE89 3704 0044 0532 0130 01", "de89370400440532013000",
                                   "GLS Bank"]
    session, io = interview(library, [*script, ""])
    answers = session.run()
    assert "Prüfziffern" in "\n".join(io.transcript)
    assert answers.get("auftragnehmer.iban") == "DE89 3704 0044 0532 0130 00"
    assert answers.get("auftragnehmer.bank") == "GLS Bank"


# The designer's interview without issue 11 (main at 56914c2, with issue 13's questions): 59
# answers and the confirmation. Issue 11 asks the profession instead of how a contract with a
# business is concluded, and nothing else.
DESIGNER_PROMPTS_BEFORE_ISSUE_11 = 60
ISSUE_12_PROMPTS = 1     # the client's country (auftraggeber.land), before the postcode
ISSUE_11_SECTIONS = ("vertragsnummer", "leistungsbeschreibung", "mitwirkung", "termine",
                     "leistungserbringung", "auslagen", "abnahme", "software", "web",
                     "vertraulichkeit", "haftung", "verhinderung", "preisliste", "anlagen")
ISSUE_11_FIELDS = ("auftraggeber.register", "auftraggeber.ust_id", "nutzungsrechte.nutzungsarten",
                   "nutzungsrechte.urhebervermerk", "nutzungsrechte.quelldateien",
                   "nutzungsrechte.eigenwerbung")


def test_the_designer_with_a_flat_fee_is_asked_no_more_than_before(library):
    session, io = interview(library, [*DESIGNER, ""])
    session.run()
    assert len(io.prompts) == DESIGNER_PROMPTS_BEFORE_ISSUE_11 + ISSUE_12_PROMPTS
    prompts = "\n".join(io.prompts)
    questions = {q.path: q for q in library.questionnaire.walk()}
    for path in (*ISSUE_11_SECTIONS, *ISSUE_11_FIELDS):
        assert questions[path].label not in prompts, path
    # the profession is asked instead of how a contract with a business is concluded
    assert "Wie wird der Vertrag geschlossen?" not in "\n".join(io.transcript)
    assert "beruf" not in {q.path for q in library.questionnaire.walk()
                           if questions[q.path].label in prompts} - {"beruf"}


def test_the_profession_proposes_its_defaults(library):
    script = list(COACH)
    contract_type = script.index("2")                 # vertragstyp: Enter takes the proposal
    script[contract_type] = ""
    session, io = interview(library, [*script, ""])
    answers = session.run()
    assert answers.get("vertragstyp") == "dienstvertrag"
    text = "\n".join(io.transcript)
    assert "Nummer oder Name [dienstvertrag]: " in text
    assert "Nummer oder Name [stunde]: " in text
    assert "Nutzungsrechte: vereinbaren? [j/N]" in text


def test_a_profession_asks_its_own_sections(library):
    from contractgen.questionnaire.rawyaml import raw_from_data

    questions = library.questionnaire
    it = Interview(questions, evaluate_condition, ScriptedIO(answers=["", "", "j"]),
                   start=raw_from_data({"beruf": "it"}, "Eingabe"))
    design = Interview(questions, evaluate_condition, ScriptedIO(),
                       start=raw_from_data({"beruf": "design"}, "Eingabe"))
    for key in ("software", "web", "haftung", "auslagen", "vertragsnummer"):
        assert it.asked(questions.question(key)) and not design.asked(questions.question(key)), key
    it.ask_section("software")
    assert it.io.prompts[0] == "Software und Websites: vereinbaren? [J/n] "  # proposed for IT
    assert it.values["software"]["open_source"] is True


def test_a_section_not_asked_can_be_chosen_after_the_summary(library):
    number = next(i for i, q in enumerate(library.questionnaire.questions, start=1)
                  if q.key == "haftung")
    # confirm "no", choose the liability section, a cap of 50.000 € per damage, confirm
    script = [*DESIGNER, "n", str(number), "2", "50000", "", "", "j"]
    session, io = interview(library, script)
    answers = session.run()
    assert answers.get("haftung.begrenzung") == "summe"
    assert answers.get("haftung.je_schadensfall") == Decimal("50000")
    assert io.answers == []
