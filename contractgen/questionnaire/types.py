"""The question types of a questionnaire, one entry each (copier's cast table, click's ParamType).

Everything the code knows about a type is declared here: its shape (one value, a section, a
list of texts or of sections), how messages and the answers template name it, which check of
the validator reads one value of it, how a person sees a value (summary, conflicts), what the
terminal interview accepts besides the written form, and the lint's example value. Other
modules ask the entry (`question.kind`) instead of comparing `question.type` with a string.

A new type is one entry here, plus its check in answers.py when it reads a new kind of value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import Question


class Shape(Enum):
    VALUE = "value"            # one answer
    GROUP = "group"            # a section of questions (fields)
    TEXT_LIST = "textlist"     # a list of texts
    GROUP_LIST = "grouplist"   # a list of sections (e.g. the cancellation tiers)


YES = frozenset({"j", "ja", "y", "yes", "true"})     # what a person types for yes (terminal)
NO = frozenset({"n", "nein", "no", "false"})


def _display_text(q: Question, value: Any) -> str:
    return str(value)


def _display_choice(q: Question, value: Any) -> str:
    return dict(q.choices).get(str(value), str(value))


def _display_bool(q: Question, value: Any) -> str:
    return "ja" if value else "nein"


def _display_date(q: Question, value: Any) -> str:
    from ..formatting import format_date_short

    return format_date_short(value) if isinstance(value, dt.date) else str(value)


def _display_number(q: Question, value: Any) -> str:
    from ..formatting import format_number

    return format_number(value) if isinstance(value, (Decimal, int)) else str(value)


def _display_money(q: Question, value: Any) -> str:
    from ..formatting import format_money

    return format_money(value) if isinstance(value, (Decimal, int)) else str(value)


def _display_percent(q: Question, value: Any) -> str:
    from ..formatting import format_percent

    return format_percent(value) if isinstance(value, (Decimal, int)) else str(value)


def _display_texts(q: Question, value: Any) -> str:
    return "; ".join(str(item) for item in value) if value else "–"


def _display_items(q: Question, value: Any) -> str:
    if not value:
        return "keine"
    return "; ".join(entry_text(q, item, number) for number, item in enumerate(value, start=1))


def entry_text(q: Question, item: Any, number: int) -> str:
    """One entry of a list of sections as a person reads it, from the labels: "Stufe 1: Absage
    weniger als 7 Tage vor dem Termin, Anteil der Vergütung in Prozent: 25 %" (a label with
    "…" takes the value in its place)."""
    parts = []
    for field in q.fields:
        value = item.get(field.key) if isinstance(item, dict) else None
        if value is None:
            continue
        parts.append(labelled(field.label, display_value(field, value)))
    return f"{q.item_label or 'Eintrag'} {number}: {', '.join(parts)}"


def labelled(label: str, shown: str) -> str:
    """"Label: value", or the label with the value in place of its "…"."""
    return label.replace("…", shown, 1) if "…" in label else f"{label}: {shown}"


def _display_country(q: Question, value: Any) -> str:
    from ..countries import country_name

    return f"{value} ({country_name(str(value))})"


def _as_is(q: Question, text: str) -> str:
    return text


def _typed_country(q: Question, text: str) -> str:
    """A country by its code or its name ("Österreich", "Austria" -> AT)."""
    from ..countries import is_country, suggest_country

    if is_country(text.strip().upper()):
        return text.strip().upper()
    return suggest_country(text) or text


def _typed_choice(q: Question, text: str) -> str:
    """A choice by its number in the list, its key or its label."""
    keys = q.choice_keys
    if text.isdigit() and 1 <= int(text) <= len(keys):
        return keys[int(text) - 1]
    lowered = text.casefold()
    for key, label in q.choices:
        if lowered in (key.casefold(), label.casefold()):
            return key
    return text


def _typed_bool(q: Question, text: str) -> str:
    lowered = text.lower()
    return "ja" if lowered in YES else "nein" if lowered in NO else text


@dataclass(frozen=True)
class Related:
    """The outcome of a check against another answer: the value in its normal form (None: no
    change), else an error, or a warning with the value kept."""

    value: Any = None
    error: str = ""
    warning: str = ""
    code: str = ""


def _postcode_for(q: Question, value: Any, country: Any) -> Related:
    """A postcode in the format of the country of the same party (free text elsewhere)."""
    from ..countries import HOME, POSTCODES, country_name, normal_postcode
    from ..limits import pattern_matches

    code = country if isinstance(country, str) and country else HOME
    rule = POSTCODES.get(code)
    if rule is None:
        return Related()
    normal = normal_postcode(code, str(value))
    if not pattern_matches(rule.pattern, normal):
        return Related(error=f"{str(value)!r} ist keine Postleitzahl für {country_name(code)} "
                       f"({q.country} {code}); erwartet: {rule.hint}, z. B. {rule.example}.",
                       code="answers.postcode")
    return Related(value=normal)


def _vat_id_for(q: Question, value: Any, country: Any) -> Related:
    """A VAT ID in the format (and with the check digits) of its country; a number of another
    country than the party's is kept with a warning."""
    from ..countries import HOME, country_name
    from ..vatid import check_vat_id

    code = country if isinstance(country, str) and country else HOME
    checked = check_vat_id(str(value), code)
    if checked.error:
        return Related(error=f"{str(value)!r}: {checked.error}", code="answers.vat-id")
    if checked.country is not None and checked.country != code:
        return Related(value=checked.value, code="answers.vat-id-country",
                       warning=f"{checked.value} ist eine Umsatzsteuer-Identifikationsnummer aus "
                       f"{country_name(checked.country)}, {q.country} ist aber {code} "
                       f"({country_name(code)}). Stimmt das Land?")
    return Related(value=checked.value)


def _always(q: Question, country: Any) -> bool:
    return True


def _postcode_needed(q: Question, country: Any) -> bool:
    """A postcode is required where the country has postcodes contractgen knows; elsewhere
    (some countries have none) it may be left out."""
    from ..countries import HOME, POSTCODES

    return (country if isinstance(country, str) and country else HOME) in POSTCODES


@dataclass(frozen=True)
class CrossCheck:
    """A check of one answer against another (a general cross-field rule of a type): the
    question names the other answer's key path in `country` (questionnaire.yaml), e.g.
    `country: auftraggeber.land`; `check` gets the value and the other answer, `needed`
    says whether a required question needs an answer, given the other one."""

    check: Callable[[Question, Any, Any], Related]
    needed: Callable[[Question, Any], bool] = _always


@dataclass(frozen=True)
class QuestionType:
    name: str
    shape: Shape
    label: str                                  # in messages: "erwartet einen einzelnen Wert (…)"
    template: str                               # in the commented answers template
    check: str = ""                             # the validator's check of one value (answers.py)
    numeric: bool = False                       # a number with min/max bounds
    decimal: bool = False                       # read as Decimal (else int), when numeric
    multiline: bool = False                     # text that keeps its line breaks
    address: bool = False                       # text that must be an e-mail address
    chooses: bool = False                       # one of the question's choices
    yes_no: bool = False                        # yes or no
    dated: bool = False                         # a calendar date
    example_number: int = 0                     # the lint's example value, when numeric
    unit: str = ""                              # a unit the written number may carry (€, %)
    display: Callable[[Question, Any], str] = _display_text
    typed: Callable[[Question, str], str] = _as_is   # terminal conveniences before the check
    cross: CrossCheck | None = None             # checked against the answer `country` names
    samples: tuple[str, ...] = ()               # the values the lint tries (besides the default)

    @property
    def is_value(self) -> bool:
        return self.shape is Shape.VALUE

    @property
    def is_list(self) -> bool:
        return self.shape in (Shape.TEXT_LIST, Shape.GROUP_LIST)


TYPES: dict[str, QuestionType] = {t.name: t for t in (
    QuestionType("text", Shape.VALUE, "Text", "Text", "text"),
    QuestionType("longtext", Shape.VALUE, "Text", "Text (mehrzeilig)", "text", multiline=True),
    QuestionType("email", Shape.VALUE, "E-Mail-Adresse", "E-Mail-Adresse", "text", address=True),
    QuestionType("iban", Shape.VALUE, "IBAN", "IBAN", "iban"),
    # ISO 3166-1 alpha-2; the lint tries Germany, an EU state and a state outside the EU
    QuestionType("country", Shape.VALUE, "Ländercode", "Ländercode nach ISO 3166 (DE, AT, CH …)",
                 "country", display=_display_country, typed=_typed_country,
                 samples=("DE", "AT", "CH")),
    QuestionType("postcode", Shape.VALUE, "Postleitzahl", "Postleitzahl (im Format des Landes)",
                 "text", cross=CrossCheck(_postcode_for, _postcode_needed)),
    QuestionType("vat_id", Shape.VALUE, "USt-IdNr.",
                 "Umsatzsteuer-Identifikationsnummer (mit Länderkennung)", "text",
                 cross=CrossCheck(_vat_id_for)),
    QuestionType("choice", Shape.VALUE, "Auswahl", "Auswahl", "choice", chooses=True,
                 display=_display_choice, typed=_typed_choice),
    QuestionType("bool", Shape.VALUE, "ja/nein", "ja/nein: true oder false", "bool", yes_no=True,
                 display=_display_bool, typed=_typed_bool),
    QuestionType("integer", Shape.VALUE, "ganze Zahl", "ganze Zahl", "integer", numeric=True,
                 example_number=2, display=_display_number),
    QuestionType("decimal", Shape.VALUE, "Zahl", "Zahl", "number", numeric=True, decimal=True,
                 example_number=5, display=_display_number),
    QuestionType("money", Shape.VALUE, "Betrag", "Betrag in Euro", "money", numeric=True,
                 decimal=True, example_number=1000, display=_display_money, unit="€"),
    QuestionType("percent", Shape.VALUE, "Prozentzahl", "Prozentzahl", "number", numeric=True,
                 decimal=True, example_number=30, display=_display_percent, unit="%"),
    QuestionType("date", Shape.VALUE, "Datum", "Datum JJJJ-MM-TT", "date", dated=True,
                 display=_display_date),
    QuestionType("group", Shape.GROUP, "Abschnitt", "Abschnitt"),
    QuestionType("textlist", Shape.TEXT_LIST, "Liste", "Liste von Texten", display=_display_texts),
    QuestionType("grouplist", Shape.GROUP_LIST, "Liste", "Liste von Einträgen",
                 display=_display_items),
)}
UNKNOWN = TYPES["text"]   # what an unknown type (a questionnaire error, reported) is read as


def question_type(name: str) -> QuestionType:
    return TYPES.get(name, UNKNOWN)


def display_value(question: Question, value: Any) -> str:
    """A typed answer as a person reads it: 4.800,00 €, 15.01.2027, ja, the choice's label."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return _display_bool(question, value)
    if isinstance(value, dt.date):
        return _display_date(question, value)
    return question.kind.display(question, value)
