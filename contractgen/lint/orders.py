"""The order part of a library (einzelauftrag/): its files load and compile, and order documents
render for pairs of framework answers (all-pairs over what orders depend on) and order answers
(all-pairs over the order questionnaire). Order answers that the framework rejects are skipped:
rejecting them is the conflict check's job, not a library error."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from typing import Any

from ..errors import ContractgenError
from ..questionnaire.answers import Answers
from ..questionnaire.schema import Questionnaire
from .exhaustive import ValueSpace
from .findings import Finding
from .rules import Analysis
from .sources import Sources, finding, to_finding
from .space import build_values, combinations, describe

TODAY = dt.date(2027, 1, 10)
# the framework answers an order document depends on (besides its own answers)
FRAMEWORK_KEYS = ("auftraggeber.art", "vertragsschluss", "vertragstyp", "honorar.modell",
                  "digitales_produkt", "datenschutz",
                  "auftragnehmer.kleinunternehmer", "projekt", "nutzungsrechte", "ausfall.staffel",
                  "einzelauftraege")


def check_orders(sources: Sources, analysis: Analysis) -> tuple[list[Finding], int]:
    from ..library.reader import read_order_library
    from ..order import ORDER_DIR, check_against_framework, order_context
    from ..questionnaire.answers import canonical_json
    from ..render.document import build_document
    from ..render.order import build_order_document
    from .legal_checks import document_findings

    library = sources.library
    if library is None or not (library.root / ORDER_DIR).is_dir():
        return [], 0
    out: list[Finding] = []
    source = read_order_library(library, compile_templates=True)
    out += [to_finding(problem, "order-load") for problem in source.problems]
    if source.library is None or out:
        return out, 0
    orders = source.library
    out += _framework_references(library, orders)
    if out:
        return out, 0
    framework_space = ValueSpace(library, analysis)
    keys = framework_space.closure(k for k in FRAMEWORK_KEYS if k in framework_space.questions)
    framework_rows, _ = combinations(framework_space.parameters(keys))
    order_space = ValueSpace(orders, Analysis())
    order_keys = {q.path for q in orders.questionnaire.walk()}
    order_rows, _ = combinations(order_space.parameters(order_space.closure(order_keys)))
    framework_list = list(itertools.islice(framework_rows, 200))
    order_list = list(itertools.islice(order_rows, 200))
    count = 0
    seen: set[str] = set()
    # one finding per place and failure, with the first combination that shows it
    failures: dict[tuple[str, str, str], Finding] = {}

    def failed(message: str, where: str, key: str, combo: str) -> None:
        failures.setdefault((where, key, message), finding(
            "order-render", "error", f"{message} — bei {combo}", where, key))

    for index in range(max(len(framework_list), len(order_list))):
        row = {**framework_list[index % len(framework_list)], "vertragsart": "rahmenvertrag"}
        order_row = order_list[index % len(order_list)]
        values, _ = framework_space.answers(row)
        framework = Answers(values=values, source="library check")
        order_values = _order_values(framework, orders.questionnaire, order_space.base, order_row)
        order = Answers(values=order_values, source="library check (Einzelauftrag)")
        if check_against_framework(order, framework):
            continue
        combo = f"{describe(row, values)}; Einzelauftrag: {describe(order_row, order_values)}"
        if combo in seen:
            continue
        seen.add(combo)
        count += 1
        try:
            # what build_order does, with the order library read once and the framework's
            # document built once for both (the clash check ran above)
            framework_doc = build_document(library, framework, today=TODAY)
            context = order_context(library, framework_doc, framework, order)
            document = build_order_document(
                library, orders, context, framework=framework_doc, values=framework.values,
                answers_digest=order.digest, answers_json=canonical_json(order.values))
            out += document_findings(library, document, context, combo, offer_by_email=True,
                                     orders=orders)
        except ContractgenError as error:
            if not error.problems:
                failed(error.message, str(library.root / ORDER_DIR), "", combo)
            for problem in error.problems:
                failed(problem.message, problem.where, problem.key, combo)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            failed(f"Der Einzelauftrag lässt sich nicht erzeugen ({type(error).__name__}: {error})",
                   str(library.root / ORDER_DIR), "", combo)
    return out + list(failures.values()), count


def _framework_references(library: Any, orders: Any) -> list[Finding]:
    """`rv["id"]` in an order clause must name a clause of the framework library; otherwise the
    reference would silently print nothing."""
    from jinja2 import TemplateSyntaxError, nodes

    from ..templating import environment
    from .designations import use_findings
    from .variables import analyse

    out: list[Finding] = []
    known = {clause.id for clause in library.clauses}
    for clause in orders.clauses:
        parts = [(clause.body, clause.body_line)]
        if clause.short is not None:
            parts.append((clause.short, clause.short_line))
        for source, first_line in parts:
            try:
                tree = environment().parse("\n" * (first_line - 1) + source)
            except TemplateSyntaxError:
                continue  # reported by the compile step
            usage = analyse(tree)
            out += use_findings(library, usage.designation_uses(), usage.designation_calls,
                                str(clause.path), clause.id)
            for item in tree.find_all(nodes.Getitem):
                if (isinstance(item.node, nodes.Name) and item.node.name == "rv"
                        and isinstance(item.arg, nodes.Const) and item.arg.value not in known):
                    out.append(finding("order-load", "error", f"rv[{item.arg.value!r}] nennt keine "
                                       "Klausel des Rahmenvertrags.", f"{clause.path}:{item.lineno}",
                                       clause.id))
    return out


def _order_values(framework: Answers, questionnaire: Questionnaire, base: dict[str, Any],
                  row: dict[str, Any]) -> dict[str, Any]:
    """Order answers as `contractgen new --auftrag` starts them: what the framework fixes is
    left out, its values are the starting point, and the row varies only the rest."""
    from ..order import interview_plan

    adjusted, start, fixed = interview_plan(framework, questionnaire)

    def is_fixed(path: str) -> bool:
        return any(path == f or path.startswith(f + ".") for f in fixed)

    values = copy.deepcopy(base)
    for path in fixed:
        parts = path.split(".")
        node: Any = values
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and parts[-1] in node:
            node[parts[-1]] = _empty(node[parts[-1]])
    for key, value in start.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key].update({k: v for k, v in value.items() if v is not None})
        elif value is not None:
            values[key] = value
    assignment = {path: value for path, value in row.items() if not is_fixed(path)}
    return build_values(adjusted, values, assignment)


def _empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _empty(item) for key, item in value.items()}
    return [] if isinstance(value, list) else None
