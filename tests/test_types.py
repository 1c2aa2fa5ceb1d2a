"""The registry of question types (questionnaire/types.py) is the one place that knows a type."""

import re
from decimal import Decimal

import pytest
from conftest import ROOT

from contractgen.questionnaire.answers import check_value
from contractgen.questionnaire.schema import Question
from contractgen.questionnaire.types import TYPES, Shape, display_value

PACKAGE = ROOT / "contractgen"


@pytest.mark.parametrize("name", sorted(n for n, t in TYPES.items() if t.shape is Shape.VALUE))
def test_every_value_type_has_a_check_and_a_display(name):
    question = Question(key="x", path="x", type=name, label="X", choices=(("a", "Erste"),))
    text = {"choice": "a", "bool": "ja", "integer": "3", "decimal": "2,5", "money": "95,50",
            "percent": "30", "date": "15.01.2027", "email": "a@example.org",
            "iban": "DE89 3704 0044 0532 0130 00", "country": "at", "postcode": "1010",
            "vat_id": "ATU13585627"}.get(name, "Text")
    value, message = check_value(question, question.kind.typed(question, text))
    assert message is None and value is not None, (name, message)
    assert display_value(question, value) not in ("", "–")


def test_no_module_compares_a_question_type_with_a_string():
    names = "|".join(TYPES)
    # questions are named q, question, f, field or sub throughout (markdown tokens have .type too)
    pattern = re.compile(rf"""\b(q|question|f|field|sub)\.type\s*(==|!=|in)\s*[("']+({names})\b""")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in PACKAGE.rglob("*.py") if "web" not in path.parts
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_the_interview_accepts_what_the_type_declares():
    choice = Question(key="m", path="m", type="choice", label="M",
                      choices=(("pauschal", "Pauschalhonorar"), ("stunde", "Stundenhonorar")))
    assert choice.kind.typed(choice, "2") == "stunde"
    assert choice.kind.typed(choice, "Pauschalhonorar") == "pauschal"
    money = Question(key="b", path="b", type="money", label="B")
    assert check_value(money, money.kind.typed(money, "4.800,50"))[0] == Decimal("4800.50")
