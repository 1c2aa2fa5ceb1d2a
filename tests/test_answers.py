"""Answers: types, defaults, and every problem reported at once with file:line and key path."""

import datetime as dt
from decimal import Decimal

import pytest
from conftest import SAMPLES

from contractgen import load_answers
from contractgen.errors import AnswersError

DESIGNER = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")


def problems_of(library, path, **kwargs):
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library, **kwargs)
    return info.value


def test_sample_types(library):
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library)
    assert answers.get("honorar.betrag") == Decimal("4800")
    assert isinstance(answers.get("honorar.betrag"), Decimal)
    assert answers.get("projekt.beginn") == dt.date(2027, 1, 15)
    assert answers.get("auftragnehmer.plz") == "20459"
    assert answers.get("ausfall.staffel")[0] == {"tage_vorher": 7, "stunden_vorher": None,
                                                 "prozent": Decimal("25")}
    assert answers.get("ausfall.terminwert_stunde") == Decimal("90")
    assert answers.get("auftragnehmer.telefon") is None  # optional, unanswered
    assert answers.digest.startswith("sha256:")


def test_defaults_and_inactive_questions(library, write_answers):
    path = write_answers(DESIGNER.replace("modell: pauschal", "modell: stunde"))
    answers = load_answers(path, library=library)
    # revision rounds are asked for flat fees only: the answer is ignored with a warning
    assert answers.get("korrekturen.inklusive_runden") is None
    assert any(w.key == "korrekturen" for w in answers.warnings)
    assert answers.get("vertragsschluss") == "fernabsatz"


def test_all_problems_at_once_with_lines(library, write_answers):
    text = (DESIGNER.replace("betrag: 4800", "betrag: -5")
            .replace("prozent: 50", "prozent: 150")
            .replace("  email: max.mustermann@nordlicht.example", "  email: keine-adresse")
            .replace("vertragstyp: werkvertrag", "vertragstyp: werkvertag")
            .replace("  titel: Neugestaltung des Markenauftritts\n", "")
            .replace("zahlung:\n", "zahlungg:\n"))
    path = write_answers(text)
    error = problems_of(library, path)
    found = {p.key: p for p in error.problems if p.level == "error"}
    assert set(found) >= {"honorar.betrag", "ausfall.staffel[2].prozent", "auftraggeber.email",
                          "vertragstyp", "projekt.titel", "zahlungg"}
    lines = text.splitlines()

    def line_of(needle):
        return next(number for number, line in enumerate(lines, 1) if needle in line)

    assert found["honorar.betrag"].where == f"{path}:{line_of('betrag: -5')}"
    assert found["auftraggeber.email"].where == f"{path}:{line_of('keine-adresse')}"
    assert "werkvertrag" in found["vertragstyp"].message  # did you mean
    assert "zahlung" in found["zahlungg"].message
    assert "fehlt" in found["projekt.titel"].message
    assert error.exit_code == 3


@pytest.mark.parametrize("staffel, message", [
    ("    - tage_vorher: 2\n      prozent: 25\n    - tage_vorher: 7\n      prozent: 50\n",
     "absteigend"),
    ("    - tage_vorher: 7\n      prozent: 40\n    - tage_vorher: 2\n      prozent: 25\n",
     "steigen"),
])
def test_tiers_must_be_ordered(library, write_answers, staffel, message):
    old = ("    - tage_vorher: 7\n      prozent: 25\n    - tage_vorher: 2\n      prozent: 50\n")
    path = write_answers(DESIGNER.replace(old, staffel))
    error = problems_of(library, path)
    assert any(message in p.message and p.key == "ausfall.staffel" for p in error.problems)


@pytest.mark.parametrize("replacement, key", [
    ("ende: 2027-03-31", "projekt.ende"),         # before beginn
    ("betrag: 1000000000000000000000000000000", "honorar.betrag"),
    ("inklusive_runden: 10000", "korrekturen.inklusive_runden"),
    ("anzahlung_prozent: 101", "honorar.anzahlung_prozent"),
    ("betrag: 48.0015", "honorar.betrag"),       # fractions of a cent
    ("betrag: 48,001", "honorar.betrag"),        # ambiguous: 48,001 or 48001?
    ("beginn: 2027-02-30", "projekt.beginn"),     # impossible date
    ("plz: \"2045\"", "auftragnehmer.plz"),
    ("kaufmann: vielleicht", "auftragnehmer.kaufmann"),
    ("name: \"Erika\\0Mustermann\"", "auftragnehmer.name"),
    ("name: \"Erika\\x1bMustermann\"", "auftragnehmer.name"),
    ("leistungen: Logo", "projekt.leistungen"),
])
def test_invalid_values(library, write_answers, replacement, key):
    field = replacement.split(":")[0]
    lines = DESIGNER.splitlines()
    if key == "projekt.ende":
        text = DESIGNER.replace("ende: 2027-03-31", "ende: 2027-01-01")
    else:
        index = next(i for i, line in enumerate(lines) if line.strip().startswith(field + ":"))
        indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
        lines[index] = indent + replacement
        if key == "projekt.leistungen":
            del lines[index + 1: index + 3]
        text = "\n".join(lines) + "\n"
    error = problems_of(library, write_answers(text))
    assert key in {p.key for p in error.problems}, error.problems


@pytest.mark.parametrize("content, message", [
    (b"", "leer"),
    (b"- a\n- b\n", "Zuordnung"),
    (b"vertragsart: [\n", "kein gültiges YAML"),
    ("vertragsart: rahmenvertrag\nname: M\xfcller\n".encode("latin-1"), "UTF-8"),
    (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", "verschachtelt"),
])
def test_unreadable_files(library, tmp_path, content, message):
    path = tmp_path / "antworten.yaml"
    path.write_bytes(content)
    error = problems_of(library, path)
    assert message in error.message
    assert str(path) in error.message


def test_missing_file_and_directory(library, tmp_path):
    assert "gibt es nicht" in problems_of(library, tmp_path / "fehlt.yaml").message
    assert "Verzeichnis" in problems_of(library, tmp_path).message


def test_set_overrides(library):
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library,
                           overrides=["honorar.betrag=5200,50", "anrede=sie"])
    assert answers.get("honorar.betrag") == Decimal("5200.50")
    assert answers.get("anrede") == "sie"
    error = problems_of(library, SAMPLES / "designerin-pauschal.yaml",
                        overrides=["honorar.betrg=1"])
    assert any(p.key == "honorar.betrg" and p.where == "--set" for p in error.problems)


@pytest.mark.parametrize("address, reason", [
    ("a..b@b.de", "zwei Punkte"), ("a.@b.de", "vor dem @"), (".a@b.de", "am Anfang"),
    ("jörg@bücher.de", "Umlaute"), ("a@b..de", "keine gültige"),
])
def test_email_addresses_an_eml_draft_cannot_carry_are_rejected(library, address, reason):
    found = problems_of(library, SAMPLES / "kleinauftrag-email.yaml",
                        overrides=[f"auftraggeber.email={address}"], profile=None)
    [problem] = found.problems
    assert problem.key == "auftraggeber.email" and problem.where == "--set"
    assert f"{address!r} ist keine gültige E-Mail-Adresse" in problem.message
    assert reason in problem.message


@pytest.mark.parametrize("address", ["tom+shop@bohnenglueck.example", "o'neil@b.de",
                                     "tom@bücher.de", "a_b-c.d@sub.example.org"])
def test_valid_email_addresses_still_pass(library, address):
    answers = load_answers(SAMPLES / "kleinauftrag-email.yaml", library=library,
                           overrides=[f"auftraggeber.email={address}"], profile=None)
    assert answers.get("auftraggeber.email") == address
