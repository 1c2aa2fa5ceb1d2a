"""Static rules: ids and sections, replaces, variables and `requires`, references, metadata and
the legal rules that can be read from the text (legal-facts.md, section 18)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from jinja2 import TemplateSyntaxError

from ..questionnaire.schema import Question
from ..terms import DERIVED_SOURCES
from .designations import use_findings
from .findings import Finding
from .legal import check_legal_text
from .sources import ClauseSource, Sources, finding
from .variables import (
    IMPLICIT_BY_CALL,
    RefCall,
    Usage,
    analyse,
    parse_condition,
    parse_template,
    resolve,
)


@dataclass
class ClauseInfo:
    """What one clause reads and refers to, from its syntax tree."""

    source: ClauseSource
    reads: set[str] = field(default_factory=set)        # answer keys (derived -> their sources)
    when_reads: set[str] = field(default_factory=set)
    refs: list[RefCall] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)
    terms_defined: list[tuple[str, int]] = field(default_factory=list)
    terms_used: list[tuple[str, int]] = field(default_factory=list)
    constants: dict[str, list[int | Decimal]] = field(default_factory=dict)   # question path ->
    lengths: dict[str, list[int]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.source.clause.id


@dataclass
class Analysis:
    clauses: dict[str, ClauseInfo] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)         # every answer key anything reads


def analyse_library(sources: Sources, engine_keys: Iterable[str]) -> tuple[Analysis, list[Finding]]:
    out: list[Finding] = []
    analysis = Analysis()
    library = sources.library
    assert library is not None
    questionnaire = library.questionnaire
    for source in sources.clauses:
        if not source.ok:
            continue
        clause = source.clause
        info = ClauseInfo(source)
        trees = [(parse_template(clause.body, clause.body_line), False)]
        if "{" in clause.title:
            trees.append((parse_template(clause.title, clause.title_line), False))
        if clause.short is not None:
            trees.append((parse_template(clause.short, clause.short_line), False))
        if clause.when is not None:
            trees.append((parse_condition(clause.when, source.line("when")), True))
        for tree, is_when in trees:
            usage = analyse(tree)
            keys = _keys(usage, questionnaire, str(clause.path), clause.id, out,
                         None if not is_when else source.line("when"), info)
            info.reads |= keys
            if is_when:
                info.when_reads |= keys
            info.refs += usage.refs
            info.labels |= {label for label, _ in usage.labels}
            info.terms_defined += usage.terms_defined
            info.terms_used += usage.terms_used
            analysis.used |= {IMPLICIT_BY_CALL[c] for c in usage.calls if c in IMPLICIT_BY_CALL}
            out += use_findings(library, usage.designation_uses(), usage.designation_calls,
                                str(clause.path), clause.id)
        analysis.clauses[clause.id] = info
        analysis.used |= info.reads
        out += _requires(source, info, {q.path for q in questionnaire.walk()})
    out += _texts(sources, analysis)
    questionnaire_path = str(library.root / "questionnaire.yaml")
    for q in questionnaire.walk():
        line = sources.question_lines.get(q.path, 1)
        for expression in (q.when, q.optional_when):
            if not expression:
                continue
            try:
                usage = analyse(parse_condition(expression, 1))
            except TemplateSyntaxError as exc:
                out.append(finding("questionnaire", "error", f"Bedingung {expression!r} der Frage "
                                   f"{q.path!r}: {exc.message}", f"{questionnaire_path}:{line}",
                                   q.path))
                continue
            # unknown names in a question's condition would stop every answers file
            analysis.used |= _keys(usage, questionnaire, questionnaire_path, q.path, out, line, None)
    analysis.used |= set(engine_keys)
    out += _unused_questions(sources, analysis)
    out += _references(sources, analysis)
    out += _terms(analysis)
    out += _replaces(sources)
    out += _metadata(sources)
    out += check_legal_text(sources)
    return analysis, out


def _keys(usage: Usage, questionnaire: object, path: str, clause_id: str, out: list[Finding],
          when_line: int | None, info: ClauseInfo | None) -> set[str]:
    from ..questionnaire.schema import Questionnaire

    assert isinstance(questionnaire, Questionnaire)
    keys: set[str] = set()
    for use in usage.uses:
        resolved = resolve(use.path, questionnaire)
        if resolved.error:
            line = when_line or use.line
            out.append(finding("unknown-variable", "error", resolved.error, f"{path}:{line}",
                               clause_id))
        elif resolved.derived:
            keys |= set(DERIVED_SOURCES[resolved.derived])
        elif resolved.key:
            keys.add(resolved.key)
    if info is not None:
        for comparison in usage.comparisons:
            resolved = resolve(comparison.path, questionnaire)
            if resolved.question is None:
                continue
            target = info.lengths if comparison.length else info.constants
            target.setdefault(resolved.question.path, []).append(comparison.value)  # type: ignore[arg-type]
    return keys


def _requires(source: ClauseSource, info: ClauseInfo, paths: set[str]) -> list[Finding]:
    out = []
    clause = source.clause
    declared = set(clause.requires)
    where = source.at("requires")
    for key in sorted(declared - paths):
        out.append(finding("unknown-variable", "error", f"requires nennt {key!r}, eine Frage, die "
                           "es im Fragebogen nicht gibt.", where, clause.id))
    missing = sorted(info.reads - declared)
    if missing:
        out.append(finding("requires-missing", "error", "requires fehlt, was die Klausel "
                           f"verwendet: {', '.join(missing)}.", where, clause.id))
    unused = sorted((declared & paths) - info.reads)
    if unused:
        out.append(finding("requires-unused", "warning", "requires nennt, was die Klausel nicht "
                           f"verwendet: {', '.join(unused)}.", where, clause.id))
    return out


# variables the engine passes to single library texts (render/texts.py, LibraryTexts.line)
TEXT_EXTRAS: dict[str, tuple[str, ...]] = {"parteien_nachfolgend": ("rolle",)}


def _texts(sources: Sources, analysis: Analysis) -> list[Finding]:
    """Library texts (titles, overview, e-mail frame) count as users of answers too."""
    library = sources.library
    assert library is not None
    manifest = library.root / "library.yaml"
    lines = manifest.read_text(encoding="utf-8").split("\n")
    out: list[Finding] = []

    def line_of(name: str) -> int:
        pattern = re.compile(rf"^\s+-?\s*{re.escape(name)}:")
        return next((i + 1 for i, text in enumerate(lines) if pattern.match(text)), 1)

    items: list[tuple[str, str, bool]] = []
    for name, value in library.texts.items():
        if isinstance(value, str):
            items.append((name, value, False))
        elif isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    items += [(name, str(v), k == "when") for k, v in row.items()]
    for name, text, is_when in items:
        try:
            tree = parse_condition(text, 1) if is_when else parse_template(text, 1)
        except TemplateSyntaxError as exc:
            out.append(finding("jinja-syntax", "error", f"Text {name}: {exc.message}",
                               f"{manifest}:{line_of(name)}"))
            continue
        usage = analyse(tree)
        keys = _keys(usage, library.questionnaire, str(manifest), "", [], None, None)
        for use in usage.uses:
            resolved = resolve(use.path, library.questionnaire)
            if resolved.error and use.path[0] not in TEXT_EXTRAS.get(name, ()):
                out.append(finding("unknown-variable", "error", f"Text {name}: {resolved.error}",
                                   f"{manifest}:{line_of(name)}"))
        analysis.used |= keys
        analysis.used |= {IMPLICIT_BY_CALL[c] for c in usage.calls if c in IMPLICIT_BY_CALL}
        out += use_findings(library, [(p, line_of(name)) for p, _ in usage.designation_uses()],
                            [(n, m, c, line_of(name)) for n, m, c, _ in usage.designation_calls],
                            str(manifest))
    return out


def _unused_questions(sources: Sources, analysis: Analysis) -> list[Finding]:
    library = sources.library
    assert library is not None
    questionnaire_path = library.root / "questionnaire.yaml"
    used = analysis.used
    out = []

    def is_used(q: Question) -> bool:
        if q.path in used:
            return True
        return any(p.startswith(q.path + ".") for p in used)

    def covered(q: Question) -> bool:          # a list of groups is used as a whole
        parts = q.path.split(".")
        return any(".".join(parts[:n]) in used for n in range(1, len(parts)))

    def visit(questions: tuple[Question, ...]) -> None:
        for q in questions:
            if is_used(q):
                if q.is_group:
                    visit(q.fields)
                continue
            if covered(q):
                continue
            line = sources.question_lines.get(q.path, 1)
            out.append(finding("unused-question", "warning", f"Die Frage {q.path!r} verwendet "
                               "keine Klausel, kein Text der Bibliothek und nicht das Programm.",
                               f"{questionnaire_path}:{line}", q.path))

    visit(library.questionnaire.questions)
    return out


def _references(sources: Sources, analysis: Analysis) -> list[Finding]:
    out = []
    for info in analysis.clauses.values():
        path = info.source.clause.path
        for ref in info.refs:
            where = f"{path}:{ref.line}"
            if ref.clause_id is None:
                out.append(finding("ref-unknown", "error", "ref() braucht die id der Klausel als "
                                   "festen Text in Anführungszeichen.", where, info.id))
                continue
            target = analysis.clauses.get(ref.clause_id)
            if target is None:
                if sources.source(ref.clause_id) is None:
                    out.append(finding("ref-unknown", "error", f"Verweis auf die Klausel "
                                       f"{ref.clause_id!r}, die es nicht gibt.", where, info.id))
                continue
            if ref.label is not None and ref.label not in target.labels:
                out.append(finding("ref-label", "error", f"Verweis auf den Absatz {ref.label!r} "
                                   f"der Klausel {ref.clause_id!r}, die keinen Absatz "
                                   f"absatz({ref.label!r}) hat.", where, info.id))
    return out


def _terms(analysis: Analysis) -> list[Finding]:
    """Defined terms: a use needs a definition somewhere in the library, a definition a use.
    (Whether the defining clause is in every contract that uses the term, the exhaustive render
    checks on whole contracts.)"""
    out = []
    defined = {name for info in analysis.clauses.values() for name, _ in info.terms_defined}
    used = {name for info in analysis.clauses.values() for name, _ in info.terms_used}
    for info in analysis.clauses.values():
        path = info.source.clause.path
        for name, line in info.terms_used:
            if name not in defined:
                out.append(finding("term-undefined", "error", f"Der Begriff {name!r} wird verwendet "
                                   f"(begriff), aber keine Klausel definiert ihn (definiere).",
                                   f"{path}:{line}", info.id))
        for name, line in dict.fromkeys(info.terms_defined):
            if name not in used:
                out.append(finding("term-unused", "warning", f"Der Begriff {name!r} wird definiert, "
                                   "aber keine Klausel verwendet ihn (begriff).", f"{path}:{line}",
                                   info.id))
    return out


def _replaces(sources: Sources) -> list[Finding]:
    out = []
    graph = {s.clause.id: s.clause.replaces for s in sources.clauses}
    for source in sources.clauses:
        for target in source.clause.replaces:
            if target not in graph:
                out.append(finding("replaces-unknown", "error", f"replaces nennt {target!r}, eine "
                                   "Klausel, die es nicht gibt.", source.at("replaces"),
                                   source.clause.id))
    reported: set[frozenset[str]] = set()
    for start in graph:
        stack: list[tuple[str, list[str]]] = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for target in graph.get(node, ()):
                if target == start:
                    cycle = frozenset(trail)
                    if cycle not in reported:
                        reported.add(cycle)
                        origin = sources.source(start)
                        assert origin is not None
                        out.append(finding("replaces-cycle", "error", "replaces bildet einen "
                                           f"Kreis: {' → '.join([*trail, start])}.",
                                           origin.at("replaces"), start))
                elif target not in trail and target in graph:
                    stack.append((target, [*trail, target]))
    return out


def _metadata(sources: Sources) -> list[Finding]:
    out = []
    for source in sources.clauses:
        clause = source.clause
        if not clause.legal:
            out.append(finding("legal-missing", "warning", "Keine Rechtsgrundlagen unter legal "
                               "(z. B. „BGB § 309 Nr. 5“).", source.at("legal")
                               if "legal" in source.key_lines else f"{clause.path}:2", clause.id))
        if not _reviewed(clause.reviewed):
            out.append(finding("reviewed-missing", "warning", "Kein Prüfvermerk reviewed "
                               "(by: Name, on: Datum): Die Klausel ist nicht anwaltlich geprüft.",
                               source.at("reviewed") if "reviewed" in source.key_lines
                               else f"{clause.path}:2", clause.id))
    return out


def reviewed_by_on(value: object) -> tuple[str, object] | None:
    """(who, when) of a `reviewed` entry: `by`/`von` and `on`/`am` (YAML reads a bare `on:` key
    as true, so that is accepted too)."""
    if not isinstance(value, dict):
        return None
    who = value.get("by") or value.get("von")
    when = value.get("on") or value.get("am") or value.get(True)
    return (str(who), when) if who and when else None


def _reviewed(value: object) -> bool:
    return reviewed_by_on(value) is not None
