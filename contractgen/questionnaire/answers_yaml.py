"""Writing answers as YAML a person can read: keys in questionnaire order, comments from the labels.

Two documents: a filled answers file (from the interview or the profile) and the empty,
commented template of `contractgen questions`. Values are data: they are quoted by the YAML
emitter and never run through a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import yaml

from .schema import Question, Questionnaire


def scalar_text(value: Any) -> str:
    """A typed answer as the text the validator reads back to the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def yaml_scalar(value: Any) -> str:
    """One value as a YAML scalar: numbers, dates and booleans plain, text quoted where needed."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, Decimal, dt.date)):
        return scalar_text(value)
    dumped = yaml.safe_dump(str(value), allow_unicode=True, default_flow_style=True,
                            width=10_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def has_answer(value: Any) -> bool:
    if isinstance(value, dict):
        return any(has_answer(v) for v in value.values())
    return value is not None


def dump_answers(values: Mapping[str, Any], questionnaire: Questionnaire, *,
                 header: Iterable[str] = (), only: Iterable[str] | None = None,
                 empty: Iterable[str] = ()) -> str:
    """The answers as YAML in questionnaire order; unanswered optional questions are left out,
    except the key paths in `empty`, which are written without a value (a Zwischenstand of the
    interview records so what was asked and left empty). `only` limits the output to some
    top-level keys (the profile stores only `auftragnehmer`)."""
    wanted = set(only) if only is not None else None
    shown = set(empty)
    lines = [f"# {line}" if line else "#" for line in header]
    for question in questionnaire.questions:
        if wanted is not None and question.key not in wanted:
            continue
        value = values.get(question.key)
        if question.is_group:
            if not isinstance(value, Mapping) or not _section_has_content(value, question, shown):
                if question.path in shown and not isinstance(value, Mapping):
                    lines.extend(["", f"# {question.label}", f"{question.key}:   # nicht vereinbart"])
                elif question.path in shown:    # agreed, its answers not given yet
                    lines.extend(["", f"# {question.label}", f"{question.key}: {{}}"])
                continue
            lines.append("")
            lines.append(f"# {question.label}")
            lines.append(f"{question.key}:")
            lines.extend(_fields(value, question.fields, "  ", shown))
        elif value is not None or question.path in shown:
            lines.extend(_line(question, value, ""))
    return "\n".join(lines).lstrip("\n") + "\n"


def _section_has_content(value: Mapping[str, Any], question: Question, shown: set[str]) -> bool:
    """A section worth writing: some answer that is more than an empty list (a section of a
    question whose condition does not hold holds only such empties), or one asked and left
    empty in a Zwischenstand (`shown`)."""
    return any(v is not None and v != [] for v in value.values()) or any(
        f.path in shown for f in question.fields)


def _fields(values: Mapping[str, Any], fields: tuple[Question, ...], indent: str,
            shown: set[str] | None = None) -> list[str]:
    lines: list[str] = []
    for field in fields:
        value = values.get(field.key)
        if value is None and field.path not in (shown or ()):
            continue
        lines.extend(_line(field, value, indent))
    return lines


def _line(question: Question, value: Any, indent: str) -> list[str]:
    if value is None:
        return [f"{indent}{question.key}:"]
    comment = ""
    if question.kind.chooses:
        label = dict(question.choices).get(str(value))
        comment = f"  # {label}" if label else ""
    if question.is_text_list:
        if not value:
            return [f"{indent}{question.key}: []"]
        return [f"{indent}{question.key}:", *(f"{indent}  - {yaml_scalar(item)}" for item in value)]
    if question.is_group_list:
        if not value:
            return [f"{indent}{question.key}: []"]
        lines = [f"{indent}{question.key}:"]
        for item in value:
            item_lines = _fields(item, question.fields, indent + "    ")
            if item_lines:
                item_lines[0] = f"{indent}  - " + item_lines[0].lstrip()
            lines.extend(item_lines)
        return lines
    return [f"{indent}{question.key}: {yaml_scalar(value)}{comment}"]


# -- the commented template of `contractgen questions` ----------------------------------------

def answers_template(questionnaire: Questionnaire) -> str:
    """Every question as a commented YAML line; filled in, the file validates."""
    lines = [
        "# Antwortdatei für contractgen – Vorlage aus dem Fragebogen der Klauselbibliothek.",
        "# Jeden Schlüssel ausfüllen (Pflichtangaben sind markiert); Vorgaben stehen schon da.",
        "# Fragen mit „nur wenn“ gelten nur, wenn die Bedingung zutrifft; sonst leer lassen.",
        "# Freiwillige Abschnitte sind auskommentiert: zum Verwenden die Rauten entfernen.",
        "# Prüfen mit: contractgen check antworten.yaml",
    ]
    by_profession = _profession_defaults(questionnaire)
    for question in questionnaire.questions:
        lines.append("")
        lines.extend(_template_question(question, "", by_profession=by_profession))
    return "\n".join(lines) + "\n"


def _profession_defaults(questionnaire: Questionnaire) -> dict[str, list[str]]:
    """Key path -> "beruf: value" for each profession that proposes its own default."""
    out: dict[str, list[str]] = {}
    for profession in questionnaire.professions:
        for path, value in profession.defaults.items():
            out.setdefault(path, []).append(f"{profession.id}: {yaml_scalar(value)}")
    return out


def describe(question: Question) -> str:
    """The one-line comment for a question: label, type, required, bounds, condition."""
    parts = [question.kind.template]
    if question.required:
        parts.append("Pflichtangabe")
    elif question.required_when:
        parts.append(f"Pflichtangabe, wenn {question.required_when}")
    elif not (question.is_group or question.is_group_list):
        parts.append("freiwillig")
    if question.min is not None and question.max is not None:
        parts.append(f"{_number(question.min)} bis {_number(question.max)}")
    elif question.min is not None:
        parts.append(f"mindestens {_number(question.min)}")
    elif question.max is not None:
        parts.append(f"höchstens {_number(question.max)}")
    if question.max_when:
        parts.append(f"höchstens {_number(question.max_when[1])}, wenn {question.max_when[0]}")
    if question.pattern_hint:
        parts.append(question.pattern_hint)
    if question.after:
        parts.append(f"nach {question.after}")
    if question.when:
        parts.append(f"nur wenn {_condition(question.when)}")
    return f"{question.label} ({'; '.join(parts)})"


def _condition(expression: str) -> str:
    """A condition as the template shows it: a derived yes/no value in words (terms/derived.py),
    `not` of one with "nicht", anything else as written."""
    from ..terms import DERIVED_WORDS

    text = expression.strip()
    negated = text.startswith("not ") and text[4:].strip() in DERIVED_WORDS
    name = text[4:].strip() if negated else text
    if name in DERIVED_WORDS:
        return f"nicht: {DERIVED_WORDS[name]}" if negated else DERIVED_WORDS[name]
    return expression


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _template_question(question: Question, indent: str, commented: bool = False,
                       conditional: bool = False,
                       by_profession: dict[str, list[str]] | None = None) -> list[str]:
    """`conditional`: an enclosing group has a condition, so defaults stay empty here too.
    `by_profession`: defaults that depend on the profession; such a question stays empty, so
    the profession's default applies."""
    by_profession = by_profession or {}
    mark = "# " if commented else ""
    lines = [f"{indent}# {describe(question)}"]
    if question.help:
        lines.append(f"{indent}#   {question.help}")
    if question.path in by_profession:
        own = "" if question.default is None else f"; sonst: {yaml_scalar(question.default)}"
        lines.append(f"{indent}#   Vorgabe je nach beruf: {', '.join(by_profession[question.path])}"
                     f"{own}")
    for key, label in question.choices:
        lines.append(f"{indent}#   {key}: {label}")
    if question.is_group:
        if question.optional and not commented:
            lines.append(f"{indent}#   Freiwilliger Abschnitt: zum Verwenden die Rauten entfernen.")
            commented = True
            mark = "# "
        lines.append(f"{indent}{mark}{question.key}:")
        for field in question.fields:
            lines.extend(_template_question(field, indent + "  ", commented,
                                            conditional or bool(question.when), by_profession))
        return lines
    if question.is_group_list:
        example = [f"{indent}#   Je Eintrag:"]
        for field in question.fields:
            example.append(f"{indent}#     {field.key}: {describe(field)}")
        first = question.fields[0].key if question.fields else "wert"
        example.append(f"{indent}#   Beispiel: {question.key}: [{{{first}: …}}, …] oder "
                       "eine Zeile „- …“ je Eintrag")
        lines.extend(example)
        # in a conditional section a list stays empty (null), like any other answer there
        lines.append(f"{indent}{mark}{question.key}:{'' if conditional else ' []'}")
        return lines
    if question.is_text_list:
        lines.append(f"{indent}#   Eine Zeile „- …“ je Eintrag.")
        if question.default == [] and not conditional and not question.when:
            lines.append(f"{indent}{mark}{question.key}: []")
        else:
            lines.append(f"{indent}{mark}{question.key}:")
        return lines
    # a conditional question stays empty: its default applies when the condition holds, and an
    # answer to an inactive question would only draw a "not used" warning
    default = ("" if question.default is None or question.when or conditional
               or question.path in by_profession
               or (question.kind.dated and question.default == "heute")
               else " " + yaml_scalar(_plain_default(question)))
    lines.append(f"{indent}{mark}{question.key}:{default}")
    return lines


def _plain_default(question: Question) -> Any:
    value = question.default
    if isinstance(value, float):
        return Decimal(str(value))
    return value
