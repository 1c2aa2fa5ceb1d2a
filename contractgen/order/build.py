"""Loading the order part of a library and an order's answers, and building its document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from ..errors import AnswersError
from ..library import Library, evaluate_condition
from ..library.reader import ORDER_DIR
from ..model import Document
from ..questionnaire.answers import Answers, canonical_json
from ..questionnaire.layers import load_answers_file
from ..questionnaire.schema import Questionnaire, load_questionnaire
from .conflicts import check_against_framework
from .terms import order_context


def load_order_library(main: Library) -> Library:
    """The order part of a clause library (its folder einzelauftrag/) as a Library of its own,
    read by the same reader as the library itself (every problem at once, exit 4)."""
    from ..library.edition import ITEM_CODES
    from ..library.reader import raise_problems, read_order_library

    source = read_order_library(main)
    message = f"Die Vorlagen für Einzelaufträge in {source.root} sind fehlerhaft."
    if main.source_root is not None and source.library is not None:
        # an edition: a clause it does not translate stops only an order that contains it
        # (render/languages.check_translated)
        problems = tuple(p for p in source.problems if p.code not in ITEM_CODES)
        if problems:
            from ..errors import LibraryError

            raise LibraryError(message, problems)
        return source.library
    return raise_problems(source, message)


def order_questionnaire(main: Library) -> Questionnaire:
    return load_questionnaire(main.root / ORDER_DIR / "fragebogen.yaml")


def load_order_answers(path: Path, questionnaire: Questionnaire,
                       overrides: Iterable[str] = ()) -> Answers:
    """An order's answers file under --set (no profile: the parties are the framework's)."""
    return load_answers_file(path, questionnaire, evaluate_condition, overrides,
                             what="Einzelauftragsdatei")


def build_order(main: Library, framework: Answers, order: Answers, *,
                today: dt.date) -> Document:
    """Check the order against the framework (AnswersError, exit 3, naming every clash), then
    build its document."""
    from ..render import build_document
    from ..render.languages import in_languages
    from ..render.order import build_order_document

    problems = check_against_framework(order, framework)
    if problems:
        count = len(problems)
        raise AnswersError(
            f"Der Einzelauftrag {order.source} passt nicht zum Rahmenvertrag "
            f"{framework.source} ({count} {'Problem' if count == 1 else 'Probleme'}).", problems)

    def build(edition: Library) -> Document:   # in the framework's language(s)
        orders = load_order_library(edition)
        framework_doc = build_document(edition, framework, today=today)
        context = order_context(edition, framework_doc, framework, order)
        return build_order_document(
            edition, orders, context, framework=framework_doc, values=framework.values,
            answers_digest=order.digest, answers_json=canonical_json(order.values))

    return in_languages(main, framework.values, build)
