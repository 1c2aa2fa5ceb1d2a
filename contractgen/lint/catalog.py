"""Build the clause catalogue: every clause with its metadata, its condition in words, and its
text rendered with example answers that select it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from ..errors import ContractgenError
from ..library import Clause, Library, select_clauses
from ..model.catalog import Catalog, CatalogEntry
from ..model.nodes import Paragraph, Section
from ..questionnaire.answers import Answers
from ..questionnaire.schema import Questionnaire
from ..render.clauses import render_clause
from ..render.context import template_context
from ..render.document import build_document
from ..terms import DERIVED_WORDS
from .exhaustive import ValueSpace
from .rules import analyse_library
from .sources import ClauseSource, Sources
from .space import combinations, describe
from .variables import parse_condition

_OPERATORS = {"eq": "ist", "ne": "ist nicht", "gt": ">", "gteq": "≥", "lt": "<", "lteq": "≤",
              "in": "ist eine von", "notin": "ist keine von"}


def build_catalog(library: Library, *, example: Answers | None = None,
                  today: dt.date | None = None) -> Catalog:
    sources = Sources(root=library.root, library=library, clauses=[
        ClauseSource(c, {}, {}) for c in library.clauses])
    analysis, _ = analyse_library(sources, ())
    space = ValueSpace(library, analysis)
    if example is not None:
        space.base = dict(example.values)
    date = today or dt.date(2027, 1, 10)
    entries = []
    position = {name: index for index, name in enumerate(library.sections)}
    for clause in sorted(library.clauses, key=lambda c: (position.get(c.section, len(position)),
                                                         c.order, c.id)):
        info = analysis.clauses.get(clause.id)
        keys = info.when_reads if info is not None else set()
        entries.append(_entry(library, space, clause, keys, date))
    released, unreleased = release_date(library)
    return Catalog(library.name, library.version, date, tuple(entries), released=released,
                   unreleased=unreleased)


_RELEASE = re.compile(r"^## +(?P<version>\S+) +[–-] +(?P<date>\d{4}-\d{2}-\d{2})\s*$", re.M)
_UNRELEASED = re.compile(r"^## +Unveröffentlicht", re.M)


def release_date(library: Library) -> tuple[dt.date | None, bool]:
    """The date of the library's version in its CHANGELOG.md ("## 2.0.0 – 2026-12-01"), and
    whether an "Unveröffentlicht" section lists changes after it; (None, …) without one."""
    try:
        text = (Path(library.root) / "CHANGELOG.md").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, TypeError):
        return None, False
    for match in _RELEASE.finditer(text):
        if match.group("version") == library.version:
            try:
                released = dt.date.fromisoformat(match.group("date"))
            except ValueError:
                return None, False
            return released, bool(_UNRELEASED.search(text, 0, match.start()))
    return None, bool(_UNRELEASED.search(text))


def _entry(library: Library, space: ValueSpace, clause: Clause, keys: set[str],
           date: dt.date) -> CatalogEntry:
    paragraphs: tuple[Paragraph, ...] = ()
    short: tuple[Paragraph, ...] = ()
    problem = ""
    section: Section | None = None
    chosen = _select(library, space, clause, keys)
    if chosen is None:
        problem = "Keine Kombination der Antworten wählt diese Klausel aus."
        example = ""
    else:
        row, values = chosen
        example = ("Beispielantworten" if not row else
                   f"Beispielantworten, abweichend: {describe(row, values)}")
        answers = Answers(values=values, source="Katalog")
        try:
            document = build_document(library, answers, today=date)
            section = next((s for s in document.sections if s.clause_id == clause.id), None)
        except ContractgenError:
            section = None
        if section is None:
            try:
                section = render_clause(library, clause, template_context(library, answers))
            except ContractgenError as exc:
                problem = "; ".join(p.message for p in exc.problems) or exc.message
        if section is not None:
            paragraphs, short = section.paragraphs, section.short
    title = section.title if section is not None else clause.title   # "Mitwirkung des …"
    return CatalogEntry(
        id=clause.id, version=clause.version, title=title, section=clause.section,
        condition=condition_in_words(clause.when, library.questionnaire),
        legal=clause.legal, review=review_in_words(clause.reviewed), paragraphs=paragraphs,
        short=short, example=example, note=clause.note, topic=clause.topic or "",
        safeguards=clause.safeguards, replaces=clause.replaces, annex=clause.annex,
        problem=problem,
    )


def _select(library: Library, space: ValueSpace, clause: Clause,
            keys: set[str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    candidates: list[dict[str, Any]] = [{}]
    rows, _ = combinations(space.parameters(space.closure(keys)))
    candidates += list(rows)
    for row in candidates:
        values, answers = space.answers(row)
        try:
            selected = select_clauses(library, template_context(library, answers))
        except ContractgenError:
            return None
        if any(c.id == clause.id for c in selected):
            return row, values
    return None


def review_in_words(reviewed: Any) -> str:
    from .rules import reviewed_by_on

    entry = reviewed_by_on(reviewed)
    if entry is None:
        return "nicht geprüft"
    who, on = entry
    date = on.strftime("%d.%m.%Y") if isinstance(on, dt.date) else str(on)
    return f"geprüft von {who} am {date}"


def condition_in_words(expression: str | None, questionnaire: Questionnaire) -> str:
    """A `when` expression in German, using the questionnaire's labels; the raw text if unusual."""
    if expression is None:
        return "immer"
    try:
        tree = parse_condition(expression, 1)
        node = tree.body[0]
        assert isinstance(node, nodes.If)
        return _words(node.test, questionnaire)
    except (TemplateSyntaxError, _Unusual, AssertionError):
        return expression


class _Unusual(Exception):
    pass


def _words(node: nodes.Node, questionnaire: Questionnaire) -> str:
    if isinstance(node, nodes.And):
        return f"{_words(node.left, questionnaire)} und {_words(node.right, questionnaire)}"
    if isinstance(node, nodes.Or):
        return f"({_words(node.left, questionnaire)} oder {_words(node.right, questionnaire)})"
    if isinstance(node, nodes.Not):
        return f"nicht: {_words(node.node, questionnaire)}"
    if isinstance(node, nodes.Compare) and len(node.ops) == 1:
        left = _label(node.expr, questionnaire)
        right = node.ops[0].expr
        value = _value(node.expr, right, questionnaire)
        return f"{left} {_OPERATORS.get(node.ops[0].op, node.ops[0].op)} {value}"
    path = _path(node)
    if path is not None:
        if path in DERIVED_WORDS:
            return DERIVED_WORDS[path]
        question = _question(path, questionnaire)
        if question is not None and question.kind.yes_no:
            return f"„{question.label}“: ja"
        if question is not None:
            return f"„{question.label}“ ist angegeben"
    raise _Unusual()


def _path(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        inner = _path(node.node)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def _question(path: str, questionnaire: Questionnaire) -> Any:
    return next((q for q in questionnaire.walk() if q.path == path), None)


def _label(node: nodes.Node, questionnaire: Questionnaire) -> str:
    path = _path(node)
    if path is None:
        raise _Unusual()
    question = _question(path, questionnaire)
    return f"„{question.label}“" if question is not None else path


def _value(left: nodes.Node, right: nodes.Node, questionnaire: Questionnaire) -> str:
    path = _path(left)
    question = _question(path, questionnaire) if path else None
    choices = dict(question.choices) if question is not None else {}
    if isinstance(right, nodes.Const):
        return f"„{choices.get(str(right.value), right.value)}“"
    if isinstance(right, (nodes.List, nodes.Tuple)):
        return ", ".join(_value(left, item, questionnaire) for item in right.items)
    raise _Unusual()
