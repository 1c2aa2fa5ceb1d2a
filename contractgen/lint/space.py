"""The value space of the answers: example answers, the values worth trying for each question,
and combinations (the full product when small, else all-pairs)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..library import evaluate_condition
from ..paths import value_at
from ..questionnaire.schema import Question, Questionnaire, empty_answer

FULL_PRODUCT_LIMIT = 256
EXAMPLE_DATE = dt.date(2027, 1, 15)
ABSENT = None


def example(q: Question) -> Any:
    """A valid example answer for one question (a placeholder in brackets for free text)."""
    kind = q.kind
    if q.is_group:
        return {f.key: example(f) for f in q.fields}
    if q.is_group_list:
        return [_item(q, 0, 1)]
    if q.is_text_list:
        return [f"[{q.label}]"]
    if kind.chooses:
        return q.default if q.default in q.choice_keys else q.choice_keys[0]
    if kind.samples:
        return q.default if isinstance(q.default, str) and q.default else kind.samples[0]
    if kind.yes_no:
        return bool(q.default) if q.default is not None else False
    if kind.numeric:
        if q.default is not None and not isinstance(q.default, list):
            return _number(q, Decimal(str(q.default)))
        return _number(q, Decimal(kind.example_number))
    if kind.dated:
        return EXAMPLE_DATE + dt.timedelta(days=60) if q.after else EXAMPLE_DATE
    if kind.address:
        return f"{q.key.replace('_', '-')}@example.org"
    if q.pattern:
        for candidate in ("12345", f"[{q.label}]", "Beispiel", "A1"):
            if re.match(q.pattern, candidate):
                return candidate
    return f"[{q.label}]"


def _number(q: Question, value: Decimal) -> Any:
    if q.min is not None and value < q.min:
        value = q.min
    if q.max is not None and value > q.max:
        value = q.max
    return value if q.kind.decimal else int(value)


def _item(q: Question, index: int, count: int) -> dict[str, Any]:
    """Item `index` of `count` for a list of groups; a 'staffel' list gets falling days and rising
    percentages, as the answers validation demands."""
    item = {f.key: example(f) for f in q.fields}
    if q.order == "staffel" and count > 1:
        for f in q.fields:
            if f.kind.numeric and not f.kind.decimal:
                item[f.key] = _number(f, Decimal(7 - 5 * index))
            elif f.kind.numeric:
                item[f.key] = _number(f, Decimal(50 + 50 * index))
    return item


def domain(q: Question, constants: Sequence[int | Decimal] = (),
           lengths: Sequence[int] = ()) -> list[Any]:
    """The values worth trying: every choice, both bools, present/absent, empty/non-empty lists,
    and the boundary values of constants the templates compare a number with."""
    optional = not q.required and q.default is None
    if q.is_group:
        return [ABSENT, example(q)] if q.optional else [example(q)]
    if q.kind.chooses:
        values: list[Any] = list(q.choice_keys)
        return values + ([ABSENT] if optional else [])
    if q.kind.yes_no:
        return [False, True]
    if q.kind.samples:   # e.g. a country: at home, in the EU, outside the EU
        return list(dict.fromkeys((example(q), *q.kind.samples))) + ([ABSENT] if optional else [])
    if q.is_text_list:
        sizes = {1, 2, *(n for c in lengths for n in (c - 1, c, c + 1) if n >= 0)}
        if q.min_items > 0:
            sizes = {n for n in sizes if n >= q.min_items}
        elif not q.required:
            sizes.add(0)
        return [[f"[{q.label} {i + 1}]" for i in range(n)] for n in sorted(sizes)]
    if q.is_group_list:
        lists: list[Any] = [[] if q.min_items == 0 else [_item(q, 0, 1)]]
        lists += [[_item(q, 0, 1)], [_item(q, i, 2) for i in range(2)]]
        return _unique(lists)
    if q.kind.numeric and constants:
        numbers = {example(q)}
        for c in constants:
            for n in (c - 1, c, c + 1):
                numbers.add(_number(q, Decimal(n)))
        values = sorted(numbers)
        return values + ([ABSENT] if optional else [])
    return [example(q)] + ([ABSENT] if optional else [])


def field_variants(q: Question, field_constants: Mapping[str, Sequence[int | Decimal]]) -> list[Any]:
    """Extra one-item lists for a list of groups: each boundary value of each compared field."""
    variants = []
    for f in q.fields:
        for c in field_constants.get(f.key, ()):
            for n in (c - 1, c, c + 1):
                item = _item(q, 0, 1)
                item[f.key] = _number(f, Decimal(n))
                variants.append([item])
    return variants


def _unique(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out


def combinations(parameters: Sequence[tuple[str, list[Any]]]) -> tuple[Iterator[dict[str, Any]], str]:
    """All combinations when there are at most FULL_PRODUCT_LIMIT, else an all-pairs set."""
    size = 1
    for _, values in parameters:
        size *= max(1, len(values))
    names = [name for name, _ in parameters]
    if size <= FULL_PRODUCT_LIMIT:
        product = itertools.product(*(values for _, values in parameters))
        return (dict(zip(names, row, strict=True)) for row in product), "vollständig"
    return iter(all_pairs(parameters)), "paarweise"


def all_pairs(parameters: Sequence[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
    """A small set of rows that covers every pair of values of every two parameters (greedy:
    each row starts from the smallest uncovered pair, then takes for every other parameter the
    first value that covers the most uncovered pairs with the values already chosen)."""
    import heapq

    names = [name for name, _ in parameters]
    domains = [values for _, values in parameters]
    count = len(domains)
    uncovered = {(i, a, j, b) for i in range(count) for j in range(i + 1, count)
                 for a in range(len(domains[i])) for b in range(len(domains[j]))}
    queue = list(uncovered)      # the smallest uncovered pair first; covered ones are skipped
    heapq.heapify(queue)
    rows: list[list[int]] = []
    while uncovered:
        while queue[0] not in uncovered:
            heapq.heappop(queue)
        i, a, j, b = queue[0]
        row = [-1] * count
        row[i], row[j] = a, b
        fixed = [i, j]
        for k in range(count):
            if row[k] >= 0:
                continue
            before = [(m, row[m]) for m in fixed if m < k]
            after = [(m, row[m]) for m in fixed if m > k]
            best, gain = 0, -1
            for v in range(len(domains[k])):
                new = (sum(1 for m, w in before if (m, w, k, v) in uncovered)
                       + sum(1 for m, w in after if (k, v, m, w) in uncovered))
                if new > gain:
                    best, gain = v, new
            row[k] = best
            fixed.append(k)
        for m in range(count):
            for n in range(m + 1, count):
                uncovered.discard((m, row[m], n, row[n]))
        rows.append(row)
    if not rows:
        rows.append([0] * count)
    return [{names[k]: domains[k][row[k]] for k in range(count)} for row in rows]


def build_values(questionnaire: Questionnaire, base: Mapping[str, Any],
                 assignment: Mapping[str, Any]) -> dict[str, Any]:
    """Base answers with `assignment` (key path -> value) applied, then the questions' own
    conditions applied as the answers validation does (an inactive question is empty)."""
    values: dict[str, Any] = _copy(base)
    for path in sorted(assignment, key=lambda p: p.count(".")):
        parts = path.split(".")
        node: Any = values
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict):
            node[parts[-1]] = _copy(assignment[path])
    from ..limits import time_limit

    with time_limit():       # one timer for the row; the conditions' own limits nest in it
        _normalise(values, questionnaire.questions, values)
    return values


def _normalise(values: dict[str, Any], questions: Sequence[Question], root: dict[str, Any]) -> None:
    for q in questions:
        value = values.get(q.key)
        active = q.when is None or _condition(q.when, root)
        if not active:
            values[q.key] = empty_answer(q)
            continue
        if q.is_group and isinstance(value, dict):
            _normalise(value, q.fields, root)
        elif q.is_group and value is None and not q.optional:
            values[q.key] = empty_answer(q)
        elif (q.is_group and value is None and q.optional_when is not None
              and not _condition(q.optional_when, root)):
            values[q.key] = example(q)   # optional only elsewhere: here it must be answered
        elif q.is_group_list and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _normalise(item, q.fields, root)
        elif value is None and q.required_when is not None and _condition(q.required_when, root):
            values[q.key] = example(q)   # required under this condition: answered
        if (q.max_when is not None and isinstance(values.get(q.key), (int, Decimal))
                and not isinstance(values.get(q.key), bool)
                and values[q.key] > q.max_when[1] and _condition(q.max_when[0], root)):
            values[q.key] = _number(q, q.max_when[1])   # the tighter bound holds here


_MEMO: dict[tuple[str, str], bool] = {}
_MEMO_LIMIT = 50_000


def _condition(expression: str, root: Mapping[str, Any]) -> bool:
    """A question's condition over the row's answers, remembered by the answers it reads (the
    same condition comes back for most rows of the exhaustive render)."""
    key = (expression, repr([root.get(name) for name in _reads(expression)]))
    cached = _MEMO.get(key)
    if cached is not None:
        return cached
    try:
        result = evaluate_condition(expression, root)
    except Exception:  # noqa: BLE001 - a broken question condition is reported elsewhere
        result = False
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[key] = result
    return result


@lru_cache(maxsize=1024)
def _reads(expression: str) -> tuple[str, ...]:
    """The top-level answers a condition depends on (a derived value: the answers it is
    computed from), in a fixed order."""
    from jinja2 import TemplateSyntaxError, meta

    from ..templating import environment
    from ..terms import DERIVED_SOURCES

    try:
        names = meta.find_undeclared_variables(environment().parse("{{ " + expression + " }}"))
    except TemplateSyntaxError:
        return ()
    keys: set[str] = set()
    for name in names:
        keys |= {source.split(".")[0] for source in DERIVED_SOURCES.get(name, ())} or {name}
    return tuple(sorted(keys))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def describe(assignment: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The combination in words, with the values as the answers end up (after conditions)."""
    parts = []
    for path in sorted(assignment):
        parts.append(f"{path}={_show(value_at(values, path))}")
    return ", ".join(parts)


def _show(value: Any) -> str:
    if value is None:
        return "(keine Angabe)"
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        if not value:
            return "(leer)"
        if all(isinstance(v, dict) for v in value):
            return "[" + "; ".join(", ".join(f"{k} {_show(v)}" for k, v in item.items())
                                   for item in value) + "]"
        return f"({len(value)} Einträge)"
    if isinstance(value, dict):
        return "(angegeben)"
    return str(value)
