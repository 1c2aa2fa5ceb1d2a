"""Fee models (Honorarmodelle): one entry per choice of `honorar.modell`.

Everything the code knows about a fee model is declared here: the flags clauses and questions
select on, the billing unit, the answers it uses, its derived amounts, what an individual order
inherits, must state or may not state, and how the pay for a cancelled appointment is computed.
No other module compares `honorar.modell` with a string.

Adding a model is one entry here, the choice in the library's questionnaire.yaml and the
clauses that select on its flags (docs/architecture.md). The monthly fee (`monatlich`, a
retainer, optionally with a one-off fee), the fee per unit (`einheit`: per text, session or
qualified appointment, with free trial units) and the weekly rate (`woche`) were added so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MODEL_KEY = "honorar.modell"


@dataclass(frozen=True)
class Appointment:
    """The pay for one appointment, before the cancellation tier's percentage is applied."""

    amount: Decimal
    quantity: Decimal          # hours, working days or units
    unit: str                  # "stunde", "arbeitstag" or "einheit"
    rate: Decimal              # per unit
    capped_at: Decimal | None = None   # the day or week rate, when part of it would cost more
    included_first: bool = False       # counted against the hours included in a monthly fee first


@dataclass(frozen=True)
class FeeModel:
    key: str                              # the answer value of honorar.modell
    label: str                            # how messages name it (the contract uses the library's word)
    flags: frozenset[str]                 # booleans for `when:` of clauses, questions, overview rows
    unit: str | None                      # the billed unit (a key of begriffe.einheiten); None: a lump
                                          # sum, or a unit the answers name (unit_answer)
    questions: tuple[str, ...]            # answers this model uses besides honorar.modell
    rate_is_amount: bool                  # honorar.betrag is the hourly rate (else stundensatz_zusatz)
    deposit: bool                         # an Anzahlung in percent of honorar.betrag is possible
    order_rate_from_framework: bool       # the framework's honorar.betrag holds for every order
    order_requires: tuple[str, ...]       # what each individual order must state
    order_own: tuple[str, ...]            # order answers that exist only for this model's flags
    order_inherits: tuple[str, ...]       # framework answers an order starts from (interview)
    appointment_by_days: bool             # a cancelled appointment is paid by working days
    appointment_by_units: bool = False    # ... by the units it uses (a session, a shoot)
    appointment_capped: bool = False      # an appointment costs at most honorar.betrag (day, week)
    included_hours: str | None = None     # the answer holding hours included in the fee per month
    unit_answer: str | None = None        # the answer naming the unit (singular)
    plan_base: str | None = None          # the amount a payment plan (zahlung.plan) divides

    def hourly_rate(self, fee: Mapping[str, Any]) -> Any:
        """The rate of additional work: the hourly fee itself, or the extra hourly rate."""
        return fee.get("betrag") if self.rate_is_amount else fee.get("stundensatz_zusatz")

    def deposit_amount(self, fee: Mapping[str, Any]) -> Any:
        amount, percent = fee.get("betrag"), fee.get("anzahlung_prozent")
        if self.deposit and amount is not None and percent:
            return amount * percent / 100
        return None

    def appointment(self, fee: Mapping[str, Any], *, hours: Decimal | None,
                    days: Decimal | None, units: Decimal | None = None) -> Appointment | None:
        """What a cancelled appointment is worth; None when the duration given does not fit
        (the caller names what is missing). Part days of a day rate (and appointments under a
        weekly rate) are billed by the hour, at most at the day (week) rate, as the contract
        says. Under a fee per unit an appointment is worth the units it uses (one session);
        under a monthly fee its hours count against the included hours first."""
        if self.appointment_by_units:
            price = fee.get("betrag")
            if price is None:
                return None
            count = units if units is not None else Decimal(1)
            return Appointment(count * price, count, "einheit", price)
        rate = self.hourly_rate(fee)
        if self.appointment_by_days and days is not None and days < 1:
            hours, days = days * Decimal(fee.get("stunden_pro_tag") or 8), None
        if self.appointment_by_days and days is not None:
            day_rate = fee["betrag"]
            return Appointment(days * day_rate, days, "arbeitstag", day_rate)
        if hours is None or rate is None:
            return None
        amount = hours * rate
        if self.appointment_capped and fee.get("betrag") is not None and amount > fee["betrag"]:
            return Appointment(fee["betrag"], hours, "stunde", rate, capped_at=fee["betrag"])
        return Appointment(amount, hours, "stunde", rate,
                           included_first=self.included_hours is not None)

    def included(self, values: Mapping[str, Any]) -> Any:
        """The hours included per month (a monthly fee), else None."""
        if self.included_hours is None:
            return None
        section, key = self.included_hours.split(".", 1)
        part = values.get(section)
        return part.get(key) if isinstance(part, Mapping) else None


_TIME_OPTIONS = ("honorar.takt_minuten", "honorar.zeitnachweis", "honorar.reisezeit",
                 "honorar.nicht_abrechenbar", "honorar.schaetzung",
                 "honorar.schaetzung_hinweis_prozent")
FEE_MODELS: tuple[FeeModel, ...] = (
    FeeModel(
        key="pauschal", label="Pauschalhonorar", flags=frozenset({"pauschal"}), unit=None,
        questions=("honorar.betrag", "honorar.stundensatz_zusatz", "honorar.anzahlung_prozent",
                   "abstimmung.inklusive_stunden", "korrekturen.inklusive_runden",
                   "korrekturen.preis_runde", "zahlung.plan", "zahlung.raten"),
        rate_is_amount=False, deposit=True, order_rate_from_framework=False,
        order_requires=("honorar.betrag",),
        order_own=("honorar.anzahlung_prozent", "abstimmung", "korrekturen",
                   "ausfall.terminwert_stunde"),
        order_inherits=("abstimmung.inklusive_stunden", "korrekturen.inklusive_runden"),
        appointment_by_days=False, plan_base="honorar.betrag"),
    FeeModel(
        key="stunde", label="Stundenhonorar",
        flags=frozenset({"zeithonorar", "stundenhonorar", "zeiterfassung"}),
        unit="stunde", questions=("honorar.betrag", "zahlung.rhythmus", *_TIME_OPTIONS),
        rate_is_amount=True, deposit=False, order_rate_from_framework=True, order_requires=(),
        order_own=("honorar.schaetzung",), order_inherits=(), appointment_by_days=False),
    FeeModel(
        key="tag", label="Tageshonorar",
        flags=frozenset({"zeithonorar", "tageshonorar", "zeiterfassung"}),
        unit="tag", questions=("honorar.betrag", "honorar.stundensatz_zusatz",
                               "honorar.stunden_pro_tag", "zahlung.rhythmus", *_TIME_OPTIONS),
        rate_is_amount=False, deposit=False, order_rate_from_framework=True, order_requires=(),
        order_own=("honorar.schaetzung",), order_inherits=(), appointment_by_days=True,
        appointment_capped=True),
    FeeModel(
        key="woche", label="Wochenhonorar",
        flags=frozenset({"zeithonorar", "wochenhonorar", "zeiterfassung"}),
        unit="woche", questions=("honorar.betrag", "honorar.stundensatz_zusatz",
                                 "honorar.stunden_pro_woche", "zahlung.rhythmus", *_TIME_OPTIONS),
        rate_is_amount=False, deposit=False, order_rate_from_framework=True, order_requires=(),
        order_own=("honorar.schaetzung",), order_inherits=(), appointment_by_days=False,
        appointment_capped=True),
    FeeModel(
        key="monatlich", label="Monatshonorar",
        flags=frozenset({"monatshonorar", "zeiterfassung"}), unit="monat",
        questions=("honorar.betrag", "honorar.stundensatz_zusatz", "honorar.monatlich_leistung",
                   "honorar.einmalbetrag", "honorar.einmalbetrag_leistung", "honorar.abrechnung",
                   "honorar.inklusive_stunden", "honorar.ungenutzte_stunden",
                   "honorar.preisanpassung", "zahlung.plan", "zahlung.raten", *_TIME_OPTIONS),
        rate_is_amount=False, deposit=False, order_rate_from_framework=False, order_requires=(),
        order_own=(), order_inherits=(), appointment_by_days=False,
        included_hours="honorar.inklusive_stunden", plan_base="honorar.einmalbetrag"),
    FeeModel(
        key="einheit", label="Honorar je Einheit", flags=frozenset({"einheitshonorar"}),
        unit=None, questions=("honorar.betrag", "honorar.stundensatz_zusatz",
                              "honorar.einheit_name", "honorar.einheit_mehrzahl",
                              "honorar.einheit_definition", "honorar.einheiten_anzahl",
                              "honorar.probe_einheiten", "zahlung.rhythmus"),
        rate_is_amount=False, deposit=False, order_rate_from_framework=True, order_requires=(),
        order_own=("honorar.einheiten_anzahl",), order_inherits=(), appointment_by_days=False,
        appointment_by_units=True, unit_answer="honorar.einheit_name"),
)
# every flag any model has, with how messages name the models that have it
FLAG_WORDS: dict[str, str] = {
    "pauschal": "Pauschalhonorar", "zeithonorar": "Stunden-, Tages- oder Wochenhonorar",
    "stundenhonorar": "Stundenhonorar", "tageshonorar": "Tageshonorar",
    "wochenhonorar": "Wochenhonorar", "monatshonorar": "Monatshonorar",
    "einheitshonorar": "Honorar je Einheit",
    "zeiterfassung": "Stunden-, Tages-, Wochen- oder Monatshonorar",
}
FEE_FLAGS: tuple[str, ...] = tuple(dict.fromkeys(f for m in FEE_MODELS for f in sorted(m.flags)))


def fee_model(key: Any) -> FeeModel | None:
    """The entry for an answer value of honorar.modell (None: not answered or unknown)."""
    return next((model for model in FEE_MODELS if model.key == key), None)


def fee_model_of(values: Mapping[str, Any]) -> FeeModel | None:
    """The fee model of a set of answers (their `honorar.modell`)."""
    fee = values.get("honorar")
    return fee_model(fee.get("modell")) if isinstance(fee, Mapping) else None


def fee_flags(model: FeeModel | None) -> dict[str, bool]:
    return {flag: model is not None and flag in model.flags for flag in FEE_FLAGS}


def owner_flag(path: str) -> str | None:
    """The flag of the models an order answer belongs to, when only some have it ("pauschal"
    for abstimmung.inklusive_stunden, "zeithonorar" for honorar.schaetzung); None otherwise."""
    having = {m.key for m in FEE_MODELS
              if any(path == own or path.startswith(own + ".") for own in m.order_own)}
    if not having:
        return None
    return next((flag for flag in FLAG_WORDS
                 if {m.key for m in FEE_MODELS if flag in m.flags} == having), None)
