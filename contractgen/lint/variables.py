"""What a template really uses, read from its syntax tree (jinja2.meta plus a small walker).

Dotted answer paths (`honorar.modell`), `ref()`/`absatz()` calls, and comparisons with constants
(used for boundary values in the exhaustive render), each with its line in the clause file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jinja2 import meta, nodes

from ..model.designation import PARTIES
from ..questionnaire.schema import Question, Questionnaire
from ..templating import environment

# derived variables and the answer keys each one reads (declared once, in terms/derived.py); a
# clause that uses a derived variable uses these keys, so its `requires` lists them
from ..terms import DERIVED_SOURCES

ITEM = "[]"   # path part for "an item of this list"

# ds() reads the form of address itself; it is e-mail wording, not content, so not in `requires`
IMPLICIT_BY_CALL = {"ds": "anrede"}
# AN and AG read the parties' designations (auftragnehmer.bezeichnung, auftraggeber.bezeichnung):
# wording, not content, so not in `requires` either (lint/designations.py checks their forms)
DESIGNATION_NAMES = {role.name: role.answer_key for role in PARTIES}
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})


@dataclass(frozen=True)
class Use:
    path: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class RefCall:
    clause_id: str | None        # None: not a constant, cannot be checked
    label: str | None
    line: int


@dataclass(frozen=True)
class Comparison:
    path: tuple[str, ...]
    value: int | Decimal
    length: bool                 # compares `x|length`, not x
    line: int


@dataclass
class Usage:
    uses: list[Use] = field(default_factory=list)
    refs: list[RefCall] = field(default_factory=list)
    labels: list[tuple[str, int]] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)
    terms_defined: list[tuple[str, int]] = field(default_factory=list)
    terms_used: list[tuple[str, int]] = field(default_factory=list)
    # AN.wahl(...) and the like: (name, method, number of arguments, line)
    designation_calls: list[tuple[str, str, int, int]] = field(default_factory=list)

    def designation_uses(self) -> list[tuple[tuple[str, ...], int]]:
        return [(u.path, u.line) for u in self.uses if u.path[0] in DESIGNATION_NAMES]


def parse_template(source: str, first_line: int) -> nodes.Template:
    return environment().parse("\n" * (first_line - 1) + source)


def parse_condition(expression: str, line: int) -> nodes.Template:
    return environment().parse("\n" * (line - 1) + "{% if " + expression + " %}{% endif %}")


def analyse(tree: nodes.Template) -> Usage:
    usage = Usage()
    env = environment()
    free = meta.find_undeclared_variables(tree) - set(env.globals)
    _Walker(usage, free).visit(tree, {})
    return usage


def _path(node: nodes.Node) -> tuple[str, ...] | None:
    if isinstance(node, nodes.Name):
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        inner = _path(node.node)
        return None if inner is None else (*inner, node.attr)
    if isinstance(node, nodes.Getitem):
        inner = _path(node.node)
        if inner is None:
            return None
        if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            return (*inner, node.arg.value)
        return (*inner, ITEM)
    return None


def _const_number(node: nodes.Node) -> int | Decimal | None:
    if isinstance(node, nodes.Const) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return node.value if isinstance(node.value, int) else Decimal(str(node.value))
    return None


class _Walker:
    def __init__(self, usage: Usage, free: set[str]) -> None:
        self.usage = usage
        self.free = free

    def visit(self, node: nodes.Node, aliases: dict[str, tuple[str, ...]]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, aliases)
            inner = dict(aliases)
            path = self._resolve(_path(node.iter), aliases)
            if path is not None and isinstance(node.target, nodes.Name):
                inner[node.target.name] = (*path, ITEM)
            for child in (*node.body, *node.else_):
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path = self._resolve(_path(node), aliases)
            if path is not None:
                self.usage.uses.append(Use(path, node.lineno))
                if isinstance(node, nodes.Getitem) and not (
                        isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)):
                    self.visit(node.arg, aliases)
                return
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            self._call(node)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr) \
                and isinstance(node.node.node, nodes.Name) \
                and node.node.node.name in DESIGNATION_NAMES:
            self.usage.designation_calls.append((node.node.node.name, node.node.attr,
                                                 len(node.args) + len(node.kwargs), node.lineno))
        if isinstance(node, nodes.Compare) and len(node.ops) == 1:
            self._compare(node, aliases)
        for child in node.iter_child_nodes():
            self.visit(child, aliases)

    def _resolve(self, path: tuple[str, ...] | None,
                 aliases: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
        if path is None:
            return None
        if path[0] in aliases:
            return (*aliases[path[0]], *path[1:])
        if path[0] in self.free:
            return path
        return None

    def _call(self, node: nodes.Call) -> None:
        assert isinstance(node.node, nodes.Name)
        name = node.node.name
        self.usage.calls.add(name)
        consts = [a.value if isinstance(a, nodes.Const) and isinstance(a.value, str) else None
                  for a in node.args]
        if name == "ref":
            clause_id = consts[0] if consts else None
            label = consts[1] if len(consts) > 1 else None
            self.usage.refs.append(RefCall(clause_id, label, node.lineno))
        elif name == "absatz" and consts and consts[0] is not None:
            self.usage.labels.append((consts[0], node.lineno))
        elif name in ("definiere", "begriff") and consts and consts[0] is not None:
            target = self.usage.terms_defined if name == "definiere" else self.usage.terms_used
            target.append((consts[0], node.lineno))

    def _compare(self, node: nodes.Compare, aliases: dict[str, tuple[str, ...]]) -> None:
        left, right = node.expr, node.ops[0].expr
        value = _const_number(right)
        length = isinstance(left, nodes.Filter) and left.name == "length"
        target = left.node if isinstance(left, nodes.Filter) and length else left
        path = self._resolve(_path(target), aliases) if target is not None else None
        if value is not None and path is not None:
            self.usage.comparisons.append(Comparison(path, value, length, node.lineno))


@dataclass(frozen=True)
class Resolved:
    key: str | None              # the answer key used (a list's items count as the list)
    question: Question | None    # the deepest question reached (a field of a list item too)
    derived: str | None = None
    error: str | None = None


def resolve(path: tuple[str, ...], questionnaire: Questionnaire) -> Resolved:
    """Map a template path to the answer key it reads, or say why it is not an answer."""
    root = path[0]
    if root in DESIGNATION_NAMES:        # AN.der …: checked by lint/designations.py
        return Resolved(None, None)
    question = questionnaire.question(root)
    if question is None:
        if root in DERIVED_SOURCES:
            return Resolved(None, None, derived=root)
        return Resolved(None, None, error=f"Variable {root!r} gibt es im Fragebogen nicht "
                        "(und sie ist keine abgeleitete Variable).")
    key_parts = [root]
    in_item = False
    for part in path[1:]:
        if part == ITEM:
            if question.is_list:
                in_item = True
                continue
            break
        if question.is_group or (question.is_group_list and in_item):
            field_question = question.field(part)
            if field_question is None:
                if part in _MAPPING_METHODS:
                    break
                name = ".".join((*key_parts, part))
                return Resolved(None, None, error=f"Variable {name!r} gibt es im Fragebogen "
                                f"nicht (Felder von {question.path}: "
                                f"{', '.join(f.key for f in question.fields)}).")
            if not in_item:
                key_parts.append(part)
            question = field_question
            continue
        break  # an attribute or method of a value (e.g. text.split): the key is complete
    return Resolved(".".join(key_parts), question)
