"""The questionnaire: typed questions read from the library's questionnaire.yaml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import LibraryError, Problem
from ..yamlload import YAML_LOADER, yaml_problem
from .types import TYPES, QuestionType, Shape, question_type

if TYPE_CHECKING:
    from .professions import Profession


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=YAML_LOADER)


_KNOWN_FIELDS = frozenset(
    {"key", "type", "label", "help", "required", "default", "choices", "when", "min", "max",
     "pattern", "pattern_hint", "fields", "min_items", "max_items", "after", "order", "optional"}
    | {"optional_when", "ask", "required_when", "max_when", "profiles", "when_error", "not_below",
       "choice_when", "item_label", "default_from", "country"}
)


@dataclass(frozen=True)
class Question:
    key: str                      # the last part of the key path, e.g. "betrag"
    path: str                     # the full key path, e.g. "honorar.betrag"
    type: str
    label: str
    help: str = ""
    required: bool = False
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    when: str | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    pattern: str | None = None
    pattern_hint: str = ""
    fields: tuple[Question, ...] = ()
    min_items: int = 0
    max_items: int | None = None
    after: str | None = None
    order: str | None = None
    optional: bool = False        # a group that may be left out as a whole
    optional_when: str | None = None  # ... but only where this condition holds (else required)
    ask: bool | str = True        # false: `contractgen new` leaves it at its default unless chosen
                                  # (or the profession asks it); a condition: asked where it holds
    required_when: str | None = None  # required (besides `required`) where this condition holds
    # (condition, upper bound, reason): a tighter maximum where the condition holds
    max_when: tuple[str, Decimal, str] | None = None
    profiles: str | None = None   # a choice of profession profiles from this library folder
    when_error: str = ""          # an answer given where `when` does not hold is this error
                                  # (else only a warning that it is not used)
    not_below: str | None = None  # a number at least as large as the answer at this key path
    # (choice, condition, reason): a choice that is allowed only where its condition holds
    choice_when: tuple[tuple[str, str, str], ...] = ()
    item_label: str = ""          # a list of sections: the word for one entry ("Stufe")
    default_from: str | None = None   # the answer at this key path is the default ("Ort")
    country: str | None = None    # key path of the country answer a cross-checked type reads

    @cached_property
    def kind(self) -> QuestionType:
        """The entry of its type in the type registry (types.py); looked up once per question
        (the exhaustive render asks it hundreds of thousands of times)."""
        return question_type(self.type)

    @property
    def is_group(self) -> bool:
        return self.kind.shape is Shape.GROUP

    @property
    def is_group_list(self) -> bool:
        return self.kind.shape is Shape.GROUP_LIST

    @property
    def is_text_list(self) -> bool:
        return self.kind.shape is Shape.TEXT_LIST

    @property
    def is_list(self) -> bool:
        return self.kind.is_list

    @property
    def choice_keys(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.choices)

    def field(self, key: str) -> Question | None:
        return next((f for f in self.fields if f.key == key), None)


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[Question, ...]
    source: str
    professions: tuple[Profession, ...] = ()    # the profiles the profile question chooses from

    def profession(self, values: Any) -> Profession | None:
        """The profession profile the answers choose (None: no profile question, or unknown)."""
        chooser = next((q for q in self.questions if q.profiles), None)
        if chooser is None or not self.professions or not hasattr(values, "get"):
            return None
        chosen = values.get(chooser.key)
        if chosen is None or not isinstance(chosen, str):
            chosen = chooser.default
        return next((p for p in self.professions if p.id == chosen), None)

    def default_for(self, q: Question, values: Any) -> Any:
        """The question's default under these answers: the profession's, else its own."""
        profession = self.profession(values)
        if profession is not None and q.path in profession.defaults:
            return profession.defaults[q.path]
        return q.default

    def proposes(self, q: Question, values: Any) -> bool | None:
        """Whether the profession proposes an optional section (None: it says nothing)."""
        profession = self.profession(values)
        return None if profession is None else profession.propose.get(q.path)

    def profession_asks(self, path: str, values: Any) -> bool:
        profession = self.profession(values)
        return profession is not None and path in profession.asks

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def walk(self) -> Iterator[Question]:
        """Every question, depth first, groups before their fields."""
        stack = list(reversed(self.questions))
        while stack:
            question = stack.pop()
            yield question
            stack.extend(reversed(question.fields))

    def paths(self) -> tuple[str, ...]:
        return tuple(q.path for q in self.walk())


def empty_answer(q: Question) -> Any:
    """The value of an unanswered question: [] for lists, a group of empties, else None."""
    if q.is_group:
        return None if q.optional else {f.key: empty_answer(f) for f in q.fields}
    if q.is_list:
        return []
    return None


def load_questionnaire(path: Path) -> Questionnaire:
    try:
        data = _load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        number, problem = yaml_problem(exc, path.read_text(encoding="utf-8", errors="replace"))
        line = f":{number}" if number is not None else ""
        raise LibraryError(f"Der Fragebogen {path}{line} ist kein gültiges YAML. {problem}") from None
    except UnicodeDecodeError:
        raise LibraryError(f"Der Fragebogen {path} ist nicht in UTF-8 gespeichert.") from None
    except OSError as exc:
        from ..output import describe_os_error

        raise LibraryError(f"Der Fragebogen {path} kann nicht gelesen werden: "
                           f"{describe_os_error(exc)}.") from None
    if not isinstance(data, list):
        raise LibraryError(f"{path}: Der Fragebogen muss eine Liste von Fragen sein.")
    problems: list[Problem] = []
    questions = tuple(_question(item, "", str(path), problems) for item in data)
    problems += _check_conditions(questions, str(path))
    problems += _check_defaults(questions, str(path))
    if problems:
        raise LibraryError(f"Der Fragebogen {path} ist fehlerhaft.", tuple(problems))
    return Questionnaire(questions=questions, source=str(path))


def _check_conditions(questions: tuple[Question, ...], source: str) -> list[Problem]:
    """Every `when` / `optional_when` must at least compile (names are checked by the lint)."""
    from jinja2 import TemplateSyntaxError

    from ..templating import environment

    problems = []
    stack = list(questions)
    while stack:
        question = stack.pop()
        stack.extend(question.fields)
        expressions = [(name, getattr(question, name, None)) for name in
                       ("when", "optional_when", "required_when", "max_when", "ask")]
        expressions += [("choice_when", entry[1]) for entry in question.choice_when]
        for name, expression in expressions:
            if isinstance(expression, tuple):
                expression = expression[0]
            if not expression or isinstance(expression, bool):
                continue
            try:
                environment().parse("{{ " + str(expression) + " }}")
            except TemplateSyntaxError as exc:
                problems.append(Problem("error", f"{name}: {expression!r} ist kein gültiger Ausdruck "
                                        f"({exc.message}).", source, question.path,
                                        code="questionnaire.condition"))
    return problems


def _check_defaults(questions: tuple[Question, ...], source: str) -> list[Problem]:
    """`default_from` names another answer of a single value; `default: heute` is for dates."""
    every = {q.path: q for q in Questionnaire(questions, source).walk()}
    problems = []
    for question in every.values():
        other = every.get(question.default_from or "")
        if question.default_from is not None and (other is None or not other.kind.is_value):
            problems.append(Problem("error", f"default_from: {question.default_from!r} ist keine "
                                    "Frage mit einem einzelnen Wert.", source, question.path,
                                    code="questionnaire.default-from"))
        if question.default == "heute" and not question.kind.dated:
            problems.append(Problem("error", "default: heute gibt es nur bei Datumsfragen.",
                                    source, question.path, code="questionnaire.default"))
    return problems


def _question(item: Any, prefix: str, source: str, problems: list[Problem]) -> Question:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        problems.append(Problem("error", f"Frage ohne Schlüssel: {item!r}", source,
                                code="questionnaire.key"))
        return Question(key="?", path="?", type="text", label="?")
    path = f"{prefix}{item['key']}"
    for name in item:
        if name not in _KNOWN_FIELDS:
            problems.append(Problem("error", f"unbekanntes Feld {name!r}", source, path,
                                    code="questionnaire.field"))
    qtype = item.get("type", "text")
    if qtype not in TYPES:  # the registry of question types (types.py)
        problems.append(Problem("error", f"unbekannter Typ {qtype!r}", source, path,
                                code="questionnaire.type"))
    fields = tuple(
        _question(sub, f"{path}.", source, problems) for sub in item.get("fields") or ()
    )
    choices = tuple((str(k), str(v)) for k, v in (item.get("choices") or {}).items())
    if item.get("pattern") is not None:
        from ..limits import pattern_problem

        problem = pattern_problem(item["pattern"])
        if problem is not None:  # a pattern that could hang validation is a library error
            problems.append(Problem("error", problem, source, path, code="questionnaire.pattern"))
            item = {**item, "pattern": None}
    max_when = _max_when(item.get("max_when"), source, path, problems)
    choice_when = _choice_when(item.get("choice_when"), choices, source, path, problems)
    return Question(
        key=item["key"], path=path, type=qtype, label=str(item.get("label", item["key"])),
        help=str(item.get("help", "")), required=bool(item.get("required", False)),
        default=item.get("default"), choices=choices, when=item.get("when"),
        min=_number(item.get("min")), max=_number(item.get("max")),
        pattern=item.get("pattern"), pattern_hint=str(item.get("pattern_hint", "")),
        fields=fields, min_items=int(item.get("min_items", 0)),
        max_items=item.get("max_items"), after=item.get("after"), order=item.get("order"),
        optional=bool(item.get("optional", False)) or item.get("optional_when") is not None,
        optional_when=item.get("optional_when"), ask=_ask(item.get("ask", True)),
        required_when=item.get("required_when"), max_when=max_when,
        profiles=None if item.get("profiles") is None else str(item["profiles"]),
        when_error=str(item.get("when_error", "") or ""),
        not_below=None if item.get("not_below") is None else str(item["not_below"]),
        choice_when=choice_when,
        item_label=str(item.get("item_label", "")), default_from=item.get("default_from"),
        country=item.get("country"),
    )


def _ask(value: Any) -> bool | str:
    """`ask:` is true, false or a condition (asked where it holds)."""
    if isinstance(value, bool) or value is None:
        return value is not False
    return str(value)


def _choice_when(value: Any, choices: tuple[tuple[str, str], ...], source: str, path: str,
                 problems: list[Problem]) -> tuple[tuple[str, str, str], ...]:
    """`choice_when: {CHOICE: {when: EXPRESSION, hint: TEXT}}` -> ((choice, when, hint), …)."""
    if value is None:
        return ()
    keys = {key for key, _ in choices}
    out = []
    entries = value.items() if isinstance(value, dict) else ()
    if not isinstance(value, dict):
        problems.append(Problem("error", "choice_when braucht je Auswahl when (Bedingung) und "
                                "hint (Begründung).", source, path, code="questionnaire.choice-when"))
    for choice, rule in entries:
        if str(choice) not in keys or not isinstance(rule, dict) or \
                not isinstance(rule.get("when"), str):
            problems.append(Problem("error", f"choice_when {choice!r}: braucht eine der Auswahlen "
                                    f"({', '.join(sorted(keys))}) mit when (Bedingung) und hint.",
                                    source, path, code="questionnaire.choice-when"))
            continue
        out.append((str(choice), rule["when"], str(rule.get("hint", ""))))
    return tuple(out)


def _max_when(value: Any, source: str, path: str,
              problems: list[Problem]) -> tuple[str, Decimal, str] | None:
    """`max_when: {when: EXPRESSION, max: NUMBER, hint: TEXT}` -> (when, max, hint)."""
    if value is None:
        return None
    bound = _number(value.get("max")) if isinstance(value, dict) else None
    if not isinstance(value, dict) or not isinstance(value.get("when"), str) or bound is None:
        problems.append(Problem("error", "max_when braucht when (Bedingung) und max (Zahl).",
                                source, path, code="questionnaire.max-when"))
        return None
    return (value["when"], bound, str(value.get("hint", "")))


def _number(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def questionnaire_json(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire as a JSON schema-like document for scripts (`contractgen questions --json`)."""
    from ..terms import FLAGS

    return {
        "format": "contractgen-fragebogen",
        "version": 1,
        "questions": [_question_json(q) for q in questionnaire.questions],
        # yes/no values a `when` may name besides the answers, each as a condition of its own
        "derived": [{"name": d.name, "when": d.expression, "sources": list(d.sources)}
                    for d in FLAGS],
        # profession profiles: the defaults and extra questions each one brings
        "professions": [_profession_json(p) for p in questionnaire.professions],
    }


def _profession_json(p: Profession) -> dict[str, Any]:
    def plain(value: Any) -> Any:      # a typed default as JSON (Decimal and dates as text)
        if isinstance(value, (bool, int, str)):
            return value
        return value.isoformat() if hasattr(value, "isoformat") else format(value, "f")

    return {"id": p.id, "label": p.label, "help": p.help,
            "defaults": {key: plain(value) for key, value in p.defaults.items()},
            "proposes": dict(p.propose), "asks": list(p.asks), "words": dict(p.words)}


def _question_json(q: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"key": q.path, "type": q.type, "label": q.label,
                            "required": q.required}
    if q.help:
        data["help"] = q.help
    if q.default is not None:
        data["default"] = q.default
    if q.choices:
        data["choices"] = [{"value": key, "label": label} for key, label in q.choices]
    data["when"] = q.when
    for name in ("min", "max"):
        value = getattr(q, name)
        if value is not None:
            data[name] = int(value) if value == value.to_integral_value() else float(value)
    if q.pattern:
        data["pattern"] = q.pattern
    if q.min_items:
        data["min_items"] = q.min_items
    if q.max_items is not None:
        data["max_items"] = q.max_items
    if q.after:
        data["after"] = q.after
    if q.optional:
        data["optional"] = True
    if q.optional_when:
        data["optional_when"] = q.optional_when
    if q.required_when:
        data["required_when"] = q.required_when
    if q.max_when:
        when, bound, hint = q.max_when
        data["max_when"] = {"when": when, "max": int(bound) if bound == bound.to_integral_value()
                            else float(bound), "hint": hint}
    if q.choice_when:
        data["choice_when"] = {choice: {"when": when, "hint": hint}
                               for choice, when, hint in q.choice_when}
    if q.ask is not True:
        data["ask"] = q.ask
    if q.profiles:
        data["profiles"] = q.profiles
    if q.when_error:
        data["when_error"] = q.when_error
    if q.not_below:
        data["not_below"] = q.not_below
    if not q.ask:
        data["ask"] = False
    if q.item_label:
        data["item_label"] = q.item_label
    if q.default_from:
        data["default_from"] = q.default_from
    if q.country:
        data["country"] = q.country
    if q.fields:
        data["fields"] = [_question_json(f) for f in q.fields]
    return data
