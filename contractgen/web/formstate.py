"""The HTML form and the answers tree, both ways, generated from the questionnaire alone.

Field names are the key paths of the answers file and of the validator's messages:
`honorar.betrag`, `ausfall.staffel[2].prozent` (list entries counted from 1), a text list is
one text area (`projekt.leistungen`, one entry per line). A yes/no question is a hidden "nein"
followed by a checkbox "ja" (the last value wins, so an unchecked box still says no); an
optional section has such a pair named `_mit:PATH` ("include this section").

What the user typed is kept as text (`FormState`), so a value the validator rejects is shown
again as typed; the raw answers tree built from it is validated by the same code as an
answers file, so there is one source of truth for types, conditions and messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..questionnaire.answers_yaml import scalar_text
from ..questionnaire.rawyaml import Raw
from ..questionnaire.schema import Question, Questionnaire

SOURCE = "Formular"
INCLUDE_PREFIX = "_mit:"
MAX_ROWS = 100                      # entries of one list, as the validator's MAX_LIST_ITEMS
_INDEX_RE = re.compile(r"^(?P<base>.+)\[(?P<index>\d{1,3})\]\.(?P<field>[^.\[\]]+)$")
YES, NO = "ja", "nein"


@dataclass
class FormState:
    """The form as typed: texts by field name, rows of each list, optional sections included."""

    texts: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    included: dict[str, bool] = field(default_factory=dict)

    def text(self, name: str) -> str | None:
        return self.texts.get(name)


def field_id(name: str) -> str:
    """An HTML id for a field name: `ausfall.staffel[2].prozent` -> `f-ausfall-staffel-2--prozent`."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name.replace("].", "--"))


def base_path(name: str) -> str:
    """The question path of a field name: `ausfall.staffel[2].prozent` -> `ausfall.staffel.prozent`."""
    return re.sub(r"\[\d+\]", "", name)


# -- from a submitted form --------------------------------------------------------------------
def state_from_form(items: Iterable[tuple[str, str]], questionnaire: Questionnaire,
                    skip: Callable[[str], bool] = lambda _p: False) -> FormState:
    """The form fields (name, value) in document order; the last value of a name wins."""
    values: dict[str, str] = {}
    for name, value in items:
        values[name] = value
    state = FormState()
    for question in questionnaire.questions:
        _collect(question, question.path, values, state, skip)
    return state


def _collect(q: Question, name: str, values: Mapping[str, str], state: FormState,
             skip: Callable[[str], bool]) -> None:
    if skip(q.path):
        return
    if q.is_group:
        if q.optional:
            state.included[name] = values.get(INCLUDE_PREFIX + name) == YES
        for sub in q.fields:
            _collect(sub, f"{name}.{sub.key}", values, state, skip)
        return
    if q.is_group_list:
        indices = sorted({int(m.group("index")) for key in values
                          if (m := _INDEX_RE.match(key)) and m.group("base") == name})
        rows = 0
        for index in indices[:MAX_ROWS]:
            rows += 1
            for sub in q.fields:
                text = values.get(f"{name}[{index}].{sub.key}")
                if text is not None:
                    state.texts[f"{name}[{rows}].{sub.key}"] = text
        state.rows[name] = rows
        return
    text = values.get(name)
    if text is not None:
        state.texts[name] = text


# -- from an answers tree (a loaded file, the profile, start values) ---------------------------
def state_from_raw(raw: Raw, questionnaire: Questionnaire,
                   skip: Callable[[str], bool] = lambda _p: False) -> FormState:
    """The texts of an answers tree as the form shows them; unknown keys are left out (the
    validator reports them)."""
    state = FormState()
    for question in questionnaire.questions:
        _from_raw(question, question.path, raw.items.get(question.key), state, skip)
    return state


def _from_raw(q: Question, name: str, raw: Raw | None, state: FormState,
              skip: Callable[[str], bool]) -> None:
    if skip(q.path):
        return
    present = raw is not None and not raw.is_null
    if q.is_group:
        if q.optional:
            state.included[name] = bool(present and raw is not None and raw.kind == "map")
        items = raw.items if present and raw is not None and raw.kind == "map" else {}
        for sub in q.fields:
            _from_raw(sub, f"{name}.{sub.key}", items.get(sub.key), state, skip)
        return
    if q.is_group_list:
        entries = raw.seq if present and raw is not None and raw.kind == "seq" else []
        rows = 0
        for entry in entries[:MAX_ROWS]:
            if entry.kind != "map":
                continue
            rows += 1
            for sub in q.fields:
                value = entry.items.get(sub.key)
                if value is not None and value.kind == "scalar" and not value.is_null:
                    state.texts[f"{name}[{rows}].{sub.key}"] = value.text
        state.rows[name] = rows
        return
    if not present or raw is None:
        return
    if q.is_text_list:
        if raw.kind == "seq":
            lines = [_item_text(item) for item in raw.seq]
            state.texts[name] = "\n".join(line for line in lines if line is not None)
        elif raw.kind == "scalar":
            state.texts[name] = raw.text
        return
    if raw.kind == "scalar":
        state.texts[name] = _bool_text(raw.text) if q.kind.yes_no else raw.text


def _item_text(item: Raw) -> str | None:
    if item.kind == "scalar" and not item.is_null:
        return item.text
    if item.kind == "map" and len(item.items) == 1:  # `- Ausstattung: Briefpapier` is text
        (key, value), = item.items.items()
        if value.kind == "scalar":
            return f"{key}: {value.text}"
    return None


def _bool_text(text: str) -> str:
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "ja", "on"):
        return YES
    if lowered in ("false", "no", "nein", "off"):
        return NO
    return text


# -- to an answers tree -----------------------------------------------------------------------
def raw_from_state(state: FormState, questionnaire: Questionnaire,
                   include: Callable[[Question, str], bool]) -> Raw:
    """The answers tree the validator reads. Empty fields are left out (so a lower layer or the
    question's default applies, as for an empty key in an answers file); `include(question,
    name)` decides for an optional section whether it is in."""
    root = Raw("map", None, origin=SOURCE)
    for question in questionnaire.questions:
        value = _to_raw(question, question.path, state, include)
        if value is not None:
            root.items[question.key] = value
    return root


def _scalar(text: str) -> Raw:
    return Raw("scalar", None, tag="tag:yaml.org,2002:str", text=text, origin=SOURCE)


def _to_raw(q: Question, name: str, state: FormState,
            include: Callable[[Question, str], bool]) -> Raw | None:
    if q.is_group:
        if q.optional and not include(q, name):
            return None
        section = Raw("map", None, origin=SOURCE)
        for sub in q.fields:
            value = _to_raw(sub, f"{name}.{sub.key}", state, include)
            if value is not None:
                section.items[sub.key] = value
        return section if section.items else None
    if q.is_group_list:
        entries = []
        for row in range(1, state.rows.get(name, 0) + 1):
            entry = Raw("map", None, origin=SOURCE)
            for sub in q.fields:
                text = (state.texts.get(f"{name}[{row}].{sub.key}") or "").strip()
                if text:
                    entry.items[sub.key] = _scalar(text)
            if entry.items:                      # a row left empty is no entry
                entries.append(entry)
        return Raw("seq", None, seq=entries, origin=SOURCE) if entries else None
    given = state.texts.get(name)
    if given is None or not given.strip():
        return None
    text = given
    if q.is_text_list:
        lines = [line.strip() for line in text.splitlines()]
        items = [_scalar(line) for line in lines if line]
        return Raw("seq", None, seq=items, origin=SOURCE) if items else None
    return _scalar(text)


# -- what a field shows before anything is typed ------------------------------------------------
_UNSET: Any = object()


def default_text(q: Question, default: Any = _UNSET) -> str | None:
    """A default as the form shows it (None: no default). `default`: the default under the
    current answers (the profession's), else the question's own."""
    if default is _UNSET:
        default = q.default
    if default is None:
        return None
    if q.is_text_list:
        return "\n".join(str(item) for item in default) if isinstance(default, list) else None
    if isinstance(default, list):
        return None
    if q.kind.yes_no:
        return YES if default else NO
    if q.kind.dated and default == "heute":   # the interview's suggestion: the day it asks
        from ..clock import clock_today

        return clock_today().strftime("%d.%m.%Y")
    text = scalar_text(default)
    return text.replace(".", ",") if q.kind.decimal else text


def merge_states(lower: FormState, upper: FormState) -> FormState:
    """`upper` over `lower` (e.g. a loaded file over the profile): fields and lists of `upper`
    win, and `upper` decides which optional sections are in."""
    merged = FormState(dict(lower.texts), dict(lower.rows), dict(lower.included))
    for name, rows in upper.rows.items():
        if rows:
            merged.texts = {k: v for k, v in merged.texts.items() if not k.startswith(name + "[")}
            merged.rows[name] = rows
    merged.texts.update(upper.texts)
    merged.included.update(upper.included)      # the loaded file says which sections it has
    return merged


def typed_text(q: Question, value: Any) -> str:
    """A validated value as the form's text (for start values such as an order's framework)."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, bool):
        return YES if value else NO
    return scalar_text(value)
