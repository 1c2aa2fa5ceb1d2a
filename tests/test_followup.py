"""Follow-up e-mails: rendered from the samples, § references from the generated contract,
computed amounts, goldens, validation, CLI."""

from __future__ import annotations

import dataclasses
import email
import re
import subprocess
import sys
from email.policy import default as default_policy

import pytest
from conftest import GOLDEN, SAMPLES, SENT, TODAY, check_golden
from typer.testing import CliRunner

from contractgen import api
from contractgen.cli import app
from contractgen.errors import AnswersError
from contractgen.followup import KINDS, load_mail_template
from contractgen.writers.text import write_mail_text

DESIGN = SAMPLES / "designerin-pauschal.yaml"
COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
runner = CliRunner()


def flat(text: str) -> str:
    """The text without its line breaks (the writer wraps at 76 characters)."""
    return re.sub(r"[ \n]+", " ", text)

# kind -> (answers, inputs, texts the mail must contain: computed amounts and key sentences)
MAILS = {
    "gespraechsnotiz": (DESIGN, {
        "datum": "2027-02-03", "teilnehmer": ["Max Mustermann", "Erika Mustermann", "Jonas Weber"],
        "vereinbart": ["Logo-Entwurf B wird weiterentwickelt", "Farbpalette: Nordblau statt Grau"],
        "offen": ["Schriftlizenz klären"], "naechste_schritte": ["Entwurf bis 10. Februar"]},
        ["innerhalb von fünf Arbeitstagen", "durch Schweigen aber nicht zustande",
         # the summary does not tell Max that Max was there, only who else was
         "Gespräch am 3.\u00a0Februar 2027, an dem auch Jonas Weber teilgenommen hat."]),
    "korrekturschleifen": (DESIGN, {"runden_erledigt": "2"},
                           ["zwei Korrekturschleifen", "95,00\u00a0€ je", "Bitte bestätige"]),
    "abstimmungsaufwand": (DESIGN, {"stunden_verbraucht": "4"},
                           ["5 Stunden", "bleibt noch eine Stunde", "95,00\u00a0€ je Stunde"]),
    "ausfallhonorar": (COACH, {"termin": "2027-03-10", "abgesagt_am": "2027-03-09",
                               "dauer_stunden": "1,5"},
                       ["1,5 Std. × 90,00\u00a0€ = 135,00\u00a0€",
                        "davon 50\u00a0%: 80,33\u00a0€ einschließlich 19\u00a0% Umsatzsteuer "
                        "(67,50\u00a0€ netto)",
                        "wesentlich geringerer Ausfall"]),
    "projektabschluss": (DESIGN, {"geliefert": ["Logo in zwei Varianten", "Geschäftsausstattung"],
                                  "offene_rechnung": ["RE-2027-014=3360", "RE-2027-015=190,50"],
                                  "abnahme_am": "2027-03-25"},
                         ["RE-2027-014: 3.360,00\u00a0€", "3.550,50\u00a0€", "14 Tagen",
                          "Rückmeldung", "Abgenommen wurde das Ergebnis am 25.\u00a0März 2027"]),
    # M9: TODAY is Sunday 10 January 2027; ten Werktage plus one in reserve end on 22 January
    "abnahme": (DESIGN, {"geliefert": ["Logo in zwei Varianten", "Geschäftsausstattung"]},
                ["um Abnahme", "bis zum 22.\u00a0Januar 2027", "Hinweis nach §\u00a0640 Abs.\u00a02 BGB",
                 "gilt das Ergebnis als abgenommen"]),
    "vertragsbestaetigung": (COACH, {"geschlossen_am": "2027-01-20",
                                     "vorzeitig_verlangt_am": "2027-01-20"},
                             ["geschlossen am 20.\u00a0Januar 2027 (§\u00a0312f BGB)",
                              "Am 20.\u00a0Januar 2027 haben Sie verlangt",
                              "mit vollständiger Vertragserfüllung durch mich erlischt",
                              "wie vereinbart am 1.\u00a0Februar 2027", "im Anhang"]),
}


def test_every_kind_has_a_case():
    assert set(MAILS) == set(KINDS)


def contract_number(library, answers_path, clause_id, overrides=()):
    answers = api.load_answers(answers_path, library=library, overrides=overrides)
    document = api.build_document(library, answers, today=TODAY)
    return next(s.number for s in document.sections if s.clause_id == clause_id)


@pytest.mark.parametrize("kind", KINDS)
def test_mail_renders_with_the_contracts_number_and_amounts(library, kind, update_golden):
    answers, inputs, expected = MAILS[kind]
    result = api.follow_up_mail(kind, answers, inputs=inputs, today=TODAY)
    text = result.text
    for snippet in expected:
        assert snippet in flat(text), snippet
    clause = load_mail_template(library, kind).clause
    number = contract_number(library, answers, clause)
    (quote,) = result.mail.quotes
    assert quote.reference.startswith(f"§\u00a0{number}")
    assert f"§\u00a0{number}" in text
    assert all(len(line) < 80 for line in text.splitlines())
    assert "Strafe" not in text
    check_golden(GOLDEN / f"mail-{kind}.txt", text, update_golden)


@pytest.mark.parametrize("kind", KINDS)
def test_mail_as_eml_draft(kind, tmp_path):
    answers, inputs, _ = MAILS[kind]
    result = api.follow_up_mail(kind, answers, inputs=inputs, output=tmp_path / "m.eml",
                                today=TODAY, sent=SENT)
    message = email.message_from_bytes(result.path.read_bytes(), policy=default_policy)
    assert str(message["Subject"]).strip() == result.mail.frame.subject
    to = message["To"].addresses[0]
    # the client's display name: the person addressed (vertreten_durch), else the client's name
    assert (to.display_name, to.addr_spec) in (
        ("Max Mustermann", "max.mustermann@nordlicht.example"),
        ("Sabine Krüger", "sabine.krueger@example.org"))
    body = message.get_body()
    assert body.get_param("format") == "flowed"
    flowed = body.get_content().replace("\r\n", "\n")
    assert flowed == write_mail_text(result.mail, flowed=True)
    # without space-stuffing and the soft breaks' spaces (RFC 3676) it is the plain text
    lines = [line[1:] if line.startswith(" ") else line for line in flowed.split("\n")]
    assert "\n".join(line.removesuffix(" ") for line in lines) == result.text
    assert any(line.endswith(" ") for line in flowed.split("\n"))  # soft breaks exist


def test_reference_follows_the_contract_when_a_clause_drops_out(library):
    kind = "projektabschluss"
    answers, inputs, _ = MAILS[kind]
    with_tiers = api.follow_up_mail(kind, answers, inputs=inputs, today=TODAY)
    without = api.follow_up_mail(kind, answers, inputs=inputs, today=TODAY,
                                 overrides=["ausfall.staffel=[]"])
    before = contract_number(library, answers, "zahlung")
    after = contract_number(library, answers, "zahlung", ["ausfall.staffel=[]"])
    assert after == before - 1
    assert with_tiers.mail.quotes[0].reference == f"§\u00a0{before} Abs.\u00a03"
    assert without.mail.quotes[0].reference == f"§\u00a0{after} Abs.\u00a03"


def test_call_summary_for_a_consumer_never_counts_silence_as_consent():
    text = api.follow_up_mail("gespraechsnotiz", COACH, today=TODAY, inputs={
        "datum": "2027-02-03", "vereinbart": ["Nächste Sitzung am 10. Februar"]}).text
    assert "Schweigen gilt nicht als Zustimmung" in flat(text)
    assert "Arbeitstagen" not in flat(text)
    assert text.startswith("Sehr geehrte Frau Krüger,")


def test_cancellation_fee_for_a_flat_fee_uses_the_appointments_value_in_the_fee():
    # M10: not the rate for extra hours (95 €) on top of an unchanged flat fee, but what an
    # appointment hour is worth within the flat fee (ausfall.terminwert_stunde, 90 €)
    text = api.follow_up_mail("ausfallhonorar", DESIGN, today=TODAY, inputs={
        "termin": "2027-02-10", "abgesagt_am": "2027-02-05", "dauer_stunden": "2"}).text
    assert "2 Std. × 90,00\u00a0€ = 180,00\u00a0€" in flat(text)   # 5 days ahead: 25 % tier
    assert "davon 25\u00a0%: 45,00\u00a0€" in flat(text)
    assert "95,00" not in flat(text)


def test_no_show_takes_the_last_tier_and_free_cancellation_is_refused():
    text = api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
        "termin": "2027-03-10", "dauer_stunden": "1"}).text
    assert "nicht erschienen" in flat(text) and "davon 80\u00a0%: 85,68\u00a0€" in flat(text)
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
            "termin": "2027-03-10", "abgesagt_am": "2027-03-01", "dauer_stunden": "1"})
    assert "kostenfrei" in caught.value.problems[0].message


def test_inputs_are_validated_all_at_once_naming_the_options():
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("gespraechsnotiz", DESIGN, today=TODAY,
                           inputs={"datum": "31.02.2027", "runden_erledigt": "2"})
    shown = {p.where: p.message for p in caught.value.problems}
    assert "gilt nicht für die E-Mail" in shown["--runden-erledigt"]
    assert "kein gültiges Datum" in shown["--datum"]
    assert shown["--vereinbart"].startswith("fehlt")
    assert caught.value.exit_code == 3


def test_mail_needs_its_clause_in_the_contract():
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("korrekturschleifen", COACH, inputs={"runden_erledigt": "1"},
                           today=TODAY)
    assert "nicht im Vertrag" in caught.value.message


def test_scope_notices_only_when_due():
    with pytest.raises(AnswersError):
        api.follow_up_mail("korrekturschleifen", DESIGN, inputs={"runden_erledigt": "1"},
                           today=TODAY)
    with pytest.raises(AnswersError):
        api.follow_up_mail("abstimmungsaufwand", DESIGN, inputs={"stunden_verbraucht": "3"},
                           today=TODAY)


def test_cli_mail_writes_eml(tmp_path):
    target = tmp_path / "notiz.eml"
    result = runner.invoke(app, ["mail", "gespraechsnotiz", str(DESIGN), "--datum", "03.02.2027",
                                 "--vereinbart", "Entwurf B", "--vereinbart", "Nordblau",
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert b"Subject: " in target.read_bytes()


def test_cli_mail_missing_input_without_terminal_is_an_error():
    result = runner.invoke(app, ["mail", "korrekturschleifen", str(DESIGN)])
    assert result.exit_code == 3
    assert "--runden-erledigt: fehlt" in result.stderr


def test_cli_mail_unknown_kind():
    result = runner.invoke(app, ["mail", "mahnung", str(DESIGN)])
    assert result.exit_code == 2


def test_cli_mail_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "contractgen", "mail", "ausfallhonorar", str(COACH), "--termin",
         "2027-03-10", "--abgesagt-am", "2027-03-09", "--dauer-stunden", "1,5"],
        capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert "67,50\u00a0€" in result.stdout


# -- amounts of open invoices: read exactly like money in the answers file --------------------
def _closing(*invoices: str) -> str:
    return api.follow_up_mail("projektabschluss", DESIGN, today=TODAY, inputs={
        "geliefert": ["Logo"], "offene_rechnung": list(invoices), "abnahme_am": "2027-03-25"}).text


def test_invoice_amounts_accept_a_decimal_point_or_comma():
    text = flat(_closing("RE-1=1440.50", "RE-2=1440,5", "RE-3=95"))
    assert "RE-1: 1.440,50\u00a0€" in text and "RE-2: 1.440,50\u00a0€" in text
    assert "RE-3: 95,00\u00a0€" in text and "2.976,00\u00a0€" in text
    assert "144.050" not in text


@pytest.mark.parametrize("amount, message", [
    ("NaN", "keine Zahl"), ("Infinity", "keine Zahl"), ("sNaN", "keine Zahl"),
    ("-Infinity", "keine Zahl"), ("1e3", "keine Zahl"),
    ("4,800", "mehrdeutig"), ("1.440.50", "keine Zahl"),
    ("12,345", "mehrdeutig"), ("12,3456", "mehr als zwei Nachkommastellen"), ("0", "zu klein"),
    ("10000000.01", "zu groß"), ("99999999999999999999999", "zu groß"),
])
def test_invalid_invoice_amounts_are_input_errors_naming_the_option(amount, message):
    with pytest.raises(AnswersError) as caught:
        _closing("RE-1=100", f"RE-2={amount}")
    assert caught.value.exit_code == 3
    [problem] = caught.value.problems
    assert problem.where == "--offene-rechnung"
    assert f"'RE-2={amount}'" in problem.message and message in problem.message


def test_cli_invoice_nan_is_exit_3_not_an_internal_error():
    result = runner.invoke(app, ["mail", "projektabschluss", str(DESIGN), "--geliefert", "Logo",
                                 "--offene-rechnung", "RE-1=NaN", "--abnahme-am", "2027-03-25"])
    assert result.exit_code == 3, result.output
    assert "--offene-rechnung" in result.stderr and "interner Fehler" not in result.stderr


@pytest.mark.parametrize("option, kind, given", [
    ("--runden-erledigt", "korrekturschleifen", {}),
    ("--stunden-verbraucht", "abstimmungsaufwand", {}),
    ("--dauer-stunden", "ausfallhonorar", {"termin": "2027-02-10"}),
    ("--dauer-tage", "ausfallhonorar", {"termin": "2027-02-10"}),
])
@pytest.mark.parametrize("value", ["NaN", "Infinity", "sNaN", "1e3", "99999999999999999999"])
def test_every_number_option_rejects_non_finite_and_huge_values(option, kind, given, value):
    key = option[2:].replace("-", "_")
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail(kind, DESIGN, today=TODAY, inputs={**given, key: value})
    assert caught.value.exit_code == 3
    assert [p.where for p in caught.value.problems] == [option]


# -- German singular and plural -------------------------------------------------------------
def test_the_summary_names_only_the_others_who_were_there():
    def summary(people):
        return flat(api.follow_up_mail("gespraechsnotiz", DESIGN, today=TODAY, inputs={
            "datum": "2027-02-03", "teilnehmer": people, "vereinbart": ["x"]}).text)
    # Max is greeted and Erika writes: neither is told who was there
    alone = summary(["Max Mustermann", "Erika Mustermann"])
    assert "Gespräch am 3.\u00a0Februar 2027. Wie vereinbart" in alone
    assert "teilgenommen" not in alone and "dabei" not in alone
    assert "an dem auch Jonas Weber teilgenommen hat." in summary(["Max Mustermann", "Jonas Weber"])
    assert "an dem auch Jonas Weber und Lea Kurz teilgenommen haben." in summary(
        ["Jonas Weber", "Lea Kurz"])


@pytest.mark.parametrize("done, expected", [
    ("0", "Noch keine der 2 enthaltenen Korrekturschleifen ist erledigt;"),
    ("1", "Erst 1 von 2 enthaltenen Korrekturschleifen ist erledigt;"),
])
def test_rounds_not_yet_used_up_in_words(done, expected):
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("korrekturschleifen", DESIGN, inputs={"runden_erledigt": done},
                           today=TODAY)
    assert caught.value.problems[0].message.startswith(expected)


def test_hours_not_yet_used_up_in_words():
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("abstimmungsaufwand", DESIGN, inputs={"stunden_verbraucht": "1"},
                           today=TODAY)
    assert caught.value.problems[0].message.startswith("Erst 1 von 5 Stunden ist verbraucht;")


def test_free_cancellation_one_day_ahead_is_singular():
    with pytest.raises(AnswersError) as caught:
        api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
            "termin": "2027-03-10", "abgesagt_am": "2027-03-09", "dauer_stunden": "1"},
            overrides=["ausfall.staffel=[{tage_vorher: 1, prozent: 100}]"])
    message = caught.value.problems[0].message
    assert message.startswith("Die Absage kam 1 Tag vor dem Termin")
    assert "(kostenfrei ab 1 Tag vorher)" in message


def test_cancellation_fee_for_one_working_day_is_singular():
    text = api.follow_up_mail("ausfallhonorar", DESIGN, today=TODAY, inputs={
        "termin": "2027-02-10", "abgesagt_am": "2027-02-05", "dauer_tage": "1"},
        overrides=["honorar.modell=tag", "honorar.betrag=800"]).text
    assert "1 Arbeitstag ×" in flat(text) and "Arbeitstag(e)" not in text


# -- the To: header and warnings ------------------------------------------------------------
def test_cli_mail_prints_warnings_like_the_other_commands(monkeypatch):
    from contractgen import cli_common
    from contractgen.errors import Problem

    seen: list[object] = []
    # every command prints its warnings through the one shared helper
    monkeypatch.setattr(cli_common, "err", lambda text: seen.append(text))
    original = api.follow_up_mail

    def with_warning(*args, **kwargs):
        result = original(*args, **kwargs)
        return dataclasses.replace(result, warnings=(Problem("warning", "Achtung", "x.yaml:1", code="t.x"),))

    monkeypatch.setattr(api, "follow_up_mail", with_warning)
    result = runner.invoke(app, ["mail", "korrekturschleifen", str(DESIGN), "--runden-erledigt",
                                 "2"])
    assert result.exit_code == 0, result.output
    assert seen[0] == "Warnung: x.yaml:1: Achtung"
