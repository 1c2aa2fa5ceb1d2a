"""One rule for amounts everywhere (questionnaire/amounts.py): the same text gives the same value
or the same message in an answers file (also unquoted YAML), --set, a batch cell, the terminal
interview and the inputs of a follow-up e-mail; no form is read in two ways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import SAMPLES, TODAY
from test_prompting import DESIGNER

from contractgen import api, load_answers
from contractgen.errors import AnswersError
from contractgen.library import evaluate_condition
from contractgen.questionnaire.amounts import NumberError, read_number
from contractgen.questionnaire.prompting import Interview, ScriptedIO

SAMPLE = (SAMPLES / "designerin-pauschal.yaml").read_text(encoding="utf-8")
FEE = "  betrag: 4800                    # Pauschale bzw. Satz je Stunde / Tag (netto)\n"
assert FEE in SAMPLE

READ = [  # text, unit, value
    ("4800", "€", "4800"), ("4.800", "€", "4800"), ("4.800,00", "€", "4800.00"),
    ("2.800,00 €", "€", "2800.00"), ("€ 95", "€", "95"), ("4.800 EUR", "€", "4800"),
    ("4.800,- €", "€", "4800"), ("95,50", "€", "95.50"), ("95.50", "€", "95.50"),
    ("95,5", "", "95.5"), ("4.8", "", "4.8"), ("0.500", "", "0.500"), ("0,125", "", "0.125"),
    ("1234.567", "", "1234.567"), ("1.234.567,89", "€", "1234567.89"),
    ("4,800.00", "€", "4800.00"), ("1 234,50", "€", "1234.50"), ("1\u00a0234", "", "1234"),
    ("1'000", "", "1000"), ("25 %", "%", "25"), ("12,5%", "%", "12.5"), ("-4800", "", "-4800"),
]
REFUSED = [  # text, unit, part of the message
    ("4,800", "€", "mehrdeutig: 4,8 (Komma als Dezimalzeichen) oder 4800"),
    ("12,345", "", "mehrdeutig"), ("1.23.4", "", "keine Zahl"), ("1,234,567", "", "keine Zahl"),
    ("viel", "€", "keine Zahl (z. B. 4800, 4.800, 95,50 oder 2.800,00 €)"),
    ("1e3", "", "keine Zahl"), ("NaN", "", "keine Zahl"), ("Infinity", "", "keine Zahl"),
    ("4_800", "", "keine Zahl"), (".5", "", "keine Zahl"), ("5,", "", "keine Zahl"),
    ("95 €", "", "keine Zahl"), ("30 %", "€", "keine Zahl"),
]


@pytest.mark.parametrize("text, unit, value", READ)
def test_the_rule_reads(text, unit, value):
    assert read_number(text, unit=unit).value == Decimal(value)


@pytest.mark.parametrize("text, unit, message", REFUSED)
def test_the_rule_refuses_what_it_could_misread(text, unit, message):
    with pytest.raises(NumberError) as caught:
        read_number(text, unit=unit)
    assert message in str(caught.value)


def fee_of(library, write_answers, line: str):
    path = write_answers(SAMPLE.replace(FEE, f"  {line}\n"))
    return load_answers(path, library=library, profile=None).get("honorar.betrag")


@pytest.mark.parametrize("line", ["betrag: 6.500", "betrag: '6.500'", 'betrag: "6.500,00 €"',
                                  "betrag: 6.500,00", "betrag: 6500", "betrag: 6500.0"])
def test_answers_file_reads_the_source_text_not_yaml_floats(library, write_answers, line):
    # unquoted, YAML itself would read 6.500 as the float 6.5
    assert fee_of(library, write_answers, line) == Decimal("6500")


def test_answers_file_refuses_the_ambiguous_form_with_its_line(library, write_answers):
    path = write_answers(SAMPLE.replace(FEE, "  betrag: 4,800\n"))
    with pytest.raises(AnswersError) as caught:
        load_answers(path, library=library, profile=None)
    [problem] = caught.value.problems
    assert problem.key == "honorar.betrag" and problem.location.line is not None
    assert "mehrdeutig" in problem.message


def test_a_thousands_dot_that_was_meant_as_a_decimal_point_is_never_silent(library,
                                                                            write_answers):
    path = write_answers(SAMPLE.replace("inklusive_stunden: 5", "inklusive_stunden: 1.500"))
    with pytest.raises(AnswersError) as caught:
        load_answers(path, library=library, profile=None)
    [problem] = caught.value.problems
    assert problem.message.startswith("1.500 ist zu groß; Höchstwert: 1.000.")
    assert "Der Punkt trennt Tausender" in problem.message and "(1,500)" in problem.message


@pytest.mark.parametrize("value", ["6.500", "6.500,00 €", "6500.00"])
def test_set_follows_the_same_rule(library, value):
    answers = load_answers(SAMPLES / "designerin-pauschal.yaml", library=library, profile=None,
                           overrides=[f"honorar.betrag={value}"])
    assert answers.get("honorar.betrag") == Decimal("6500")


def test_set_refuses_the_ambiguous_form(library):
    with pytest.raises(AnswersError) as caught:
        load_answers(SAMPLES / "designerin-pauschal.yaml", library=library, profile=None,
                     overrides=["honorar.betrag=4,800"])
    assert "mehrdeutig" in caught.value.problems[0].message


def test_interview_follows_the_same_rule(library):
    script = list(DESIGNER)
    fee = script.index("4.800")
    script[fee:fee + 1] = ["4,800", "6.500"]          # refused as in a file, then German grouping
    io = ScriptedIO(answers=[*script, ""])
    answers = Interview(library.questionnaire, evaluate_condition, io, today=TODAY).run()
    assert "mehrdeutig" in "\n".join(io.transcript)
    assert answers.get("honorar.betrag") == Decimal("6500")


def test_batch_cells_follow_the_same_rule(tmp_path):
    base = tmp_path / "basis.yaml"
    base.write_text(SAMPLE, encoding="utf-8")
    rows = tmp_path / "liste.csv"
    rows.write_text("auftraggeber.name;honorar.betrag;honorar.stundensatz_zusatz\n"
                    "Erste GmbH;2.800,00 €;95,50\nZweite GmbH;4,800;95\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    report = api.generate_batch(rows, output_dir=out, base=base, fmt="md", jobs=1, today=TODAY)
    assert [r.number for r in report.written] == [1]
    text = next(out.glob("erste-gmbh*.md")).read_text(encoding="utf-8")
    assert "2.800,00\u00a0€" in text and "95,50\u00a0€" in text
    [failed] = report.failed
    assert failed.number == 2 and "mehrdeutig" in failed.problems[0].message
