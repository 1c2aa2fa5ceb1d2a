"""The answers as a German table for the terminal (the summary before saving, `profil`).

Every answer has a number: a section `4`, an answer in it `4.2`. The numbers come from
`summary_entries`, which the interview also reads the user's choice from, so what is shown and
what can be picked are always the same. Labels are shown in full and values as a person reads
them (choices by their label, money, dates and percentages in German, list entries from the
field labels), wrapped to the width of the terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from .schema import Question, Questionnaire
from .types import display_value, entry_text

__all__ = ["Entry", "display_value", "summary_entries", "summary_lines"]

NOT_AGREED = "(nicht vereinbart)"
WIDTH = 100


@dataclass(frozen=True)
class Entry:
    number: str                   # "4" for a section or a top-level answer, "4.2" for a field
    question: Question
    path: str                     # the key path, e.g. "projekt.titel"
    value: Any
    section: bool = False         # a group: its fields follow as their own entries


def summary_entries(values: Mapping[str, Any], questionnaire: Questionnaire,
                    active: Callable[[Question], bool]) -> list[Entry]:
    """The numbered answers, in questionnaire order; only questions that apply are counted."""
    entries: list[Entry] = []
    number = 0
    for question in questionnaire.questions:
        if not active(question):
            continue
        number += 1
        value = values.get(question.key)
        if not question.is_group:
            entries.append(Entry(str(number), question, question.path, value))
            continue
        entries.append(Entry(str(number), question, question.path, value, section=True))
        if not isinstance(value, Mapping):
            continue
        sub = 0
        for field in question.fields:
            if not active(field):
                continue
            sub += 1
            entries.append(Entry(f"{number}.{sub}", field, field.path, value.get(field.key)))
    return entries


def summary_lines(values: Mapping[str, Any], questionnaire: Questionnaire,
                  active: Callable[[Question], bool], width: int = WIDTH) -> list[str]:
    """The table: number, label and value in columns; long labels and values wrap in their
    column, nothing is cut off. A section's answers are indented under its heading."""
    label_width = max(20, min(44, (width - _FIELD) * 9 // 20))
    value_at = _FIELD + label_width + 2
    value_width = max(20, width - value_at)
    lines: list[str] = []
    for entry in summary_entries(values, questionnaire, active):
        if "." in entry.number:
            prefix = f"{'':{_TOP}}{entry.number:<{_FIELD - _TOP}}"
        else:
            prefix = f"{entry.number:>{_TOP - 2}}  "
        if entry.section and isinstance(entry.value, Mapping):   # a heading over the whole width
            cells = textwrap.wrap(entry.question.label, width - len(prefix)) or [""]
            lines.extend(_columns(prefix, cells, [], len(prefix)))
            continue
        label = textwrap.wrap(entry.question.label, value_at - 2 - len(prefix)) or [""]
        shown = [NOT_AGREED] if entry.section else _value_cells(entry, value_width)
        lines.extend(_columns(prefix, label, shown, value_at))
    return lines


_TOP = 5       # "  4  " before a top-level label
_FIELD = 11    # "     4.1   " before a section's answer


def _value_cells(entry: Entry, width: int) -> list[str]:
    question, value = entry.question, entry.value
    if question.is_group_list and value:
        cells: list[str] = []
        for index, item in enumerate(value, start=1):
            cells.extend(textwrap.wrap(entry_text(question, item, index), width,
                                       subsequent_indent="  ") or [""])
        return cells
    return textwrap.wrap(display_value(question, value), width) or ["–"]


def _columns(prefix: str, label: list[str], value: list[str], value_at: int) -> list[str]:
    """One entry over as many lines as its longer cell needs."""
    out = []
    for index, (left, right) in enumerate(zip_longest(label, value, fillvalue="")):
        head = prefix if index == 0 else " " * len(prefix)
        out.append(f"{head}{left}".ljust(value_at) + right if right else f"{head}{left}")
    return [line.rstrip() for line in out]
