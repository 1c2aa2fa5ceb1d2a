"""Payment plans: milestones (zahlung.plan), instalments (zahlung.raten) and the total of a
number of units, computed once for every clause, overview row and check that shows them.

A plan divides the flat fee, or the one-off fee beside a monthly fee (the fee model's
`plan_base`). Amounts are exact to the cent; the last milestone or instalment takes what the
rounding of the others leaves, so the parts always add up to the whole.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from ..paths import value_at
from .fees import MODEL_KEY, fee_model_of

CENT = Decimal("0.01")
PLAN_SOURCES = (MODEL_KEY, "honorar.betrag", "honorar.einmalbetrag", "zahlung.plan")
# zahlung.plan[].ereignis: when a milestone falls due
EVENTS = ("vertragsschluss", "freigabe", "abnahme", "fertigstellung")


def plan_base(values: Mapping[str, Any]) -> Any:
    """The amount a plan or instalments divide; None when the fee model has none."""
    model = fee_model_of(values)
    if model is None or model.plan_base is None:
        return None
    return value_at(values, model.plan_base)


def payment_plan(values: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The milestones with their amounts, or None without a plan."""
    plan = value_at(values, "zahlung.plan")
    base = plan_base(values)
    if not plan or not isinstance(base, Decimal):
        return None
    steps = [step for step in plan if isinstance(step, Mapping)]
    if not steps or any(not isinstance(s.get("prozent"), Decimal) for s in steps):
        return None
    out: list[dict[str, Any]] = []
    paid = Decimal(0)
    for index, step in enumerate(steps):
        last = index == len(steps) - 1
        amount = (base - paid) if last else (base * step["prozent"] / 100).quantize(
            CENT, rounding=ROUND_HALF_UP)
        paid += amount
        out.append({"bezeichnung": step.get("bezeichnung"), "ereignis": step.get("ereignis"),
                    "prozent": step["prozent"], "betrag": amount})
    return out


def instalments(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """{"anzahl": 3, "betrag": 1600.00, "letzte": 1600.00}: equal monthly instalments."""
    count = value_at(values, "zahlung.raten")
    base = plan_base(values)
    if not count or not isinstance(base, Decimal) or count < 2:
        return None
    each = (base / count).quantize(CENT, rounding=ROUND_DOWN)
    return {"anzahl": count, "betrag": each, "letzte": base - each * (count - 1)}


def unit_total(values: Mapping[str, Any]) -> Any:
    """The price of an agreed number of units, free trial units not counted; None without one."""
    model = fee_model_of(values)
    if model is None or model.unit_answer is None:
        return None
    count, price = value_at(values, "honorar.einheiten_anzahl"), value_at(values, "honorar.betrag")
    if count is None or price is None:
        return None
    free = value_at(values, "honorar.probe_einheiten") or 0
    return max(count - free, 0) * price
