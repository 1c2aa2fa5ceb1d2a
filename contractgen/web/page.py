"""The page: the questionnaire as a form, the preview beside it, all German.

The form is a tree of nodes built from the questionnaire (no code per question); the template
only draws nodes. Jinja escapes every value (autoescape); answers are passed as data and are
never part of a template. The preview is the HTML writer's page inside a sandboxed iframe
(`srcdoc`, no scripts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..questionnaire.schema import Question
from . import formstate
from .core import Evaluation, Mode, Workbench, email_text, pdf_available, preview_html
from .formstate import INCLUDE_PREFIX, NO, YES, field_id

HERE = Path(__file__).parent
MISSING_CODE = "answers.missing"       # a required answer not given: shown once the field is touched
RADIO_LIMIT = 4                       # more choices than this: a drop-down list
UNITS = {"money": "€", "percent": "%"}
PLACEHOLDERS = {"date": "TT.MM.JJJJ", "money": "z. B. 4800 oder 95,50", "iban": "DE.. .... ...."}
INPUT_MODES = {"integer": "numeric", "decimal": "decimal", "money": "decimal",
               "percent": "decimal", "email": "email"}
AUTOCOMPLETE = {"email": "email"}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass
class Node:
    """One question (or list entry) as the template draws it."""

    kind: str                          # section, group, field, textlist, grouplist, row
    q: Question | None
    name: str                          # field name / key path with list positions
    id: str
    label: str = ""
    text: str = ""
    checked: bool = False
    visible: bool = True
    children: list[Node] = field(default_factory=list)
    toggle: bool = False               # an optional section with its own checkbox
    toggle_shown: bool = False
    included: bool = True
    errors: list[str] = field(default_factory=list)
    error_codes: list[str] = field(default_factory=list)
    missing: bool = False              # the only error is "fehlt" (shown once touched)
    warnings: list[str] = field(default_factory=list)
    note: str = ""
    index: int = 0                     # position of a list entry (from 1)
    can_add: bool = True
    default: str | None = None         # the default under the current answers (profession)
    rare: bool = False                 # not asked by default: folded away ("selten geändert")

    @property
    def path(self) -> str:
        return self.q.path if self.q is not None else ""


class FormView:
    """Builds the nodes of the form and attaches every problem to the nearest field."""

    def __init__(self, evaluation: Evaluation) -> None:
        self.ev = evaluation
        self.state = evaluation.state
        self.nodes: dict[str, Node] = {}
        self.sections = self._sections()
        self.general: list[Problem] = []
        for problem in evaluation.problems:
            self._attach(problem, warning=problem.level != "error")
        self.risks: list[tuple[str, Problem]] = []
        for problem in map(without_rule_tag, evaluation.risks):
            node = self._attach(problem, warning=True, general=False)
            self.risks.append((node.label if node is not None else problem.key, problem))
        for name, node in self.nodes.items():
            if node.kind in ("field", "textlist") and not (node.text or "").strip() \
                    and name in evaluation.from_lower:
                node.note = ("Leer gelassen: Es gilt die Angabe aus Ihrem Profil "
                             f"({_short_value(evaluation.values, name)}).")

    # -- nodes --------------------------------------------------------------------------------
    def _sections(self) -> list[Node]:
        """Top-level sections; consecutive top-level questions that are no section share one."""
        sections: list[Node] = []
        loose: Node | None = None
        mode = self.ev.mode
        for q in mode.questionnaire.questions:
            if mode.skip(q.path):
                continue
            if q.is_group:
                loose = None
                sections.append(self._node(q, q.path))
                continue
            if loose is None:
                loose = Node("section", None, f"_teil{len(sections) + 1}",
                             f"teil-{len(sections) + 1}", label="Die Vereinbarung")
                sections.append(loose)
            loose.children.append(self._node(q, q.path))
        for section in sections:
            if section.kind == "section":
                section.visible = any(child.visible for child in section.children)
        return sections

    def _node(self, q: Question, name: str, index_shown: bool = True) -> Node:
        ev, state = self.ev, self.state
        questionnaire = ev.mode.questionnaire
        visible = ev.visible.get(q.path, True) and index_shown
        if q.is_group:
            node = Node("group", q, name, field_id(name), label=q.label, visible=visible)
            node.rare = q.ask is False and not questionnaire.profession_asks(q.path, ev.values)
            if q.optional:
                node.toggle = True
                node.toggle_shown = ev.optional_applies.get(name, True)
                node.included = state.included.get(name, False) or not node.toggle_shown
                proposed = questionnaire.proposes(q, ev.values)
                if proposed is not None:
                    node.default = YES if proposed else NO
            node.children = [self._node(f, f"{name}.{f.key}") for f in q.fields
                             if not ev.mode.skip(f.path)]
        elif q.is_group_list:
            node = Node("grouplist", q, name, field_id(name), label=q.label, visible=visible)
            rows = state.rows.get(name, 0)
            for row in range(1, rows + 1):
                entry = Node("row", q, f"{name}[{row}]", field_id(f"{name}[{row}]"),
                             label=f"Eintrag {row}", index=row)
                entry.children = [self._node(f, f"{name}[{row}].{f.key}") for f in q.fields]
                node.children.append(entry)
                self.nodes[entry.name] = entry
            node.can_add = rows < (q.max_items or formstate.MAX_ROWS)
        else:
            kind = "textlist" if q.is_text_list else "field"
            node = Node(kind, q, name, field_id(name), label=q.label, visible=visible)
            node.rare = q.ask is False and not questionnaire.profession_asks(q.path, ev.values)
            if "[" not in name:
                node.default = formstate.default_text(q, questionnaire.default_for(q, ev.values))
            text = state.text(name)
            if text is None:
                text = node.default or ""
            node.text = _display(q, text)
            node.checked = q.kind.yes_no and text.strip().lower() in (YES, "true", "yes", "on")
        self.nodes[name] = node
        return node

    # -- problems -----------------------------------------------------------------------------
    def _attach(self, problem: Problem, *, warning: bool, general: bool = True) -> Node | None:
        node = self._nearest(problem.key)
        if node is None:
            if general:
                self.general.append(problem)
            return None
        if warning:
            node.warnings.append(problem.message)
        else:
            node.errors.append(problem.message)
            node.error_codes.append(problem.code)
            node.missing = all(code == MISSING_CODE for code in node.error_codes)
        return node

    def _nearest(self, key: str) -> Node | None:
        """The field of a key path, else of the key without its list position, else the
        nearest enclosing section that is drawn."""
        candidate = key
        while candidate:
            node = self.nodes.get(candidate)
            if node is not None:
                return node
            trimmed = re.sub(r"\[\d+\]$", "", candidate)
            if trimmed != candidate:
                candidate = trimmed
                continue
            candidate = candidate.rpartition(".")[0]
        return None

    # -- for the client ------------------------------------------------------------------------
    def client_state(self) -> dict[str, Any]:
        errors = {name: node.errors for name, node in self.nodes.items() if node.errors}
        return {
            "visible": self.ev.visible,
            "applies": self.ev.optional_applies,
            "errors": errors,
            "missing": [name for name, node in self.nodes.items() if node.errors and node.missing],
            "warnings": {name: node.warnings for name, node in self.nodes.items() if node.warnings},
            "notes": {name: node.note for name, node in self.nodes.items() if node.note},
            # defaults under the current answers: the page replaces a value still at its old
            # default when the profession changes
            "defaults": {**{name: node.default or "" for name, node in self.nodes.items()
                            if node.kind in ("field", "textlist") and "[" not in name},
                         **{INCLUDE_PREFIX + name: node.default or ""
                            for name, node in self.nodes.items() if node.toggle}},
            "general": [str_problem(p) for p in self.general],
        }


def _display(q: Question, text: str) -> str:
    """A loaded ISO date as a German reads it (the validator reads both)."""
    if q.kind.dated:
        match = _ISO_DATE.match(text.strip())
        if match:
            try:
                value = dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                return text
            return f"{value:%d.%m.%Y}"
    return text


def _short_value(values: Mapping[str, Any], name: str) -> str:
    node: Any = values
    for part in name.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return str(node) if node is not None else "–"


def str_problem(problem: Problem) -> str:
    return f"{problem.key}: {problem.message}" if problem.key else problem.message


# -- the page ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(RADIO_LIMIT=RADIO_LIMIT, UNITS=UNITS, PLACEHOLDERS=PLACEHOLDERS,
                       INPUT_MODES=INPUT_MODES, AUTOCOMPLETE=AUTOCOMPLETE,
                       INCLUDE_PREFIX=INCLUDE_PREFIX, YES=YES, NO=NO)
    return env


@dataclass
class PageContext:
    """Per-run facts the page shows: CSRF token, lawyer mode, messages."""

    csrf: str
    lawyer: bool = False
    library_label: str = ""
    messages: list[str] = field(default_factory=list)
    loaded_from: str = ""
    lint: Any = None                      # lawyer.LintView or None
    samples: list[str] = field(default_factory=list)
    sample_index: int | None = None


def status_text(ev: Evaluation) -> str:
    if ev.complete:
        return "Alle Angaben sind vollständig. Der Vertrag kann heruntergeladen werden."
    count = len(ev.errors)
    if count == 1:
        return "Noch 1 Angabe fehlt oder ist ungültig; die Vorschau zeigt Platzhalter in [Klammern]."
    return (f"Noch {count} Angaben fehlen oder sind ungültig; die Vorschau zeigt Platzhalter in "
            "[Klammern].")


def outputs(ev: Evaluation, bench: Workbench) -> dict[str, Any]:
    """Preview (HTML writer), e-mail text and status for the page and the JSON state."""
    library = bench.library()
    preview = email = ""
    if ev.document is not None:
        preview = preview_html(ev.document, library)
        email = email_text(ev.document, library)
    return {"preview": preview, "email": email, "draft": ev.draft,
            "preview_error": ev.preview_error, "complete": ev.complete,
            "status": status_text(ev), "error_count": len(ev.errors),
            "framework_ready": ev.complete and ev.mode.kind == "vertrag"
            and ev.values.get("vertragsart") == "rahmenvertrag",
            "risks": [], "kind": ev.mode.kind}


def render_page(ev: Evaluation, bench: Workbench, ctx: PageContext, *,
                show_all_errors: bool = False) -> str:
    view = FormView(ev)
    out = outputs(ev, bench)
    return str(environment().get_template("page.html").render(
        ev=ev, mode=ev.mode, view=view, out=out, ctx=ctx, show_all_errors=show_all_errors,
        pdf=pdf_available(), risks=view.risks, general=view.general,
        mode_fields=mode_fields(ev.mode),
        framework_text=ev.mode.framework_text, framework_name=ev.mode.framework_name))


def without_rule_tag(problem: Problem) -> Problem:
    """A `check` hint as a person reads it: the CLI ends it with the rule's id in brackets
    (e.g. "[ausschliesslich-pauschal]") for reference; the page leaves that code out."""
    tag = f" [{problem.code.removeprefix('risk.')}]"
    if problem.code.startswith("risk.") and problem.message.endswith(tag):
        return Problem(problem.level, problem.message.removesuffix(tag), problem.location,
                       code=problem.code)
    return problem


def render_list(ev: Evaluation, name: str) -> str:
    """One list (e.g. the cancellation tiers) after an entry was added or removed."""
    view = FormView(ev)
    node = view.nodes.get(name)
    if node is None:
        return ""
    return str(environment().get_template("form.html").module.grouplist(node))


def client_json(ev: Evaluation, bench: Workbench, lists: Iterable[str] = ()) -> dict[str, Any]:
    view = FormView(ev)
    data = view.client_state()
    data.update(outputs(ev, bench))
    data["risks"] = [{"label": label, "key": p.key, "message": p.message}
                     for label, p in view.risks]
    data["lists"] = {name: render_list(ev, name) for name in lists}
    return data


def mode_fields(mode: Mode) -> dict[str, str]:
    """The hidden fields that carry the mode (an order's framework answers) with the form."""
    if mode.kind != "auftrag":
        return {"_modus": "vertrag"}
    return {"_modus": "auftrag", "_rahmen": mode.framework_text, "_rahmen_name": mode.framework_name}
