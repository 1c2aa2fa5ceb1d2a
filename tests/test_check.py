"""`contractgen check`: every problem at once, risk warnings with key path and statute, exit codes."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SAMPLES
from typer.testing import CliRunner

from contractgen import load_answers
from contractgen.cli import app
from contractgen.questionnaire.risks import RULES, assess

runner = CliRunner()
DESIGNER = str(SAMPLES / "designerin-pauschal.yaml")
COACH = str(SAMPLES / "coach-stunden-verbraucher.yaml")
SMALL = str(SAMPLES / "kleinauftrag-email.yaml")
FOTO = str(SAMPLES / "fotografin-tagessatz.yaml")
WEB = str(SAMPLES / "webentwicklung-wartung.yaml")
IT = str(SAMPLES / "it-beratung-stunden.yaml")
PACKAGE = str(SAMPLES / "coach-paket-verbraucher.yaml")
TODAY = dt.date(2027, 1, 10)

# (rule id, sample, --set overrides, key path, statute named in the message)
CASES = [
    ("ausfall-100-prozent", COACH,
     ["ausfall.staffel=[{tage_vorher: 14, prozent: 100}]"], "ausfall.staffel[1].prozent",
     "§ 309 Nr. 5 a"),
    ("ausfall-ohne-freies-fenster", COACH,
     ["ausfall.staffel=[{tage_vorher: 60, prozent: 20}, {tage_vorher: 2, prozent: 50}]"],
     "ausfall.staffel[1].tage_vorher", "§ 308 Nr. 7 a"),
    ("pauschal-ohne-korrektur", DESIGNER, ["korrekturen.inklusive_runden=0"],
     "korrekturen.inklusive_runden", "§ 635 BGB"),
    ("zahlungsziel", DESIGNER, ["zahlung.ziel_tage=75"], "zahlung.ziel_tage", "§ 271a"),
    ("zahlungsziel", COACH, ["zahlung.ziel_tage=45"], "zahlung.ziel_tage", "§ 286 Abs. 3"),
    ("anzahlung-verbraucher-werk", DESIGNER,
     ["auftraggeber.art=verbraucher", "auftraggeber.kaufmann=", "auftragnehmer.telefon=040 1234"],
     "honorar.anzahlung_prozent",
     "§ 309 Nr. 15"),
    # § 40a UrhG: texts for a shop, not the designer's logo (Abs. 3 Nr. 3: no ten-year right)
    ("ausschliesslich-pauschal", SMALL, ["nutzungsrechte.art=ausschliesslich"],
     "nutzungsrechte.art", "§ 40a Abs. 1 UrhG"),
    # issue 14: what a freelancer needs to hear
    ("werk-ohne-nutzungsrechte", DESIGNER, ["nutzungsrechte="], "vertragstyp", "§ 31 Abs. 5 UrhG"),
    ("saetze-unplausibel", DESIGNER, ["honorar.stundensatz_zusatz=9500"],
     "honorar.stundensatz_zusatz", "§ 305c Abs. 1"),
    ("saetze-unplausibel", WEB, ["honorar.stundensatz_zusatz=9500"],
     "honorar.stundensatz_zusatz", "§ 305c Abs. 1"),
    ("saetze-unplausibel", DESIGNER, ["korrekturen.preis_runde=5000"],
     "korrekturen.preis_runde", "§ 305c Abs. 1"),
    ("anzahlung-verbraucher-hoch", DESIGNER,
     ["auftraggeber.art=verbraucher", "auftraggeber.kaufmann=", "auftragnehmer.telefon=040 1234",
      "vertragstyp=dienstvertrag", "honorar.anzahlung_prozent=60"],
     "honorar.anzahlung_prozent", "§ 307 Abs. 1 BGB"),
    ("kleinunternehmer-grenze", DESIGNER,
     ["auftragnehmer.kleinunternehmer=true", "honorar.betrag=150000"], "honorar.betrag",
     "§ 19 Abs. 1 UStG"),
    ("vorzeitiger-beginn", COACH, ["projekt.beginn=2027-01-25"], "projekt.beginn",
     "§ 356 Abs. 4"),
    # issue 13: the offer's deadline (M12), the appointment's value (M10), L6, L14, L15, L5/L19, L9
    ("annahmefrist", SMALL, ["angebot_gueltig_bis=2027-03-15"], "angebot_gueltig_bis",
     "§ 148 BGB"),
    ("terminwert", DESIGNER, ["ausfall.terminwert_stunde=150"], "ausfall.terminwert_stunde",
     "§ 309 Nr. 5 a"),
    ("dienstvertrag-ergebnis", DESIGNER, ["vertragstyp=dienstvertrag"], "projekt.leistungen[1]",
     "X ZR 27/01"),
    ("anzahlung-unternehmer", DESIGNER, ["honorar.anzahlung_prozent=40"],
     "honorar.anzahlung_prozent", "§ 309 Nr. 15"),
    ("tagessatz-stundensatz", DESIGNER, ["honorar.modell=tag", "honorar.betrag=600"],
     "honorar.stundensatz_zusatz", "Tagessatz"),
    ("verbraucher-hinweise", COACH, [], "auftraggeber.art", "§ 37 VSBG"),
    ("status-hinweis", DESIGNER, [], "vertragsart", "§ 7a SGB IV"),
    # issue 11: the deal options
    ("haftung-unter-honorar", DESIGNER, ["haftung.begrenzung=summe", "haftung.je_schadensfall=2000"],
     "haftung.je_schadensfall", "§ 307 Abs. 2 Nr. 2"),
    ("haftung-ueber-versicherung", FOTO, ["haftung.begrenzung=summe",
                                          "haftung.je_schadensfall=2000000"],
     "haftung.versicherung_summe", "§§ 276, 249 BGB"),
    ("abnahme-frist-verbraucher", DESIGNER, ["auftraggeber.art=verbraucher", "auftraggeber.kaufmann=",
                                             "auftragnehmer.telefon=040 1234",
                                             "honorar.anzahlung_prozent=",
                                             "abnahme.pruefung_werktage=7"],
     "abnahme.pruefung_werktage", "§ 640 Abs. 2"),
    ("abnahmefiktion-verbraucher", DESIGNER, ["auftraggeber.art=verbraucher",
                                              "auftraggeber.kaufmann=", "auftragnehmer.telefon=040 1234",
                                              "honorar.anzahlung_prozent="],
     "abnahme.fiktion", "§ 640 Abs. 2 S. 2"),
    ("rueckmeldung-kurz", DESIGNER, ["mitwirkung.rueckmeldung_arbeitstage=1"],
     "mitwirkung.rueckmeldung_arbeitstage", "§ 307"),
    ("wettbewerbsverbot", DESIGNER, ["leistungserbringung.wettbewerb=andere Agenturen in Hamburg"],
     "leistungserbringung.wettbewerb", "§ 7 SGB IV"),
    ("persoenliche-leistung", COACH, ["leistungserbringung.dritte=persoenlich"],
     "leistungserbringung.dritte", "§ 7 SGB IV"),
    ("ohne-urhebernennung", FOTO, ["nutzungsrechte.urhebervermerk=keine"],
     "nutzungsrechte.urhebervermerk", "§ 13 S. 2 UrhG"),
    ("kennzeichen-einfach", FOTO, ["nutzungsrechte.nutzungsarten=[{art: kennzeichen}]"],
     "nutzungsrechte.art", "§ 31 Abs. 3 UrhG"),
    ("auflage-ohne-druck", FOTO, ["nutzungsrechte.nutzungsarten=[{art: online, auflage: 100}]"],
     "nutzungsrechte.nutzungsarten[1].auflage", "§ 31 Abs. 1 S. 2 UrhG"),
    ("auslagen-verbraucher", COACH, ["auslagen.regel=nach_aufwand", "auslagen.freigabe_ab=100"],
     "auslagen.freigabe_ab", "Art. 246a § 1 Abs. 1 Nr. 5 EGBGB"),
    ("domain-eigener-name", DESIGNER, ["web.inhaber=auftragnehmer"], "web.inhaber", "§ 667 BGB"),
    ("vertraulichkeit-lang", DESIGNER, ["vertraulichkeit.dauer_jahre=8"],
     "vertraulichkeit.dauer_jahre", "§ 2 Nr. 1 GeschGehG"),
    # issue 11: terms, fees and payment
    ("kuendigung-termin-verbraucher", COACH, ["kuendigung.frist=2", "kuendigung.zum=monatsende"],
     "kuendigung.zum", "§ 309 Nr. 9 BGB"),
    ("kuendigungsfrist-verbraucher", COACH, ["kuendigung.frist_wochen=8"],
     "kuendigung.frist_wochen", "§ 309 Nr. 9 c BGB"),
    ("lange-bindung", WEB, ["laufzeit.mindest_monate=36"], "laufzeit.mindest_monate", "§ 627 BGB"),
    ("vorauszahlung-verbraucher", PACKAGE, ["zahlung.rhythmus=voraus"], "zahlung.rhythmus",
     "§ 628 Abs. 1 S. 3"),
    ("vorauszahlung-hoch", WEB, ["zahlung.plan=[{bezeichnung: A, ereignis: vertragsschluss, "
                                "prozent: 50}, {bezeichnung: B, ereignis: abnahme, prozent: 50}]"],
     "zahlung.plan[1].prozent", "§ 309 Nr. 15 BGB"),
    ("zahlungsplan-verbraucher-werk", WEB, [
        "auftraggeber.art=verbraucher", "auftragnehmer.telefon=030 1", "kuendigung.frist=1",
        "laufzeit.verlaengerung=unbefristet", "zahlung.plan=[{bezeichnung: A, ereignis: freigabe, "
        "prozent: 50}, {bezeichnung: B, ereignis: abnahme, prozent: 50}]"], "zahlung.plan",
     "§ 632a Abs. 1"),
    ("preisanpassung-verbraucher", PACKAGE, ["laufzeit.art=unbefristet",
                                             "honorar.preisanpassung=jaehrlich"],
     "honorar.preisanpassung", "§ 309 Nr. 1 BGB"),
    ("wichtiger-grund-kurz", IT, ["kuendigung.grund_zahlungsverzug_tage=7"],
     "kuendigung.grund_zahlungsverzug_tage", "§§ 314, 626 BGB"),
    ("einheit-ohne-beschreibung", PACKAGE, ["honorar.einheit_definition="],
     "honorar.einheit_definition", "§ 305c Abs. 2"),
    ("stunden-verfallen-verbraucher", WEB, [
        "auftraggeber.art=verbraucher", "auftragnehmer.telefon=030 1", "kuendigung.frist=1",
        "laufzeit.verlaengerung=unbefristet", "zahlung.plan=[]"], "honorar.ungenutzte_stunden",
     "§ 307 Abs. 3 BGB"),
    ("kleinunternehmer-monatshonorar", WEB, ["auftragnehmer.kleinunternehmer=true",
                                             "honorar.betrag=8000"], "honorar.betrag",
     "§ 19 Abs. 1 UStG"),
    # parties abroad (issue 12)
    ("verbraucher-ausland-ust", COACH, ["auftraggeber.land=AT", "auftraggeber.plz=1010"],
     "auftraggeber.land", "§ 3a Abs. 5 UStG"),
    ("verbraucher-ausland-recht", COACH, ["auftraggeber.land=AT", "auftraggeber.plz=1010"],
     "auftraggeber.land", "Art. 6 Abs. 2 Rom-I-Verordnung"),
    ("gerichtsstand-drittstaat", DESIGNER, ["auftraggeber.land=US", "auftraggeber.plz=10001"],
     "auftraggeber.land", "§ 38 Abs. 2 ZPO"),
    ("reverse-charge-pflichten", str(SAMPLES / "designerin-oesterreich.yaml"), [],
     "auftraggeber.ust_id", "§ 18e UStG"),
    ("auftragnehmer-ausland", DESIGNER, ["auftragnehmer.land=AT", "auftragnehmer.plz=1010"],
     "auftragnehmer.land", "§ 38 ZPO"),
]


@pytest.mark.parametrize("rule, sample, sets, key, statute", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_risk_is_reported_with_key_and_statute(rule, sample, sets, key, statute):
    args = ["check", sample]
    for assignment in sets:
        args += ["--set", assignment]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    line = next((line for line in result.output.splitlines() if f"[{rule}]" in line), None)
    assert line is not None, result.output
    assert key in line and statute in line


def test_every_rule_has_a_case():
    assert {rule.id for rule in RULES} == {case[0] for case in CASES}


def test_samples_without_risks_are_quiet(library):
    # the coach starts 12 days after signing: the only risk is the early start (the contract has
    # the clause; the warning reminds to get the consumer's express request)
    # (notes are not risks: the consumer's invoices and the status procedure, issue 13 L5/L9/L19)
    coach = load_answers(COACH, library=library)
    assert [p.key for p in assess(coach, today=TODAY) if p.level == "warning"] == ["projekt.beginn"]
    small = load_answers(SAMPLES / "kleinauftrag-email.yaml", library=library)
    assert assess(small, today=TODAY) == ()


def test_warning_names_the_file_line(library, write_answers):
    text = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
    path = write_answers(text.replace("ziel_tage: 14", "ziel_tage: 75"))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "ziel_tage" in text)
    answers = load_answers(path, library=library)
    found = [p for p in assess(answers, today=TODAY) if p.key == "zahlung.ziel_tage"]
    assert found and found[0].where == f"{path}:{line}"
    assert found[0].level == "warning"


def test_strict_turns_warnings_into_errors():
    result = runner.invoke(app, ["check", DESIGNER, "--strict", "--set", "zahlung.ziel_tage=75"])
    assert result.exit_code == 3
    assert "Fehler" in result.output and "zahlung.ziel_tage" in result.output
    # a note (info) alone does not fail --strict
    assert runner.invoke(app, ["check", DESIGNER, "--strict"]).exit_code == 0


def test_errors_all_at_once_exit_3(write_answers):
    text = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
    path = write_answers(text.replace("betrag: 4800", "betrag: viel")
                         .replace("art: unternehmer", "art: firma"))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 3
    assert "honorar.betrag" in result.output and "auftraggeber.art" in result.output


def test_clean_file_exits_0_and_says_so():
    result = runner.invoke(app, ["check", str(SAMPLES / "kleinauftrag-email.yaml")])
    assert result.exit_code == 0
    assert "keine Fehler, 0 Warnungen, 0 Hinweise." in result.output


def test_strict_keeps_notes_as_notes_and_counts_in_words():
    result = runner.invoke(app, ["check", DESIGNER, "--strict", "--set", "zahlung.ziel_tage=75"])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert "1 Warnung gilt mit --strict als Fehler." in lines[0]
    note = next(line for line in lines if "[status-hinweis]" in line)
    assert note.strip().startswith("Hinweis: ")
    error = next(line for line in lines if "zahlung.ziel_tage" in line)
    assert error.strip().startswith("Fehler: ")
    two = runner.invoke(app, ["check", DESIGNER, "--strict", "--set", "zahlung.ziel_tage=75",
                              "--set", "korrekturen.inklusive_runden=0"])
    assert "2 Warnungen gelten mit --strict als Fehler." in two.stderr


def test_summary_counts_in_words():
    result = runner.invoke(app, ["check", DESIGNER, "--set", "zahlung.ziel_tage=75"])
    assert result.exit_code == 0
    assert "keine Fehler, 1 Warnung, 1 Hinweis." in result.stdout
    note = next(line for line in result.stderr.splitlines() if "[status-hinweis]" in line)
    assert note.startswith("Hinweis: ")


def test_the_40a_hint_only_where_its_exception_does_not_apply(library):
    # the designer's logo is meant for a mark: § 40a Abs. 3 Nr. 3 UrhG, no hint
    designer = load_answers(DESIGNER, library=library)
    assert "risk.ausschliesslich-pauschal" not in {p.code for p in assess(designer, today=TODAY)}
    brochure = load_answers(DESIGNER, library=library, overrides=[
        "projekt.titel=Imagebroschüre", "projekt.leistungen=[Texte und Bilder der Broschüre]"])
    assert "risk.ausschliesslich-pauschal" in {p.code for p in assess(brochure, today=TODAY)}


def test_plausible_rates_are_quiet(library):
    for sample in (DESIGNER, WEB, IT, FOTO, PACKAGE):
        answers = load_answers(sample, library=library)
        assert not [p for p in assess(answers, today=TODAY)
                    if p.code in ("risk.saetze-unplausibel", "risk.werk-ohne-nutzungsrechte",
                                  "risk.anzahlung-verbraucher-hoch")], sample


def test_problem_levels_in_german():
    from contractgen.errors import Problem

    assert str(Problem("error", "kaputt.", "a.yaml:3", "x", code="t.x")) == "Fehler: a.yaml:3: x: kaputt."
    assert str(Problem("warning", "riskant.", "a.yaml:3", code="t.x")) == "Warnung: a.yaml:3: riskant."
    assert str(Problem("info", "gut zu wissen.", code="t.x")) == "Hinweis: gut zu wissen."
