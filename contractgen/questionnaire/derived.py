"""Values derived from the answers that clauses may use by name (documented in the library guide)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .answers import Answers

VAT_RATE = Decimal("19")  # § 12 Abs. 1 UStG


def template_context(answers: Answers) -> dict[str, Any]:
    """The answers plus derived flags and amounts; this is what every template sees."""
    values = answers.values
    client = values.get("auftraggeber") or {}
    freelancer = values.get("auftragnehmer") or {}
    fee = values.get("honorar") or {}
    consumer = client.get("art") == "verbraucher"
    model = fee.get("modell")
    amount = fee.get("betrag")
    deposit_percent = fee.get("anzahlung_prozent")
    context: dict[str, Any] = dict(values)
    context.update(
        verbraucher=consumer,
        widerrufsrecht=consumer and values.get("vertragsschluss") != "geschaeftsraeume",
        beide_kaufleute=(not consumer and bool(freelancer.get("kaufmann"))
                         and bool(client.get("kaufmann"))),
        rahmen=values.get("vertragsart") == "rahmenvertrag",
        werk=values.get("vertragstyp") == "werkvertrag",
        einheit={"stunde": "Stunde", "tag": "Tag"}.get(str(model)),
        ust_satz=VAT_RATE,
        anzahlung_betrag=(amount * deposit_percent / 100
                          if model == "pauschal" and amount is not None and deposit_percent
                          else None),
        stundensatz=amount if model == "stunde" else fee.get("stundensatz_zusatz"),
    )
    return context
