"""The answers as a short German table for the terminal (summary before saving, `profil`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .schema import Question, Questionnaire
from .types import display_value

__all__ = ["display_value", "summary_lines"]

LABEL_WIDTH = 42




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
        if not question.is_group:
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
