"""The engagement terms registry (contractgen/terms): fee models, term and notice, derived values."""

import itertools
import re
from pathlib import Path

from conftest import ROOT

from contractgen.library import evaluate_condition
from contractgen.terms import DERIVED, FEE_MODELS, FLAG_WORDS, FLAGS, condition_scope, fee_model
from contractgen.terms.derived import VAT_RATE, Vocabulary, derived_values, fee_amounts

PACKAGE = ROOT / "contractgen"


def combinations():
    """Every combination of the answers the yes/no values are computed from."""
    for modell, art, schluss, kauf_an, kauf_ag, vertragsart, typ, digital, laufzeit, sprache in \
            itertools.product(
                [m.key for m in FEE_MODELS] + [None], ["unternehmer", "verbraucher"],
                ["fernabsatz", "ausserhalb", "geschaeftsraeume"], [True, False], [True, False],
                ["rahmenvertrag", "email-vereinbarung"], ["werkvertrag", "dienstvertrag"],
                [True, False], [None, "projekt", "unbefristet", "befristet", "mindestlaufzeit"],
                ["de", "en", "de-en"]):
        yield {"honorar": {"modell": modell}, "vertragsschluss": schluss,
               "digitales_produkt": digital, "sprache": sprache,
               "auftraggeber": {"art": art, "kaufmann": kauf_ag, "land": "DE"},
               "auftragnehmer": {"kaufmann": kauf_an, "kleinunternehmer": False},
               "vertragsart": vertragsart, "vertragstyp": typ, "kuendigung": {"frist_wochen": 4},
               "laufzeit": {"art": laufzeit, "verlaengerung": None}}
    # the parties' countries and VAT status (VAT case, court): at home, in the EU, outside
    for art, land, small, kauf_an, kauf_ag in itertools.product(
            ["unternehmer", "verbraucher"], ["DE", "AT", "GR", "CH", "US", None], [True, False],
            [True, False], [True, False]):
        yield {"honorar": {"modell": "pauschal"}, "vertragsschluss": "fernabsatz",
               "digitales_produkt": False, "sprache": "de", "vertragsart": "rahmenvertrag",
               "vertragstyp": "werkvertrag", "kuendigung": {"frist_wochen": 4},
               "auftraggeber": {"art": art, "kaufmann": kauf_ag, "land": land},
               "auftragnehmer": {"kaufmann": kauf_an, "kleinunternehmer": small},
               "laufzeit": {"art": None, "verlaengerung": None}}


def test_each_yes_no_value_means_what_its_condition_says():
    # the condition is what programs reading `questions --json` evaluate; it must agree
    for values in combinations():
        for flag in FLAGS:
            computed = flag.compute(values, Vocabulary())
            assert computed == evaluate_condition(flag.expression, values), (flag.name, values)


def test_conditions_of_questions_see_the_yes_no_values():
    values = {"honorar": {"modell": "tag"}, "vertragsart": "rahmenvertrag"}
    assert evaluate_condition("tageshonorar and zeithonorar and not pauschal and laufend",
                              condition_scope(values))


def test_every_fee_model_is_a_choice_of_the_library_and_back(library):
    choices = library.questionnaire.question("honorar").field("modell").choice_keys
    assert set(choices) == {model.key for model in FEE_MODELS}
    for model in FEE_MODELS:
        assert model.flags <= set(FLAG_WORDS), model.key    # messages can name every flag
        assert model.unit is None or library.wording.unit(model.unit), model.key
        for path in model.questions:
            assert path in library.questionnaire.paths(), (model.key, path)


def test_derived_amounts_follow_the_fee_model():
    from decimal import Decimal

    flat = {"modell": "pauschal", "betrag": Decimal(4800), "anzahlung_prozent": Decimal(30),
            "stundensatz_zusatz": Decimal(95)}
    assert fee_amounts(flat) == {"anzahlung_betrag": Decimal(1440), "stundensatz": Decimal(95)}
    hourly = {"modell": "stunde", "betrag": Decimal(120), "anzahlung_prozent": Decimal(30)}
    assert fee_amounts(hourly) == {"anzahlung_betrag": None, "stundensatz": Decimal(120)}
    words = Vocabulary(units={"tag": "Tag"}, fee_labels={"tag": "Tageshonorar"})
    values = derived_values({"honorar": {"modell": "tag"}}, words)
    assert values["einheit"] == "Tag" and values["honorarmodell"] == "Tageshonorar"
    assert values["ust_satz"] == VAT_RATE


def test_day_rate_appointments_are_billed_as_the_contract_says():
    from decimal import Decimal

    day = fee_model("tag")
    fee = {"betrag": Decimal(720), "stundensatz_zusatz": Decimal(90), "stunden_pro_tag": Decimal(8)}
    assert day.appointment(fee, hours=None, days=Decimal(2)).amount == Decimal(1440)
    half = day.appointment(fee, hours=None, days=Decimal("0.5"))
    assert (half.unit, half.quantity, half.amount) == ("stunde", Decimal(4), Decimal(360))
    long = day.appointment(fee, hours=Decimal(10), days=None)
    assert long.amount == Decimal(720) and long.capped_at == Decimal(720)


def test_notice_period_has_one_shape():
    from contractgen.terms import notice_period

    assert notice_period({"vertragsart": "rahmenvertrag", "kuendigung": {"frist_wochen": 4}}) == {
        "anzahl": 4, "einheit": "woche", "zum": "jederzeit"}
    assert notice_period({"vertragsart": "email-vereinbarung", "vertragstyp": "werkvertrag"}) is None


def test_no_module_compares_the_fee_model_with_a_string():
    # the fee model is asked for its flags and rules (contractgen/terms), never compared by name
    name = r"""["'](pauschal|stunde|tag)["']"""
    pattern = re.compile(rf"(==|!=)\s*{name}|{name}\s*(==|!=)")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in PACKAGE.rglob("*.py") if "terms" not in path.parts
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


def test_every_derived_value_is_declared_once_with_its_sources():
    names = [d.name for d in DERIVED]
    assert len(names) == len(set(names))
    questions_file = Path(ROOT / "clause_library" / "questionnaire.yaml").read_text(encoding="utf-8")
    assert 'honorar.modell ==' not in questions_file and 'honorar.modell !=' not in questions_file
