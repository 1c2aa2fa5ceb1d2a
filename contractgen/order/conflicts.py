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
    signed = framework.get("unterschrift.datum")
    date = order.get("datum")
    if isinstance(signed, dt.date) and isinstance(date, dt.date) and date < signed:
        problems.append(Problem(
            "error", f"{format_date(date)} liegt vor dem Rahmenvertrag vom {format_date(signed)}.",
            order.location("datum"), "datum", code="order.date"))
    return tuple(problems)


def _given(values: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """The key paths of every answer the order states (sections are walked into)."""
    for key, value in values.items():
        if isinstance(value, Mapping):
            yield from _given(value, f"{prefix}{key}.")
        elif not _absent(value):
            yield f"{prefix}{key}"


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
