"""Follow-up e-mails: rendered from the samples, § references from the generated contract,
computed amounts, goldens, validation, CLI."""

from __future__ import annotations

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

DESIGN = SAMPLES / "designerin-pauschal.yaml"
COACH = SAMPLES / "coach-stunden-verbraucher.yaml"
runner = CliRunner()


def flat(text: str) -> str:
    """The text without its line breaks (the writer wraps at 76 characters)."""
    return re.sub(r"[ \n]+", " ", text)

# kind -> (answers, inputs, texts the mail must contain: computed amounts and key sentences)
MAILS = {
    "gespraechsnotiz": (DESIGN, {
        "datum": "2027-02-03", "teilnehmer": ["Max Mustermann", "Erika Mustermann"],
        "vereinbart": ["Logo-Entwurf B wird weiterentwickelt", "Farbpalette: Nordblau statt Grau"],
        "offen": ["Schriftlizenz klären"], "naechste_schritte": ["Entwurf bis 10. Februar"]},
        ["innerhalb von drei Werktagen", "durch Schweigen aber nicht zustande"]),
    "korrekturschleifen": (DESIGN, {"runden_erledigt": "2"},
                           ["zwei Korrekturschleifen", "95,00\u00a0€ je", "Bitte bestätige"]),
    "abstimmungsaufwand": (DESIGN, {"stunden_verbraucht": "4"},
                           ["5 Stunden", "bleibt noch eine Stunde", "95,00\u00a0€ je Stunde"]),
    "ausfallhonorar": (COACH, {"termin": "2027-03-10", "abgesagt_am": "2027-03-09",
                               "dauer_stunden": "1,5"},
                       ["1,5 Std. × 90,00\u00a0€ = 135,00\u00a0€", "davon 50\u00a0%: 67,50\u00a0€",
                        "wesentlich geringerer Ausfall"]),
    "projektabschluss": (DESIGN, {"geliefert": ["Logo in zwei Varianten", "Geschäftsausstattung"],
                                  "offene_rechnung": ["RE-2027-014=3360", "RE-2027-015=190,50"]},
                         ["RE-2027-014: 3.360,00\u00a0€", "3.550,50\u00a0€", "14 Tagen",
                          "Rückmeldung"]),
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
    assert message["To"] in ("max.mustermann@nordlicht.example", "sabine.krueger@example.org")
    assert message.get_body().get_content().replace("\r\n", "\n") == result.text


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
    assert "drei Werktagen" not in flat(text)
    assert text.startswith("Guten Tag Frau Krüger,")


def test_cancellation_fee_for_a_flat_fee_uses_the_extra_hourly_rate():
    text = api.follow_up_mail("ausfallhonorar", DESIGN, today=TODAY, inputs={
        "termin": "2027-02-10", "abgesagt_am": "2027-02-05", "dauer_stunden": "2"}).text
    assert "2 Std. × 95,00\u00a0€ = 190,00\u00a0€" in flat(text)   # 5 days ahead: 50 % tier
    assert "davon 50\u00a0%: 95,00\u00a0€" in flat(text)


def test_no_show_takes_the_last_tier_and_free_cancellation_is_refused():
    text = api.follow_up_mail("ausfallhonorar", COACH, today=TODAY, inputs={
        "termin": "2027-03-10", "dauer_stunden": "1"}).text
    assert "nicht erschienen" in flat(text) and "davon 80\u00a0%: 72,00\u00a0€" in flat(text)
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
