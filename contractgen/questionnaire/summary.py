"""The answers as a short German table for the terminal (summary before saving, `profil`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from .schema import Question, Questionnaire

LABEL_WIDTH = 42


def display_value(question: Question, value: Any) -> str:
    """A typed answer as a person reads it: 4.800,00 €, 15.01.2027, ja, the choice's label."""
    from ..formatting import format_date_short, format_money, format_number, format_percent

    if value is None:
        return "–"
    if question.type == "choice":
        return dict(question.choices).get(str(value), str(value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, dt.date):
        return format_date_short(value)
    if question.type == "money" and isinstance(value, (Decimal, int)):
        return format_money(value)
    if question.type == "percent" and isinstance(value, (Decimal, int)):
        return format_percent(value)
    if isinstance(value, (Decimal, int)):
        return format_number(value)
    if question.type == "textlist":
        return "; ".join(str(item) for item in value) if value else "–"
    if question.type == "grouplist":
        if not value:
            return "keine"
        return "; ".join(", ".join(f"{f.key} {display_value(f, item.get(f.key))}"
                                   for f in question.fields) for item in value)
    return str(value)


def _short(label: str, width: int = LABEL_WIDTH) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def summary_lines(values: Mapping[str, Any], questionnaire: Questionnaire,
                  active: Callable[[Question], bool]) -> list[str]:
    """Numbered top-level sections with their answered fields; the numbers pick sections to change."""
    lines: list[str] = []
    for number, question in enumerate(questionnaire.questions, start=1):
        if not active(question):
            continue
        value = values.get(question.key)
        if question.type != "group":
            lines.append(f"{number:>3}  {_short(question.label):<{LABEL_WIDTH}}  "
                         f"{display_value(question, value)}")
            continue
        if value is None:
            lines.append(f"{number:>3}  {_short(question.label):<{LABEL_WIDTH}}  (nicht vereinbart)")
            continue
        lines.append(f"{number:>3}  {question.label}")
        for field in question.fields:
            field_value = value.get(field.key)
            if not active(field) or field_value is None:
                continue
            lines.append(f"       {_short(field.label, LABEL_WIDTH - 2):<{LABEL_WIDTH - 2}}  "
                         f"{display_value(field, field_value)}")
    return lines
