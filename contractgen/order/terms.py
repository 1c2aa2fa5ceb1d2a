"""An order's effective terms: its own answers, and the framework's for everything it leaves out.

The fee amounts (`stundensatz`, `anzahlung_betrag`) come from the same declarations as the
framework's derived values (terms/derived.py), computed on the order's effective fee.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..questionnaire.answers import Answers
from ..terms import fee_amounts, fee_model
from ..terms.derived import acceptance_deadline

if TYPE_CHECKING:
    from ..library import Library
    from ..model import Document


def _section(values: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    section = values.get(key)
    return section if isinstance(section, Mapping) else {}


def effective_terms(order: Answers, framework: Answers) -> dict[str, Any]:
    """The order's values with everything it leaves out taken from the framework: `auftrag`."""
    o, fw = order.values, framework.values
    fee_fw, fee_o = _section(fw, "honorar"), _section(o, "honorar")
    key = fee_o.get("modell") or fee_fw.get("modell")
    model = fee_model(key)
    rate_fw = fee_fw.get("betrag") if model is not None and model.order_rate_from_framework else None
    amount = fee_o.get("betrag") if fee_o.get("betrag") is not None else rate_fw
    fee = {"modell": key, "betrag": amount,
           "stundensatz_zusatz": fee_o.get("stundensatz_zusatz") or fee_fw.get("stundensatz_zusatz"),
           "anzahlung_prozent": fee_o.get("anzahlung_prozent")}
    kind = o.get("vertragstyp") or fw.get("vertragstyp")
    rights = o.get("nutzungsrechte")
    rights_fw = _section(fw, "nutzungsrechte")
    if rights is not None:
        rights = {
            "art": rights.get("art"),
            "gebiet": rights.get("gebiet") or rights_fw.get("gebiet") or "Deutschland",
            "dauer": rights.get("dauer") or rights_fw.get("dauer") or "unbegrenzt",
            "zweck": rights.get("zweck"),
        }
    target = _section(o, "zahlung").get("ziel_tage")
    target_fw = _section(fw, "zahlung").get("ziel_tage")
    tiers = _section(o, "ausfall").get("staffel") or []
    tiers_fw = _section(fw, "ausfall").get("staffel") or []
    return {
        "nummer": o["nummer"], "datum": o["datum"], "titel": o["titel"],
        "leistungen": o["leistungen"], "nicht_enthalten": o.get("nicht_enthalten") or [],
        "beginn": o["beginn"], "ende": o.get("ende"),
        "vertragstyp": kind, "werk": kind == "werkvertrag",
        "honorar": {
            "modell": key, "betrag": amount,
            **fee_amounts(fee),
            # a fee per unit: how many units this order comprises and their price (no free trial
            # units in an order: they belong to the start of the framework)
            "einheiten_anzahl": fee_o.get("einheiten_anzahl"),
            "einheiten_betrag": (fee_o["einheiten_anzahl"] * amount
                                 if fee_o.get("einheiten_anzahl") and amount is not None else None),
            "abweichend": model is not None and model.order_rate_from_framework
            and amount != rate_fw,
            "anzahlung_prozent": fee["anzahlung_prozent"],
            "schaetzung": fee_o.get("schaetzung"),
        },
        "abstimmung": {"inklusive_stunden": _first(
            _section(o, "abstimmung").get("inklusive_stunden"),
            _section(fw, "abstimmung").get("inklusive_stunden"), Decimal(0))},
        "korrekturen": {
            "inklusive_runden": _first(_section(o, "korrekturen").get("inklusive_runden"),
                                       _section(fw, "korrekturen").get("inklusive_runden"), 0),
            "preis_runde": _first(_section(o, "korrekturen").get("preis_runde"),
                                  _section(fw, "korrekturen").get("preis_runde")),
        },
        "nutzungsrechte": rights,
        "zahlung": {"ziel_tage": target if target is not None else target_fw,
                    "abweichend": target is not None and target != target_fw},
        # the order's own cancellation tiers (only where the framework allows them, see
        # check_against_framework), else the framework's; `abweichend`: the order has its own
        "ausfall": {"staffel": tiers or tiers_fw,
                    "abweichend": bool(tiers) and not same_value(tiers, tiers_fw),
                    "terminwert_stunde": _first(_section(o, "ausfall").get("terminwert_stunde"),
                                                _section(fw, "ausfall").get("terminwert_stunde"))},
        # every order decides its own withdrawal right: an order agreed by e-mail is a distance
        # contract even if the framework was signed in the freelancer's premises (§ 312c BGB)
        **withdrawal_terms(o, fw),
    }


def withdrawal_terms(o: Mapping[str, Any], fw: Mapping[str, Any]) -> dict[str, Any]:
    """How this order was concluded and what follows for a consumer: its own withdrawal right,
    a digital product (§§ 327 ff. BGB) and the consent to a durable medium other than paper."""
    consumer = _section(fw, "auftraggeber").get("art") == "verbraucher"
    concluded = o.get("vertragsschluss") or "fernabsatz"
    digital = o.get("digitales_produkt")
    if digital is None:
        digital = fw.get("digitales_produkt")
    return {"vertragsschluss": concluded,
            "widerrufsrecht": consumer and concluded != "geschaeftsraeume",
            "digital": consumer and bool(digital),
            "datentraeger_zustimmung": bool(o.get("datentraeger_zustimmung"))}


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def order_context(main: Library, framework_doc: Document, framework: Answers,
                  order: Answers) -> dict[str, Any]:
    """The framework's template context plus `auftrag`, `rahmenvertrag` and `rv`."""
    from ..render.context import template_context
    from ..render.order import clause_numbers

    context = template_context(main, framework)
    terms = effective_terms(order, framework)
    context["auftrag"] = terms
    # the order's own conclusion decides the withdrawal right and its wording (C1, M5)
    for name in ("vertragsschluss", "widerrufsrecht", "digital", "datentraeger_zustimmung"):
        context[name] = terms[name]
    context["annahme_bis"] = acceptance_deadline(order.get("angebot_gueltig_bis"),
                                                 order.get("datum"))
    context["rahmenvertrag"] = {"titel": framework_doc.title,
                                "datum": framework.get("unterschrift.datum") or framework_doc.date}
    context["rv"] = clause_numbers(framework_doc)
    return context


def same_value(mine: Any, theirs: Any) -> bool:
    """Whether an order's answer equals the framework's (lists of tiers compared entry by entry)."""
    if isinstance(mine, list) and isinstance(theirs, list):
        return [sorted(i.items()) for i in mine] == [sorted(i.items()) for i in theirs]
    return bool(mine == theirs)
