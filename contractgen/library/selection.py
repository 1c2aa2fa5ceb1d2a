"""Choosing the clauses for a set of answers: `when`, then `replaces`, then section order."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from ..errors import LibraryError, Problem, RenderError
from ..limits import TemplateTimeout, time_limit
from ..templating import environment
from ..terms import condition_scope
from .model import Clause, Library
from .templates import compile_template


@lru_cache(maxsize=512)
def _compiled_condition(expression: str) -> Any:
    """Like Jinja's compile_expression, but through the on-disk code cache: a condition becomes
    the template `{% set result = (EXPRESSION) %}`, evaluated in the same sandbox."""
    from jinja2.environment import TemplateExpression

    if "%}" in expression or "{%" in expression or "\n" in expression:
        return environment().compile_expression(expression, undefined_to_none=False)
    template = compile_template("{% set result = (" + expression + ") %}", Path("<when>"), 1)
    return TemplateExpression(template, undefined_to_none=False)


def _condition_names(expression: str) -> frozenset[str]:
    """The names a condition reads (so only those are looked up: a derived yes/no value is
    computed only when the condition names it). Known from the cached library
    (`remember_condition_names`) or parsed once per process."""
    names = _NAMES.get(expression)
    if names is None:
        if len(_NAMES) >= _NAMES_LIMIT:
            _NAMES.clear()
        names = _NAMES[expression] = _parse_names(expression)
    return names


def _parse_names(expression: str) -> frozenset[str]:
    from jinja2 import meta

    try:
        tree = environment().parse("{{ " + expression + " }}")
    except TemplateError:
        return frozenset()
    return frozenset(meta.find_undeclared_variables(tree))


_NAMES: dict[str, frozenset[str]] = {}
_NAMES_LIMIT = 4096


def condition_names(library: Library) -> dict[str, frozenset[str]]:
    """Every condition of the library and its editions (clauses, questions, overview rows) with
    the names it reads: kept with the cached library, so a process parses none of them."""
    expressions: list[str] = []
    for each in (library, *library.editions):
        expressions += [c.when for c in each.clauses if c.when]
        for question in each.questionnaire.walk():
            expressions += [e for e in (question.when, question.optional_when,
                                        question.required_when) if e]
            if question.max_when is not None:
                expressions.append(question.max_when[0])
            if isinstance(question.ask, str) and question.ask:
                expressions.append(question.ask)
            expressions += [entry[1] for entry in question.choice_when if entry[1]]
        rows = each.texts.get("uebersicht")
        if isinstance(rows, list):
            expressions += [str(row["when"]) for row in rows
                            if isinstance(row, dict) and row.get("when") is not None]
    return {expression: _parse_names(expression) for expression in dict.fromkeys(expressions)}


def remember_condition_names(names: Mapping[str, frozenset[str]]) -> None:
    """Names of conditions read from the cache (`condition_names`), instead of parsing them."""
    if len(_NAMES) + len(names) >= _NAMES_LIMIT:
        _NAMES.clear()
    _NAMES.update(names)


class ConditionError(LibraryError):
    """A condition of the library (clause, question, overview row) cannot be evaluated."""


def evaluate_condition(expression: str, context: Mapping[str, Any]) -> bool:
    """A condition of the library (a clause's, a question's, an overview row's) over answers. It
    also sees the derived yes/no values (terms/derived.py: `pauschal`, `verbraucher` …) when the
    context does not already hold them, so every caller gets the same meaning."""
    try:
        scope = condition_scope(context)
        names = _condition_names(expression)
        values = {name: scope[name] for name in sorted(names) if name in scope}
        # the same condition over the same values gives the same result (the exhaustive render
        # of `library check` asks the same few thousand times)
        key = (expression, repr(values))
        cached = _RESULTS.get(key)
        if cached is not None:
            return cached
        with time_limit():
            result = bool(_compiled_condition(expression)(**values))
    except (TemplateError, TemplateTimeout, TypeError, ValueError, ArithmeticError, LookupError,
            AttributeError, RecursionError) as exc:
        raise ConditionError(f"Die Bedingung {expression!r} der Klauselbibliothek lässt sich nicht "
                             f"auswerten: {exc}") from None
    if len(_RESULTS) >= _RESULTS_LIMIT:
        _RESULTS.clear()
    _RESULTS[key] = result
    return result


_RESULTS: dict[tuple[str, str], bool] = {}
_RESULTS_LIMIT = 50_000


def select_clauses(library: Library, context: Mapping[str, Any]) -> tuple[Clause, ...]:
    problems: list[Problem] = []
    chosen: list[Clause] = []
    with time_limit():   # one budget for every condition (evaluate_condition nests in it)
        _choose(library, context, chosen, problems)
    if problems:
        raise RenderError("Klauselbedingungen sind fehlerhaft.", tuple(problems))
    replaced = {target for clause in chosen for target in clause.replaces}
    order = {name: index for index, name in enumerate(library.sections)}
    selected = [c for c in chosen if c.id not in replaced]
    selected.sort(key=lambda c: (order.get(c.section, len(order)), c.order, c.id))
    return tuple(selected)


def _choose(library: Library, context: Mapping[str, Any], chosen: list[Clause],
            problems: list[Problem]) -> None:
    for clause in library.clauses:
        if clause.when is None:
            chosen.append(clause)
            continue
        try:
            if evaluate_condition(clause.when, context):
                chosen.append(clause)
        except ConditionError as exc:
            problems.append(Problem("error", exc.message, str(clause.path), clause.id,
                                    code="library.condition"))
