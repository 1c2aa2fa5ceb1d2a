"""Build an individual order (Einzelauftrag) as a Document: the order's own clauses, rendered with
the framework's answers plus the order's effective terms, numbered and resolved like a contract."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..library import Library, evaluate_condition, select_clauses
from ..model import ClauseStamp, Document, Section
from .clauses import render_clause
from .document import finish, provenance
from .languages import check_translated
from .texts import LibraryTexts, email_frame, international, party


class ClauseNumbers(dict[str, str]):
    """`rv["zahlung"]` -> "§ 10": the numbers of the framework's clauses; None for a clause the
    framework does not contain (so a template can test `{% if rv["ausfallhonorar"] %}`)."""

    def __missing__(self, key: str) -> None:
        return None


def clause_numbers(framework: Document) -> ClauseNumbers:
    numbers = ClauseNumbers()
    for section in framework.sections:
        if section.number is not None and section.label:
            numbers[section.clause_id] = section.label
    return numbers


def build_order_document(main: Library, orders: Library, context: Mapping[str, Any], *,
                         framework: Document, values: Mapping[str, Any], answers_digest: str,
                         answers_json: str) -> Document:
    """`context`: the framework's template context plus `auftrag`, `rahmenvertrag` and `rv`.
    The annexes are the main library's clauses the order part names (auftrag.yaml: anlagen),
    each when its own condition holds."""
    clauses = select_clauses(orders, context)
    annexes = [clause for clause_id in orders.annexes
               if (clause := main.clause(clause_id)) is not None
               and (clause.when is None or evaluate_condition(clause.when, context))]
    check_translated(orders, tuple(c.id for c in clauses), values)
    check_translated(main, tuple(c.id for c in annexes), values)
    sections: list[Section] = [render_clause(orders, clause, context) for clause in clauses]
    stamps = [ClauseStamp(c.id, c.version, c.sha256) for c in clauses]
    for clause in annexes:
        sections.append(render_clause(main, clause, context))
        stamps.append(ClauseStamp(clause.id, clause.version, clause.sha256))
    texts = LibraryTexts(orders, context)
    main_texts = LibraryTexts(main, context)
    freelancer = values["auftragnehmer"]
    order = context["auftrag"]
    document = Document(
        kind="einzelauftrag",
        title=texts.line("titel"),
        subtitle=texts.line("untertitel"),
        date=order["datum"] if isinstance(order.get("datum"), dt.date) else framework.date,
        author=freelancer.get("firma") or freelancer["name"],
        parties=(
            party(main_texts, "rolle_auftragnehmer", freelancer, country=international(values)),
            party(main_texts, "rolle_auftraggeber", values["auftraggeber"],
                  country=international(values)),
        ),
        parties_between=main_texts.line("parteien_zwischen"),
        parties_and=main_texts.line("parteien_und"),
        preamble=texts.blocks("praeambel"),
        overview_title=texts.line("uebersicht_titel"),
        overview=texts.overview(),
        sections=tuple(sections),
        signatures=(),
        conclusion=texts.blocks("schluss"),
        email=email_frame(texts, values, personal=main_texts),
        provenance=provenance(main, tuple(stamps), answers_digest),
        answers_json=answers_json,
        lang=main.language,
        wording=main.wording,
    )
    # an order uses the terms its framework agreement defines, so they are not checked here
    return finish(document, orders, conclusion_text="schluss", check_defined_terms=False,
                  main=main)
