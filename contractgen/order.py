"""Individual orders (Einzelaufträge) under a framework agreement (Rahmenvertrag).

The order's answers file has its own small questionnaire (clause_library/einzelauftrag/
fragebogen.yaml), validated like any answers file. It is then checked against the framework:
terms the framework fixes (rates, payment term, cancellation tiers, kind of usage rights,
consumer or business) may be repeated but not contradicted, unless the framework's answers say
under `einzelauftraege` that orders may differ. Everything not in the order is inherited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import AnswersError, Problem
from .formatting import format_date, format_money, format_number, format_percent
from .library import Library, evaluate_condition
from .library.reader import ORDER_DIR
from .model import Document
from .questionnaire.answers import Answers, canonical_json, validate
from .questionnaire.rawyaml import apply_override, read_yaml_file
from .questionnaire.schema import Questionnaire, load_questionnaire


@dataclass(frozen=True)
class FixedTerm:
    """A term the framework fixes. `open_flag`: the framework answer that lets orders differ."""

    path: str
    label: str
    open_flag: str | None
    applies: Callable[[Mapping[str, Any]], bool] = lambda framework: True


def _time_based(framework: Mapping[str, Any]) -> bool:
    return (framework.get("honorar") or {}).get("modell") != "pauschal"


def _has_rights(framework: Mapping[str, Any]) -> bool:
    return bool(framework.get("nutzungsrechte"))


FIXED_TERMS: tuple[FixedTerm, ...] = (
    FixedTerm("auftraggeber.art", "ist der Auftraggeber", None),
    FixedTerm("honorar.modell", "ist das Honorarmodell", None),
    FixedTerm("honorar.betrag", "ist der Stunden- bzw. Tagessatz", "honorar_abweichend",
              _time_based),
    FixedTerm("honorar.stundensatz_zusatz", "ist der Stundensatz für zusätzlichen Aufwand",
              "honorar_abweichend"),
    FixedTerm("zahlung.ziel_tage", "ist das Zahlungsziel", "zahlungsziel_abweichend"),
    FixedTerm("ausfall.staffel", "ist die Staffel des Ausfallhonorars", "ausfall_abweichend"),
    FixedTerm("nutzungsrechte.art", "ist die Art des Nutzungsrechts",
              "nutzungsrechte_abweichend", _has_rights),
)
_CHOICE_WORDS = {
    "unternehmer": "Unternehmer", "verbraucher": "Verbraucher", "pauschal": "Pauschalhonorar",
    "stunde": "Stundenhonorar", "tag": "Tageshonorar", "einfach": "einfaches Nutzungsrecht",
    "ausschliesslich": "ausschließliches Nutzungsrecht",
}


def load_order_library(main: Library) -> Library:
    """The order part of a clause library (its folder einzelauftrag/) as a Library of its own,
    read by the same reader as the library itself (every problem at once, exit 4)."""
    from .library.reader import raise_problems, read_order_library

    source = read_order_library(main)
    return raise_problems(source, f"Die Vorlagen für Einzelaufträge in {source.root} sind "
                          "fehlerhaft.")


def order_questionnaire(main: Library) -> Questionnaire:
    return load_questionnaire(main.root / ORDER_DIR / "fragebogen.yaml")


def load_order_answers(path: Path, questionnaire: Questionnaire,
                       overrides: Iterable[str] = ()) -> Answers:
    raw = read_yaml_file(path, "Einzelauftragsdatei")
    problems = [p for p in (apply_override(raw, o) for o in overrides) if p is not None]
    if problems:
        raise AnswersError("Ungültige --set-Angabe.", tuple(problems))
    return validate(raw, questionnaire, str(path), evaluate_condition)


# -- checking the order against the framework --------------------------------------------------
def check_against_framework(order: Answers, framework: Answers) -> tuple[Problem, ...]:
    """Every clash of the order with the framework, and what the framework requires of it."""
    problems: list[Problem] = []
    fw = framework.values
    if fw.get("vertragsart") != "rahmenvertrag":
        problems.append(Problem(
            "error", "Einzelaufträge gibt es nur zu einem Rahmenvertrag; diese Antworten "
            f"beschreiben eine {fw.get('vertragsart')!s}.", framework.source, "vertragsart",
            code="order.no-framework"))
        return tuple(problems)
    allowed = fw.get("einzelauftraege") or {}
    for term in FIXED_TERMS:
        mine = order.get(term.path)
        if _absent(mine) or not term.applies(fw):
            continue
        theirs = framework.get(term.path)
        if _same(mine, theirs):
            continue
        if term.open_flag and allowed.get(term.open_flag):
            continue
        where_fw = framework.location(term.path).where
        show = _show_money if term.path.startswith("honorar.") and term.path != "honorar.modell" \
            else _show
        shown = show(theirs) if not _absent(theirs) else "nichts vereinbart"
        hint = (f" Soll der Einzelauftrag abweichen dürfen, im Rahmenvertrag "
                f"einzelauftraege.{term.open_flag}: true vereinbaren." if term.open_flag
                else " Diese Bedingung kann ein Einzelauftrag nicht ändern.")
        problems.append(Problem(
            "error", f"widerspricht dem Rahmenvertrag: hier {show(mine)}, im Rahmenvertrag "
            f"{term.label} {shown} ({where_fw}).{hint}",
            order.location(term.path), term.path, code="order.conflict"))
    model = order.get("honorar.modell") or framework.get("honorar.modell")
    if model == "pauschal" and order.get("honorar.betrag") is None:
        problems.append(Problem(
            "error", "fehlt (Pauschalhonorar dieses Einzelauftrags): Der Rahmenvertrag sieht "
            "ein Pauschalhonorar je Einzelauftrag vor.", order.source, "honorar.betrag",
            code="order.missing"))
    if model != "pauschal":
        for path in ("honorar.anzahlung_prozent", "abstimmung.inklusive_stunden",
                     "korrekturen.inklusive_runden", "korrekturen.preis_runde"):
            if order.get(path) is not None:
                problems.append(Problem(
                    "error", "gibt es nur beim Pauschalhonorar; der Rahmenvertrag vereinbart "
                    f"ein {_show(model)}.", order.location(path), path,
                    code="order.fee-model"))
    elif order.get("honorar.schaetzung") is not None:
        path = "honorar.schaetzung"
        problems.append(Problem("error", "gibt es nur beim Stunden- oder Tageshonorar; dieser "
                                "Auftrag hat ein Pauschalhonorar.",
                                order.location(path), path,
                                code="order.fee-model"))
    signed = framework.get("unterschrift.datum")
    date = order.get("datum")
    if isinstance(signed, dt.date) and isinstance(date, dt.date) and date < signed:
        problems.append(Problem(
            "error", f"{format_date(date)} liegt vor dem Rahmenvertrag vom {format_date(signed)}.",
            order.location("datum"), "datum", code="order.date"))
    return tuple(problems)


def _absent(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _same(mine: Any, theirs: Any) -> bool:
    if isinstance(mine, list) and isinstance(theirs, list):
        return [sorted(i.items()) for i in mine] == [sorted(i.items()) for i in theirs]
    return bool(mine == theirs)


def _show_money(value: Any) -> str:
    return format_money(value) if isinstance(value, Decimal) else _show(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, str):
        return _CHOICE_WORDS.get(value, value)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "; ".join(f"ab weniger als {i['tage_vorher']} Tagen {format_percent(i['prozent'])}"
                         for i in value) or "keine Staffel"
    return str(value)


# -- the effective terms ---------------------------------------------------------------------
def effective_terms(order: Answers, framework: Answers) -> dict[str, Any]:
    """The order's values with everything it leaves out taken from the framework: `auftrag`."""
    o, fw = order.values, framework.values
    fee_fw = fw.get("honorar") or {}
    fee_o = o.get("honorar") or {}
    model = fee_o.get("modell") or fee_fw.get("modell")
    rate_fw = fee_fw.get("betrag") if model != "pauschal" else None
    amount = fee_o.get("betrag") if fee_o.get("betrag") is not None else rate_fw
    extra = fee_o.get("stundensatz_zusatz") or fee_fw.get("stundensatz_zusatz")
    percent = fee_o.get("anzahlung_prozent")
    kind = o.get("vertragstyp") or fw.get("vertragstyp")
    rights = o.get("nutzungsrechte")
    rights_fw = fw.get("nutzungsrechte")
    if rights is not None:
        rights = {
            "art": rights.get("art"),
            "gebiet": rights.get("gebiet") or (rights_fw or {}).get("gebiet") or "Deutschland",
            "dauer": rights.get("dauer") or (rights_fw or {}).get("dauer") or "unbegrenzt",
            "zweck": rights.get("zweck"),
        }
    target = (o.get("zahlung") or {}).get("ziel_tage")
    target_fw = (fw.get("zahlung") or {}).get("ziel_tage")
    tiers = (o.get("ausfall") or {}).get("staffel") or []
    tiers_fw = (fw.get("ausfall") or {}).get("staffel") or []
    return {
        "nummer": o["nummer"], "datum": o["datum"], "titel": o["titel"],
        "leistungen": o["leistungen"], "nicht_enthalten": o.get("nicht_enthalten") or [],
        "beginn": o["beginn"], "ende": o.get("ende"),
        "vertragstyp": kind, "werk": kind == "werkvertrag",
        "honorar": {
            "modell": model, "betrag": amount,
            "stundensatz": amount if model == "stunde" else extra,
            "abweichend": model != "pauschal" and amount != rate_fw,
            "anzahlung_prozent": percent,
            "anzahlung_betrag": (amount * percent / 100 if model == "pauschal" and percent
                                 and amount is not None else None),
            "schaetzung": fee_o.get("schaetzung"),
        },
        "abstimmung": {"inklusive_stunden": _first(
            (o.get("abstimmung") or {}).get("inklusive_stunden"),
            (fw.get("abstimmung") or {}).get("inklusive_stunden"), Decimal(0))},
        "korrekturen": {
            "inklusive_runden": _first((o.get("korrekturen") or {}).get("inklusive_runden"),
                                       (fw.get("korrekturen") or {}).get("inklusive_runden"), 0),
            "preis_runde": _first((o.get("korrekturen") or {}).get("preis_runde"),
                                  (fw.get("korrekturen") or {}).get("preis_runde")),
        },
        "nutzungsrechte": rights,
        "zahlung": {"ziel_tage": target if target is not None else target_fw,
                    "abweichend": target is not None and target != target_fw},
        # the order's own cancellation tiers (only where the framework allows them, see
        # check_against_framework), else the framework's; `abweichend`: the order has its own
        "ausfall": {"staffel": tiers or tiers_fw,
                    "abweichend": bool(tiers) and not _same(tiers, tiers_fw)},
    }


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def order_context(framework_doc: Document, framework: Answers, order: Answers) -> dict[str, Any]:
    from .questionnaire.derived import template_context
    from .render.order import clause_numbers

    context = template_context(framework)
    context["auftrag"] = effective_terms(order, framework)
    context["rahmenvertrag"] = {"titel": framework_doc.title,
                                "datum": framework.get("unterschrift.datum") or framework_doc.date}
    context["rv"] = clause_numbers(framework_doc)
    return context


def build_order(main: Library, framework: Answers, order: Answers, *,
                today: dt.date) -> Document:
    """Check the order against the framework (AnswersError, exit 3, naming every clash), then
    build its document."""
    from .render import build_document
    from .render.order import build_order_document

    problems = check_against_framework(order, framework)
    if problems:
        count = len(problems)
        raise AnswersError(
            f"Der Einzelauftrag {order.source} passt nicht zum Rahmenvertrag "
            f"{framework.source} ({count} {'Problem' if count == 1 else 'Probleme'}).", problems)
    orders = load_order_library(main)
    framework_doc = build_document(main, framework, today=today)
    context = order_context(framework_doc, framework, order)
    return build_order_document(
        main, orders, context, framework=framework_doc, values=framework.values,
        answers_digest=order.digest, answers_json=canonical_json(order.values))



# -- the interview of `contractgen new --auftrag RAHMEN` ----------------------------------------
def interview_plan(framework: Answers, questionnaire: Questionnaire,
                   ) -> tuple[Questionnaire, dict[str, Any], set[str]]:
    """What the order interview asks: the questionnaire (the flat fee required where the
    framework has flat fees), the starting values taken from the framework, and the key paths
    not asked because the framework fixes them."""
    from dataclasses import replace as replace_question

    fw = framework.values
    allowed = fw.get("einzelauftraege") or {}
    model = (fw.get("honorar") or {}).get("modell")
    fixed = {"honorar.modell", "auftraggeber"}
    if not allowed.get("honorar_abweichend"):
        fixed.add("honorar.stundensatz_zusatz")
        if model != "pauschal":
            fixed.add("honorar.betrag")
    if not allowed.get("zahlungsziel_abweichend"):
        fixed.add("zahlung")
    if not allowed.get("ausfall_abweichend"):
        fixed.add("ausfall")
    if model == "pauschal":
        fixed.add("honorar.schaetzung")
    else:
        fixed |= {"abstimmung", "korrekturen", "honorar.anzahlung_prozent"}

    def adjust(q: Any) -> Any:
        if q.path == "honorar.betrag" and model == "pauschal":
            return replace_question(q, required=True)
        if q.path == "nutzungsrechte.art" and fw.get("nutzungsrechte") \
                and not allowed.get("nutzungsrechte_abweichend"):
            return replace_question(q, choices=tuple(
                c for c in q.choices if c[0] == fw["nutzungsrechte"]["art"]))
        return replace_question(q, fields=tuple(adjust(f) for f in q.fields))

    adjusted = Questionnaire(tuple(adjust(q) for q in questionnaire.questions),
                             questionnaire.source)
    start: dict[str, Any] = {"vertragstyp": fw.get("vertragstyp")}
    if model == "pauschal":
        start["abstimmung"] = {"inklusive_stunden": (fw.get("abstimmung") or {}).get(
            "inklusive_stunden")}
        start["korrekturen"] = {"inklusive_runden": (fw.get("korrekturen") or {}).get(
            "inklusive_runden")}
    if fw.get("nutzungsrechte"):
        rights = fw["nutzungsrechte"]
        start["nutzungsrechte"] = {"art": rights.get("art"), "gebiet": rights.get("gebiet"),
                                   "dauer": rights.get("dauer")}
    return adjusted, start, fixed
