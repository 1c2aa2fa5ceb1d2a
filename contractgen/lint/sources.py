"""Tolerant loading for the check: every clause file on its own, every problem kept with its line.

`load_library` stops at the first broken library; the check wants all problems at once and the
line of each front-matter key, so it reads the files itself and builds the Library from the
clauses that could be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateSyntaxError

from ..errors import LibraryError
from ..library.loader import _CLAUSE_KEYS, _ID_RE, Clause, Library, _load_clause, compile_template
from ..questionnaire.schema import Questionnaire, load_questionnaire
from ..templating import environment
from ..yamlload import YAML_LOADER
from .findings import Finding


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=YAML_LOADER)



@dataclass
class ClauseSource:
    clause: Clause
    meta: dict[str, Any]
    key_lines: dict[str, int]
    ok: bool = True              # body, short form and condition compile

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 2)

    def at(self, key: str) -> str:
        return f"{self.clause.path}:{self.line(key)}"


@dataclass
class Sources:
    root: Path
    library: Library | None
    clauses: list[ClauseSource] = field(default_factory=list)
    question_lines: dict[str, int] = field(default_factory=dict)
    manifest_lines: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def source(self, clause_id: str) -> ClauseSource | None:
        return next((s for s in self.clauses if s.clause.id == clause_id), None)


def finding(rule: str, level: str, message: str, where: str, clause: str = "") -> Finding:
    return Finding(level, message, where, clause, rule=rule)


def read_sources(root: Path) -> Sources:
    sources = Sources(root=root, library=None)
    manifest_path = root / "library.yaml"
    out = sources.findings
    if not root.is_dir():
        out.append(finding("library-yaml", "error", "Das Verzeichnis gibt es nicht.", str(root)))
        return sources
    try:
        text = manifest_path.read_text(encoding="utf-8")
        manifest = _load_yaml(text)
        node = yaml.compose(text)
    except (OSError, UnicodeDecodeError) as exc:
        out.append(finding("library-yaml", "error", f"nicht lesbar: {exc}", str(manifest_path)))
        return sources
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        out.append(finding("yaml-syntax", "error", f"YAML-Fehler: {exc.problem}",
                           f"{manifest_path}:{line}"))
        return sources
    if not isinstance(manifest, dict):
        out.append(finding("library-yaml", "error", "erwartet Schlüssel name, version, sections, "
                           "texte.", str(manifest_path)))
        return sources
    sources.manifest_lines = _mapping_lines(node, 0)
    sections = tuple(str(s) for s in manifest.get("sections") or ())
    texts = manifest.get("texte") or {}
    try:
        questionnaire = load_questionnaire(root / "questionnaire.yaml")
    except LibraryError as exc:
        problems = exc.problems or ()
        where = str(root / "questionnaire.yaml")
        if not problems:
            out.append(finding("questionnaire", "error", exc.message, where))
        for problem in problems:
            out.append(finding("questionnaire", "error", f"{problem.key}: {problem.message}",
                               where))
        questionnaire = Questionnaire((), where)
    else:
        sources.question_lines = _question_lines(root / "questionnaire.yaml")
    seen: dict[str, Path] = {}
    for path in sorted((root / "clauses").glob("*.md")):
        source = _read_clause(path, sections, out)
        if source is None:
            continue
        clause = source.clause
        if clause.id in seen:
            out.append(finding("duplicate-id", "error", f"Die id {clause.id!r} gibt es schon in "
                               f"{seen[clause.id].name}.", source.at("id"), clause.id))
            continue
        seen[clause.id] = path
        sources.clauses.append(source)
    library = Library(
        root=root, name=str(manifest.get("name", root.name)),
        version=str(manifest.get("version", "0")), sections=sections, texts=dict(texts),
        questionnaire=questionnaire,
        clauses=tuple(s.clause for s in sources.clauses if s.ok),
        reference_docx=root / str(manifest.get("reference_docx", "reference.docx")),
    )
    for source in sources.clauses:
        _compile(library, source, out)
    library.clauses = tuple(s.clause for s in sources.clauses if s.ok)
    sources.library = library
    return sources


def _read_clause(path: Path, sections: tuple[str, ...], out: list[Finding]) -> ClauseSource | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        out.append(finding("yaml-syntax", "error", f"Datei nicht lesbar: {exc}", str(path)))
        return None
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if lines[0].strip() != "---" or end is None:
        out.append(finding("yaml-syntax", "error", "Die Datei muss mit einem Kopf zwischen zwei "
                           "Zeilen „---“ beginnen.", f"{path}:1"))
        return None
    header = "\n".join(lines[1:end])
    try:
        node = yaml.compose(header, Loader=YAML_LOADER)
        meta = _load_yaml(header)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        out.append(finding("yaml-syntax", "error", f"YAML-Fehler im Kopf: {exc.problem}",
                           f"{path}:{mark.line + 2 if mark else 1}"))
        return None
    if not isinstance(meta, dict):
        out.append(finding("yaml-syntax", "error", "Der Kopf muss Schlüssel: Wert-Paare "
                           "enthalten.", f"{path}:2"))
        return None
    key_lines = _mapping_lines(node, 1)
    clause_id = str(meta.get("id", ""))
    for key in meta:
        if key not in _CLAUSE_KEYS:
            out.append(finding("unknown-key", "error", f"unbekannter Schlüssel {key!r} im Kopf "
                               f"(erlaubt: {', '.join(sorted(_CLAUSE_KEYS))}).",
                               f"{path}:{key_lines.get(str(key), 2)}", clause_id))
    if not _ID_RE.match(clause_id):
        out.append(finding("id-format", "error", f"id {clause_id!r} fehlt oder ist nicht "
                           "kebab-case (nur a–z, 0–9 und Bindestriche).",
                           f"{path}:{key_lines.get('id', 2)}"))
        return None
    if clause_id != path.stem:
        out.append(finding("id-filename", "error", f"id {clause_id!r} passt nicht zum Dateinamen "
                           f"{path.name} (erwartet: {path.stem}).",
                           f"{path}:{key_lines.get('id', 2)}", clause_id))
    for key in ("title", "section", "version"):
        if not meta.get(key):
            out.append(finding("missing-field", "error", f"Pflichtangabe {key!r} fehlt.",
                               f"{path}:2", clause_id))
    section = str(meta.get("section", ""))
    if section and section not in sections:
        out.append(finding("unknown-section", "error", f"section {section!r} steht nicht in "
                           f"library.yaml (erlaubt: {', '.join(sections)}).",
                           f"{path}:{key_lines.get('section', 2)}", clause_id))
    try:
        clause = _load_clause(path, sections, [])
    except (TypeError, ValueError) as exc:
        out.append(finding("yaml-syntax", "error", f"Kopf nicht verwendbar: {exc}", f"{path}:2",
                           clause_id))
        return None
    if clause is None:
        return None
    return ClauseSource(clause, meta, key_lines)


def _compile(library: Library, source: ClauseSource, out: list[Finding]) -> None:
    clause = source.clause
    parts = [("body", clause.body, clause.body_line)]
    if clause.short is not None:
        parts.append(("short", clause.short, clause.short_line))
    for _part, text, line in parts:
        try:
            compile_template(text, clause.path, line)
        except TemplateSyntaxError as exc:
            out.append(finding("jinja-syntax", "error", f"Jinja-Syntaxfehler: {exc.message}",
                               f"{clause.path}:{exc.lineno}", clause.id))
            source.ok = False
    if clause.when is not None:
        try:
            environment().compile_expression(clause.when)
        except TemplateSyntaxError as exc:
            out.append(finding("jinja-syntax", "error", f"Bedingung when ist kein gültiger "
                               f"Ausdruck: {exc.message}", source.at("when"), clause.id))
            source.ok = False


def _mapping_lines(node: yaml.Node | None, offset: int) -> dict[str, int]:
    """Key -> 1-based line (offset: lines before the YAML text, e.g. the opening ---)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 + offset for k, _ in node.value}


def _question_lines(path: Path) -> dict[str, int]:
    """Question path -> line of its `key:` in questionnaire.yaml."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node | None, prefix: str) -> None:
        if not isinstance(node, yaml.SequenceNode):
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                continue
            entries = {str(k.value): (k, v) for k, v in item.value}
            if "key" not in entries:
                continue
            key_node, value_node = entries["key"]
            question_path = f"{prefix}{value_node.value}"
            lines[question_path] = key_node.start_mark.line + 1
            if "fields" in entries:
                walk(entries["fields"][1], question_path + ".")

    try:
        walk(yaml.compose(path.read_text(encoding="utf-8")), "")
    except (OSError, yaml.YAMLError):
        pass
    return lines
