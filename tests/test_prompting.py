"""The interview with injected input/output: every sample answered, invalid answers re-asked with
the answers file's own messages, conditions, cross-field rules, --from review, --set."""

from __future__ import annotations

import re
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
    # projekt (a framework agreement may leave it out: Enter keeps it), titel, leistungen...,
    # "", nicht_enthalten..., "", beginn, ende
    "", "Neugestaltung des Markenauftritts", "Entwicklung von zwei Logo-Entwürfen",
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
    "",                      # projekt: a framework agreement may leave it out (Enter keeps it)
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
    assert "01.01.2027 liegt nicht nach „Beginn der Arbeiten“ (projekt.beginn: 15.01.2027)" in text
    assert "absteigend" in text
    assert [t["tage_vorher"] for t in answers.get("ausfall.staffel")] == [7, 2]


def test_review_from_earlier_answers_asks_only_the_chosen_sections(library):
    start, fixed = starting_point(source="Eingabe", previous=SAMPLES / "designerin-pauschal.yaml")
    session, io = interview(library, ["projekt", "", "Neue Website", "", "", "01.06.2027", "-", ""],
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
# issue 14: a framework agreement asks whether it names a project (it may leave it out)
PROJECT_OPTIONAL = 1
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
    assert len(io.prompts) == DESIGNER_PROMPTS_BEFORE_ISSUE_11 + PROJECT_OPTIONAL \
        + ISSUE_12_PROMPTS
    assert "„Das Projekt“ in den Vertrag aufnehmen? [J/n] " in io.prompts
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
    assert "„Nutzungsrechte“ in den Vertrag aufnehmen? [j/N]" in text


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
    assert it.io.prompts[0] == "„Software und Websites“ in den Vertrag aufnehmen? [J/n] "  # proposed for IT
    assert it.values["software"]["open_source"] is True


def test_a_section_not_asked_can_be_chosen_after_the_summary(library):
    # the number the summary shows for the liability section (its defaults: no cap)
    first_session, first = interview(library, [*DESIGNER, ""])
    first_session.run()
    label = library.questionnaire.question("haftung").label
    line = next(line for line in first.transcript if re.match(rf"\s*\d+  {re.escape(label)}\b", line))
    number = line.split()[0]
    # confirm "no", choose the liability section, a cap of 50.000 € per damage, confirm
    script = [*DESIGNER, "n", str(number), "2", "50000", "", "", "j"]
    session, io = interview(library, script)
    answers = session.run()
    assert answers.get("haftung.begrenzung") == "summe"
    assert answers.get("haftung.je_schadensfall") == Decimal("50000")
    assert io.answers == []


# -- issue 14: the interview as a new user meets it --------------------------------------------
def _summary_number(transcript, label):
    """The number the summary shows in front of `label` (the last summary shown)."""
    pattern = re.compile(rf"\s*(\d+(?:\.\d+)?)\s+{re.escape(label)}")
    return [m.group(1) for line in transcript if (m := pattern.match(line))][-1]


def test_heute_is_a_date_and_the_signature_defaults_to_today_and_the_own_town(library):
    import datetime as dt

    today = dt.date(2027, 1, 5)
    script = list(DESIGNER)
    script[script.index("15.01.2027")] = "heute"             # projekt.beginn
    script[-2:] = ["", ""]                                    # unterschrift: Enter, Enter
    session, io = interview(library, [*script, ""], today=today)
    answers = session.run()
    assert answers.get("projekt.beginn") == today
    assert answers.get("unterschrift.ort") == "Hamburg"      # auftragnehmer.ort
    assert answers.get("unterschrift.datum") == today
    assert "Ort der Unterschrift [Hamburg]: " in io.prompts
    assert "Datum [05.01.2027]: " in io.prompts


def test_a_file_states_its_date_heute_is_only_for_the_interview(library, write_answers):
    from contractgen.errors import AnswersError

    text = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
    path = write_answers(text.replace("datum: 2027-01-10", "datum: heute"))
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library)
    assert "„heute“ gilt nur im Fragebogen" in str(info.value.problems)


def test_a_framework_agreement_without_a_project(library):
    start = DESIGNER.index("Neugestaltung des Markenauftritts") - 1   # the project question
    # without a project, no fee amount, deposit or appointment value: each order states them
    rest = ["", "",                     # vertragstyp, honorar.modell: the proposals
            "95", "5", "2", "",         # extra-hour rate, coordination hours, rounds, no price
            "n",                        # no cancellation tiers
            "", "",                     # notice period, payment term
            "n", "",                    # no usage rights in the framework; no processing
            "", ""]                     # signature: the own town, today
    script = [*DESIGNER[:start], "n", *rest]
    session, io = interview(library, [*script, ""])
    answers = session.run()
    assert io.answers == []
    assert answers.get("projekt") is None
    assert "„Das Projekt“ in den Vertrag aufnehmen? [J/n] " in io.prompts
    summary = "\n".join(io.transcript)
    assert re.search(r"\d+  Das Projekt +\(nicht vereinbart\)", summary)
    document = build_document(library, answers, today=TODAY)
    text = render_document(document, "md", library=library).decode("utf-8")
    assert "Rahmenvertrag" in text and "Neugestaltung" not in text


def test_changing_one_answer_in_the_summary_asks_only_that_answer(library):
    first, seen = interview(library, [*DESIGNER, ""])
    first.run()
    number = _summary_number(seen.transcript, "Titel des Projekts")
    assert "." in number                                      # e.g. 7.1: an answer in a section
    session, io = interview(library, [*DESIGNER, "n", number, "Website-Relaunch", ""])
    answers = session.run()
    asked = io.prompts[io.prompts.index(next(p for p in io.prompts if p.startswith("Was möchten"))):]
    assert asked[1:] == ["Titel des Projekts [Neugestaltung des Markenauftritts]: ",
                         "Stimmen die Angaben? [J/n] "]
    assert answers.get("projekt.titel") == "Website-Relaunch"
    assert answers.get("projekt.beginn").isoformat() == "2027-01-15"   # the rest unchanged


def test_the_summary_shows_full_labels_and_german_values(library):
    session, io = interview(library, [*COACH, ""])
    session.run()
    start = max(i for i, line in enumerate(io.transcript) if line == "Zusammenfassung:")
    summary = "\n".join(io.transcript[start:])
    flowing = " ".join(summary.split())          # wrapped lines joined
    assert ("Stufe 1: Absage weniger als 2 Tage vor dem Termin, Anteil der Vergütung in Prozent: "
            "50 %") in flowing
    assert "Stufe 2: Absage weniger als 1 Tage" in flowing
    assert "tage_vorher" not in summary and "…" not in summary
    assert "Verbraucher" in summary and "verbraucher" not in summary
    assert "90,00\u00a0€" in summary and "01.02.2027" in summary
    assert all(len(line) <= 100 for line in io.transcript[start:])
    prompts = "\n".join(io.prompts)
    assert "Stufe hinzufügen? " in prompts and "Weitere Stufe hinzufügen? " in prompts
    assert "Staffel hinzufügen" not in prompts


class _Stop(ScriptedIO):
    """Answers from a list, then Ctrl-C once; afterwards the given `after` answers."""

    def __init__(self, answers, after):
        super().__init__(answers=list(answers))
        self.after = list(after)
        self.stopped = False

    def _read(self, prompt):
        if not self.answers and not self.stopped:
            self.stopped = True
            self.transcript.append(prompt)
            self.answers = self.after
            raise KeyboardInterrupt
        return super()._read(prompt)


_PROJECT = DESIGNER.index("Neugestaltung des Markenauftritts")   # answers up to "project? yes"
_ITEM = DESIGNER.index("Entwicklung von zwei Logo-Entwürfen")     # the first service


@pytest.mark.parametrize("stop, given, again", [
    ("eof", 20, 20), ("ctrl-c", 20, 20),
    ("eof", _PROJECT, _PROJECT),          # an optional section agreed, nothing in it yet
    ("eof", _ITEM + 1, _ITEM),            # in the middle of a list: the list is asked again
])
def test_an_interrupted_interview_is_kept_and_resumed_by_new_from(library, tmp_path,
                                                                  isolated_config_dir, stop,
                                                                  given, again):
    from contractgen.errors import Interrupted
    from contractgen.workflows import RECOVERY_MARK, new_answers

    output = tmp_path / "a.yaml"
    first = (ScriptedIO(answers=DESIGNER[:given]) if stop == "eof"
             else _Stop(DESIGNER[:given], after=["j"]))      # "keep the answers?" yes
    with pytest.raises(Interrupted) as info:
        new_answers(output, io=first, offer_contract=False)
    kept = tmp_path / "a.zwischenstand.yaml"
    assert f"Weiter mit:\n  contractgen new --from {kept} -o {output}" in info.value.message
    assert not output.exists()
    assert kept.read_text(encoding="utf-8").startswith(RECOVERY_MARK)
    if stop == "ctrl-c":
        assert any("aufheben, um später weiterzumachen?" in p for p in first.prompts)
    rest = ScriptedIO(answers=[*DESIGNER[again:], "", "n"])   # confirm; no profile
    new_answers(output, io=rest, previous=kept, offer_contract=False)
    assert rest.answers == []                                 # exactly the rest was asked
    assert any("Es geht weiter, wo Sie aufgehört haben" in line for line in rest.transcript)
    assert f"Der Zwischenstand {kept} wird nicht mehr gebraucht und kann gelöscht werden." \
        in rest.transcript
    whole = ScriptedIO(answers=[*DESIGNER, "", "n"])
    again = tmp_path / "b.yaml"
    new_answers(again, io=whole, offer_contract=False)
    assert load_answers(output, library=library).values == load_answers(again, library=library).values


def test_ctrl_c_and_no_keeps_nothing(library, tmp_path, isolated_config_dir):
    from contractgen.errors import Interrupted
    from contractgen.workflows import new_answers

    with pytest.raises(Interrupted) as info:
        new_answers(tmp_path / "a.yaml", io=_Stop(DESIGNER[:5], after=["n"]), offer_contract=False)
    assert "Es wurde nichts gespeichert" in info.value.message
    assert list(tmp_path.iterdir()) == []
