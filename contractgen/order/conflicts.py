"""Checking an individual order against its framework agreement: every clash at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import Problem
from ..formatting import format_date, format_money, format_number, format_percent
from ..questionnaire.answers import Answers
from ..terms import FLAG_WORDS, fee_model, fee_model_of, owner_flag
from .terms import same_value as _same
from .terms import withdrawal_terms


@dataclass(frozen=True)
class FixedTerm:
    """A term the framework fixes. `open_flag`: the framework answer that lets orders differ."""

    path: str
    label: str
    open_flag: str | None
    applies: Callable[[Mapping[str, Any]], bool] = lambda framework: True


def _rate_in_framework(framework: Mapping[str, Any]) -> bool:
    model = fee_model_of(framework)
    return model is not None and model.order_rate_from_framework


def _has_rights(framework: Mapping[str, Any]) -> bool:
    return bool(framework.get("nutzungsrechte"))


FIXED_TERMS: tuple[FixedTerm, ...] = (
    FixedTerm("auftraggeber.art", "ist der Auftraggeber", None),
    FixedTerm("honorar.modell", "ist das Honorarmodell", None),
    FixedTerm("honorar.betrag", "ist der Stunden- bzw. Tagessatz", "honorar_abweichend",
              _rate_in_framework),
    FixedTerm("honorar.stundensatz_zusatz", "ist der Stundensatz für zusätzlichen Aufwand",
              "honorar_abweichend"),
    FixedTerm("zahlung.ziel_tage", "ist das Zahlungsziel", "zahlungsziel_abweichend"),
    FixedTerm("ausfall.staffel", "ist die Staffel des Ausfallhonorars", "ausfall_abweichend"),
    FixedTerm("nutzungsrechte.art", "ist die Art des Nutzungsrechts",
              "nutzungsrechte_abweichend", _has_rights),
)
# how a conflict message names an answer value (fee models are named by their registry label)
_CHOICE_WORDS = {
    "unternehmer": "Unternehmer", "verbraucher": "Verbraucher", "einfach": "einfaches Nutzungsrecht",
    "ausschliesslich": "ausschließliches Nutzungsrecht",
}


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
    model = fee_model(order.get("honorar.modell") or framework.get("honorar.modell"))
    if model is not None:
        for path in model.order_requires:
            if order.get(path) is None:
                problems.append(Problem(
                    "error", f"fehlt ({model.label} dieses Einzelauftrags): Der Rahmenvertrag "
                    f"sieht ein {model.label} je Einzelauftrag vor.", order.source, path,
                    code="order.missing"))
        for path in _given(order.values):
            flag = owner_flag(path)
            if flag is not None and flag not in model.flags:
                problems.append(Problem(
                    "error", f"gibt es nur beim {FLAG_WORDS[flag]}; der Rahmenvertrag vereinbart "
                    f"ein {model.label}.", order.location(path), path, code="order.fee-model"))
    problems += _legal_requirements(order, framework, model)
    signed = framework.get("unterschrift.datum")
    date = order.get("datum")
    if isinstance(signed, dt.date) and isinstance(date, dt.date) and date < signed:
        problems.append(Problem(
            "error", f"{format_date(date)} liegt vor dem Rahmenvertrag vom {format_date(signed)}.",
            order.location("datum"), "datum", code="order.date"))
    return tuple(problems)


FLAT_FEE_CANCELLATION_MAX = Decimal(50)   # as in questionnaire.yaml (ausfall.staffel, max_when)


def _legal_requirements(order: Answers, framework: Answers, model: Any) -> list[Problem]:
    """What the law requires of this order that the framework's answers cannot guarantee: the
    freelancer's telephone number wherever the order carries a withdrawal right (Gestaltungs-
    hinweis 2, EuGH C-266/19), the end of the work for consumers (Art. 246a § 1 Abs. 1 Nr. 7
    EGBGB), and a cancellation fee below the typical loss under a flat fee (§ 309 Nr. 5 a BGB)."""

    problems: list[Problem] = []
    terms = withdrawal_terms(order.values, framework.values)
    if terms["widerrufsrecht"] and not framework.get("auftragnehmer.telefon"):
        problems.append(Problem(
            "error", "fehlt (Telefonnummer): Dieser Einzelauftrag mit einem Verbraucher hat ein "
            "eigenes Widerrufsrecht; die Widerrufsbelehrung muss Ihre Telefonnummer nennen "
            "(Art. 246a § 1 Abs. 1 Nr. 3 EGBGB, Gestaltungshinweis 2).",
            framework.location("auftragnehmer"), "auftragnehmer.telefon", code="order.phone"))
    if framework.get("auftraggeber.art") == "verbraucher" and order.get("ende") is None:
        problems.append(Problem(
            "error", "fehlt (Voraussichtliches Ende): Gegenüber Verbrauchern muss vor "
            "Vertragsschluss feststehen, bis wann Sie leisten (Art. 246a § 1 Abs. 1 Nr. 7 EGBGB).",
            order.source, "ende", code="order.missing"))
    if model is None or "pauschal" not in model.flags:
        return problems
    tiers = order.get("ausfall.staffel") or []
    for index, tier in enumerate(tiers, start=1):
        if tier.get("prozent") is not None and tier["prozent"] > FLAT_FEE_CANCELLATION_MAX:
            path = f"ausfall.staffel[{index}].prozent"
            problems.append(Problem(
                "error", f"{format_percent(tier['prozent'])} ist zu hoch; beim Pauschalhonorar "
                f"höchstens {format_percent(FLAT_FEE_CANCELLATION_MAX)}: Das Honorar bleibt "
                "geschuldet und der Termin wird nachgeholt (§ 309 Nr. 5 a BGB).",
                order.location(path), path, code="order.cancellation-max"))
    effective = tiers or framework.get("ausfall.staffel") or []
    if effective and order.get("ausfall.terminwert_stunde") is None \
            and framework.get("ausfall.terminwert_stunde") is None:
        problems.append(Problem(
            "error", "fehlt (Wert einer Terminstunde innerhalb des Pauschalhonorars): Davon wird "
            "das Ausfallhonorar berechnet.", order.source, "ausfall.terminwert_stunde",
            code="order.missing"))
    return problems


def _given(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """The key paths of every answer the order states (sections are walked into)."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from _given(value, f"{prefix}{key}.")
        elif not _absent(value):
            yield f"{prefix}{key}"


def _absent(value: Any) -> bool:
    return value is None or value == [] or value == {}


def _show_money(value: Any) -> str:
    return format_money(value) if isinstance(value, Decimal) else _show(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, str):
        model = fee_model(value)
        return model.label if model is not None else _CHOICE_WORDS.get(value, value)
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "; ".join(f"ab weniger als {i['tage_vorher']} Tagen {format_percent(i['prozent'])}"
                         for i in value) or "keine Staffel"
    return str(value)
