"""Values derived from the answers, each declared once with the answers it comes from.

The template context (render/context.py), the lint's knowledge of derived names and their
sources (lint/variables.py), the clause catalogue's words for conditions (lint/catalog.py) and
an individual order's effective terms (order.py) are all generated from DERIVED. Yes/no values
(`flag=True`) can also be used in the conditions of questions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..countries import EU_MEMBER_STATES, HOME, abroad, in_eu
from .duration import (
    NOTICE_CONDITION,
    NOTICE_SOURCES,
    NOTICE_VALUES,
    TERM_SOURCES,
    TERM_TYPES,
    has_notice,
    notice_period,
    term_type_of,
)
from .fees import FEE_MODELS, MODEL_KEY, FeeModel, fee_model_of
from .plans import PLAN_SOURCES, instalments, payment_plan, unit_total

VAT_RATE = Decimal("19")  # § 12 Abs. 1 UStG
OFFER_DAYS = 14           # acceptance period of an e-mail offer without a date (§ 148 BGB)


@dataclass(frozen=True)
class Vocabulary:
    """The library's words a derived value may need (begriffe.einheiten, the fee models' labels)."""

    units: Mapping[str, str] = field(default_factory=dict)
    fee_labels: Mapping[str, str] = field(default_factory=dict)
    # profession profile id -> what templates see as `berufsprofil` (its words, id, label);
    # `default_profession` is the profile of answers that name none
    professions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    default_profession: str | None = None


@dataclass(frozen=True)
class Derived:
    name: str
    sources: tuple[str, ...]                                      # the answers it is computed from
    compute: Callable[[Mapping[str, Any], Vocabulary], Any]
    words: str = ""                       # a yes/no value's condition in words (clause catalogue)
    flag: bool = False                    # yes/no; also usable in the conditions of questions
    fee_amount: bool = False              # computed from the honorar section alone (orders too)
    expression: str = ""                  # a yes/no value as a condition over the answers, for
                                          # programs that read the questionnaire as JSON


def _section(values: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    section = values.get(key)
    return section if isinstance(section, Mapping) else {}


def _consumer(values: Mapping[str, Any]) -> bool:
    return _section(values, "auftraggeber").get("art") == "verbraucher"


def _country(values: Mapping[str, Any], party: str = "auftraggeber") -> str:
    land = _section(values, party).get("land")
    return land if isinstance(land, str) and land else HOME


def _small_business(values: Mapping[str, Any]) -> bool:
    """§ 19 UStG: the freelancer charges no VAT (and keeps the Kleinunternehmer wording)."""
    return bool(_section(values, "auftragnehmer").get("kleinunternehmer"))


def vat_case(values: Mapping[str, Any]) -> str:
    """Which VAT rule the parties bring about (the freelancer established in Germany):
    kleinunternehmer (§ 19 UStG), brutto (a consumer, at home or abroad: German VAT in the
    price), zuzueglich (a business client in Germany: net plus German VAT), reverse_charge (a
    business client in another EU state: place of supply there, § 3a Abs. 2 UStG, the client
    owes the tax), nicht_steuerbar (a business client outside the EU: not taxable in Germany)."""
    if _small_business(values):
        return "kleinunternehmer"
    if _consumer(values):
        return "brutto"
    country = _country(values)
    if not abroad(country):
        return "zuzueglich"
    return "reverse_charge" if in_eu(country) else "nicht_steuerbar"


_VAT_SOURCES = ("auftraggeber.art", "auftraggeber.land", "auftragnehmer.kleinunternehmer")
_OTHER_EU = ", ".join(f'"{c}"' for c in sorted(EU_MEMBER_STATES - {HOME}))
_ABROAD = 'auftraggeber.land and auftraggeber.land != "DE"'
_IN_OTHER_EU = f"auftraggeber.land in [{_OTHER_EU}]"


def _fee(values: Mapping[str, Any]) -> tuple[FeeModel | None, Mapping[str, Any]]:
    return fee_model_of(values), _section(values, "honorar")


def _flag(name: str, words: str, sources: tuple[str, ...],
          test: Callable[[Mapping[str, Any]], bool], expression: str) -> Derived:
    return Derived(name, sources, lambda values, _: test(values), words=words, flag=True,
                   expression=expression)


def _has_fee_flag(flag: str) -> Callable[[Mapping[str, Any]], bool]:
    def test(values: Mapping[str, Any]) -> bool:
        model = fee_model_of(values)
        return model is not None and flag in model.flags
    return test


def _has_term_flag(flag: str) -> Callable[[Mapping[str, Any]], bool]:
    def test(values: Mapping[str, Any]) -> bool:
        term = term_type_of(values)
        return term is not None and flag in term.flags
    return test


def _fee_flags() -> Iterator[Derived]:
    for flag in dict.fromkeys(f for model in FEE_MODELS for f in sorted(model.flags)):
        labels = [m.label for m in FEE_MODELS if flag in m.flags]
        words = "Honorarmodell " + " oder ".join(f"„{label}“" for label in labels)
        keys = ", ".join(f'"{m.key}"' for m in FEE_MODELS if flag in m.flags)
        yield _flag(flag, words, (MODEL_KEY,), _has_fee_flag(flag), f"{MODEL_KEY} in [{keys}]")


def _term_flags() -> Iterator[Derived]:
    yield _flag("laufend", "der Vertrag kann ordentlich gekündigt werden (unbefristet, mit "
                "Mindestlaufzeit, oder ein Dienstvertrag vor dem Ende des Projekts)",
                NOTICE_SOURCES, has_notice, NOTICE_CONDITION)
    for flag in dict.fromkeys(f for term in TERM_TYPES for f in sorted(term.flags)):
        terms = [t for t in TERM_TYPES if flag in t.flags]
        words = "Laufzeit " + " oder ".join(f"„{t.label}“" for t in terms)
        yield _flag(flag, words, tuple(dict.fromkeys(s for t in terms for s in t.sources)),
                    _has_term_flag(flag), " or ".join(f"({t.condition})" for t in terms))


def _hourly_rate(values: Mapping[str, Any], _: Vocabulary) -> Any:
    model, fee = _fee(values)
    return model.hourly_rate(fee) if model is not None else fee.get("stundensatz_zusatz")


def _deposit(values: Mapping[str, Any], _: Vocabulary) -> Any:
    model, fee = _fee(values)
    return model.deposit_amount(fee) if model is not None else None


def _unit(values: Mapping[str, Any], vocabulary: Vocabulary) -> Any:
    model, _ = _fee(values)
    return vocabulary.units.get(model.unit) if model is not None and model.unit else None


PROFESSION_KEY = "beruf"       # the question that chooses the profession profile


def _profession(values: Mapping[str, Any], vocabulary: Vocabulary) -> Any:
    chosen = values.get(PROFESSION_KEY)
    profile = vocabulary.professions.get(chosen) if isinstance(chosen, str) else None
    if profile is None and vocabulary.default_profession is not None:
        profile = vocabulary.professions.get(vocabulary.default_profession)
    return dict(profile) if profile is not None else {}


def _term(values: Mapping[str, Any], _: Vocabulary) -> Any:
    term = term_type_of(values)
    return term.key if term is not None else None


def _fee_label(values: Mapping[str, Any], vocabulary: Vocabulary) -> Any:
    model, _ = _fee(values)
    return vocabulary.fee_labels.get(model.key, model.label) if model is not None else None


DERIVED: tuple[Derived, ...] = (
    _flag("verbraucher", "der Auftraggeber ist Verbraucher", ("auftraggeber.art",), _consumer,
          'auftraggeber.art == "verbraucher"'),
    _flag("widerrufsrecht", "der Auftraggeber hat ein Widerrufsrecht (Verbraucher, Vertrag im "
          "Fernabsatz oder außerhalb von Geschäftsräumen)", ("auftraggeber.art", "vertragsschluss"),
          lambda v: _consumer(v) and v.get("vertragsschluss") != "geschaeftsraeume",
          'auftraggeber.art == "verbraucher" and vertragsschluss != "geschaeftsraeume"'),
    _flag("beide_kaufleute", "beide Parteien sind Kaufleute",
          ("auftraggeber.art", "auftraggeber.kaufmann", "auftragnehmer.kaufmann"),
          lambda v: not _consumer(v) and bool(_section(v, "auftragnehmer").get("kaufmann"))
          and bool(_section(v, "auftraggeber").get("kaufmann")),
          'auftraggeber.art != "verbraucher" and auftragnehmer.kaufmann and auftraggeber.kaufmann'),
    _flag("ausland", "der Auftraggeber hat seinen Sitz oder Wohnsitz außerhalb Deutschlands",
          ("auftraggeber.land",), lambda v: abroad(_country(v)), _ABROAD),
    _flag("eu_ausland", "der Auftraggeber hat seinen Sitz oder Wohnsitz in einem anderen "
          "Mitgliedstaat der EU", ("auftraggeber.land",),
          lambda v: abroad(_country(v)) and in_eu(_country(v)), _IN_OTHER_EU),
    # VAT follows from the parties (vat_case), never from an answer of its own
    _flag("ust_brutto", "die Preise enthalten die deutsche Umsatzsteuer (Verbraucher, "
          "Auftragnehmer nicht Kleinunternehmer)", ("auftraggeber.art", "auftragnehmer.kleinunternehmer"),
          lambda v: vat_case(v) == "brutto",
          'auftraggeber.art == "verbraucher" and not auftragnehmer.kleinunternehmer'),
    _flag("ust_zuzueglich", "zu den Preisen kommt die deutsche Umsatzsteuer hinzu (Unternehmer "
          "in Deutschland, Auftragnehmer nicht Kleinunternehmer)", _VAT_SOURCES,
          lambda v: vat_case(v) == "zuzueglich",
          f'auftraggeber.art != "verbraucher" and not ({_ABROAD}) and not auftragnehmer.kleinunternehmer'),
    _flag("reverse_charge", "Steuerschuldnerschaft des Leistungsempfängers (Unternehmer in "
          "einem anderen EU-Staat, Auftragnehmer nicht Kleinunternehmer)", _VAT_SOURCES,
          lambda v: vat_case(v) == "reverse_charge",
          f'auftraggeber.art != "verbraucher" and {_IN_OTHER_EU} and not auftragnehmer.kleinunternehmer'),
    _flag("nicht_steuerbar", "in Deutschland nicht steuerbar (Unternehmer außerhalb der EU, "
          "Auftragnehmer nicht Kleinunternehmer)", _VAT_SOURCES,
          lambda v: vat_case(v) == "nicht_steuerbar",
          f'auftraggeber.art != "verbraucher" and ({_ABROAD}) and not ({_IN_OTHER_EU}) '
          'and not auftragnehmer.kleinunternehmer'),
    # § 38 Abs. 1 ZPO (two Kaufleute) or a business client without a general place of
    # jurisdiction in Germany (seat abroad: § 38 Abs. 2 ZPO, Art. 25 Brussels Ia, Art. 23 Lugano)
    _flag("gerichtsstand_vereinbar", "ein Gerichtsstand darf vereinbart werden (beide "
          "Kaufleute, oder ein Unternehmer mit Sitz außerhalb Deutschlands)",
          ("auftraggeber.art", "auftraggeber.kaufmann", "auftragnehmer.kaufmann",
           "auftraggeber.land"),
          lambda v: not _consumer(v) and (abroad(_country(v)) or (
              bool(_section(v, "auftragnehmer").get("kaufmann"))
              and bool(_section(v, "auftraggeber").get("kaufmann")))),
          f'auftraggeber.art != "verbraucher" and (({_ABROAD}) or (auftragnehmer.kaufmann and '
          'auftraggeber.kaufmann))'),
    _flag("rahmen", "Rahmenvertrag", ("vertragsart",), lambda v: v.get("vertragsart") == "rahmenvertrag",
          'vertragsart == "rahmenvertrag"'),
    _flag("werk", "Werkvertrag", ("vertragstyp",), lambda v: v.get("vertragstyp") == "werkvertrag",
          'vertragstyp == "werkvertrag"'),
    # §§ 327 ff., 650 Abs. 2, 356 Abs. 5, 357a Abs. 3 BGB: a digital product for a consumer
    _flag("digital", "digitales Produkt für einen Verbraucher (Website, App, Software, Dateien)",
          ("auftraggeber.art", "digitales_produkt"),
          lambda v: _consumer(v) and bool(v.get("digitales_produkt")),
          'auftraggeber.art == "verbraucher" and digitales_produkt'),
    # sprache: de-en, a contract in two languages side by side (render/languages.py)
    _flag("zweisprachig", "der Vertrag ist zweisprachig (Deutsch und Englisch nebeneinander)",
          ("sprache",), lambda v: "-" in str(v.get("sprache") or ""), 'sprache == "de-en"'),
    *_fee_flags(),
    *_term_flags(),
    Derived("honorarmodell", (MODEL_KEY,), _fee_label),
    Derived("einheit", (MODEL_KEY,), _unit),
    Derived("ust_satz", (), lambda values, _: VAT_RATE),
    Derived("berufsprofil", (PROFESSION_KEY,), _profession),
    Derived("ust_fall", _VAT_SOURCES, lambda values, _: vat_case(values)),
    Derived("anzahlung_betrag", (MODEL_KEY, "honorar.betrag", "honorar.anzahlung_prozent"),
            _deposit, words="eine Anzahlung ist vereinbart", fee_amount=True),
    Derived("stundensatz", (MODEL_KEY, "honorar.betrag", "honorar.stundensatz_zusatz"),
            _hourly_rate, words="ein Stundensatz ist angegeben", fee_amount=True),
    # until when an offer by e-mail may be accepted (§ 148 BGB): the answer; without one the
    # document's date plus OFFER_DAYS, set by template_context(today=...) (render/context.py)
    Derived("annahme_bis", ("angebot_gueltig_bis",),
            lambda values, _: acceptance_deadline(values.get("angebot_gueltig_bis"), None)),
    Derived("kuendigungsfrist", (*NOTICE_SOURCES, *NOTICE_VALUES),
            lambda values, _: notice_period(values)),
    Derived("laufzeitart", TERM_SOURCES, _term),
    Derived("zahlungsplan", PLAN_SOURCES, lambda values, _: payment_plan(values),
            words="ein Zahlungsplan ist vereinbart"),
    Derived("raten", (*PLAN_SOURCES, "zahlung.raten"), lambda values, _: instalments(values),
            words="Ratenzahlung ist vereinbart"),
    Derived("einheiten_betrag", (MODEL_KEY, "honorar.betrag", "honorar.einheiten_anzahl",
                                 "honorar.probe_einheiten"),
            lambda values, _: unit_total(values), words="eine Zahl von Einheiten ist vereinbart"),
)
# derived name -> the answer keys it is computed from (a clause using it lists these in requires)
DERIVED_SOURCES: dict[str, tuple[str, ...]] = {d.name: d.sources for d in DERIVED}
# a derived condition in words, for the clause catalogue
DERIVED_WORDS: dict[str, str] = {d.name: d.words for d in DERIVED if d.words}
FLAGS: tuple[Derived, ...] = tuple(d for d in DERIVED if d.flag)


def acceptance_deadline(given: Any, today: dt.date | None) -> dt.date | None:
    """Until when the offer may be accepted (§ 148 BGB): the answer, else OFFER_DAYS days after
    the document's date (None without a date: only for checks that render single clauses)."""
    if isinstance(given, dt.date):
        return given
    return today + dt.timedelta(days=OFFER_DAYS) if today is not None else None


def fee_amounts(fee: Mapping[str, Any]) -> dict[str, Any]:
    """The derived amounts of one honorar section (a framework's, or an order's effective one)."""
    return {d.name: d.compute({"honorar": fee}, _NO_WORDS) for d in DERIVED if d.fee_amount}


def derived_values(values: Mapping[str, Any], vocabulary: Vocabulary) -> dict[str, Any]:
    """Every derived value for a set of answers."""
    return {d.name: d.compute(values, vocabulary) for d in DERIVED}


class ConditionScope(Mapping[str, Any]):
    """The answers plus the yes/no derived values, for the conditions of questions. Computed
    on access, so a condition always sees the answers as they are at that moment."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._answers = values
        self._flags = {name: d for name, d in _FLAGS_BY_NAME.items() if name not in values}
        self._computed: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key in self._flags:
            if key not in self._computed:   # one evaluation sees one state of the answers
                self._computed[key] = self._flags[key].compute(self._answers, _NO_WORDS)
            return self._computed[key]
        return self._answers[key]

    def __iter__(self) -> Iterator[str]:
        yield from self._answers
        yield from self._flags

    def __len__(self) -> int:
        return len(self._answers) + len(self._flags)


_NO_WORDS = Vocabulary()
_FLAGS_BY_NAME = {d.name: d for d in FLAGS}


def condition_scope(values: Mapping[str, Any]) -> Mapping[str, Any]:
    """What a condition sees: the answers and the yes/no derived values (a template context,
    which holds them already, is returned as it is)."""
    if all(name in values for name in _FLAGS_BY_NAME):
        return values
    return ConditionScope(values)
