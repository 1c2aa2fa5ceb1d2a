"""The one reader of a clause library: library.yaml, the questionnaire and every clause file.

It never stops at the first problem: every file is read on its own and every problem is kept
with its file, line and a code "library.<rule>" (the rule ids of `library check`). `load_library`
raises them all at once; `library check` reports them; the individual-order part of a library
(einzelauftrag/) is read by the same code with another layout.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..errors import LibraryError, Location, Problem
from ..questionnaire.schema import Questionnaire, load_questionnaire
from ..yamlload import YAML_LOADER, yaml_problem
from .designations import read_designations
from .edition import (
    check_texts,
    clause_translation,
    edition_name,
    fee_labels,
    key_line,
    profession_words,
)
from .frontmatter import read_front_matter
from .model import Clause, Library, Untranslated
from .wording import base_language, read_language, read_wording

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CLAUSE_KEYS = frozenset({
    "id", "title", "section", "order", "version", "when", "replaces", "requires", "legal",
    "topic", "safeguards", "anlage", "hinweis", "kurzform", "reviewed", "email_volltext",
})
REQUIRED_TEXTS = ("titel", "untertitel", "praeambel", "email_betreff", "email_anrede",
                  "email_einleitung", "email_bestaetigung", "email_gruss")


@dataclass(frozen=True)
class Layout:
    """Where the parts of a library lie: the main library, or its individual-order part."""

    manifest: str
    clauses: str
    questionnaire: str
    required_texts: tuple[str, ...]


MAIN = Layout("library.yaml", "clauses", "questionnaire.yaml", REQUIRED_TEXTS)
ORDERS = Layout("auftrag.yaml", "klauseln", "fragebogen.yaml", ())
ORDER_DIR = "einzelauftrag"


@dataclass
class ClauseSource:
    """A clause as read, with its front matter and the line of each key (for findings)."""

    clause: Clause
    meta: dict[str, Any]
    key_lines: dict[str, int]
    ok: bool = True              # body, short form and condition compile

    def line(self, key: str) -> int:
        return self.key_lines.get(key, 2)

    def at(self, key: str) -> str:
        return f"{self.clause.path}:{self.line(key)}"


@dataclass
class LibrarySource:
    """Everything read from a library directory, and every problem found while reading."""

    root: Path
    library: Library | None                    # None when library.yaml is unusable
    clauses: list[ClauseSource] = field(default_factory=list)
    question_lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # the language editions (en/ …), each with its own problems (library/edition.py)
    editions: list[LibrarySource] = field(default_factory=list)

    def source(self, clause_id: str) -> ClauseSource | None:
        return next((s for s in self.clauses if s.clause.id == clause_id), None)


def read_library(root: Path, *, layout: Layout = MAIN, main: Library | None = None,
                 compile_templates: bool = True) -> LibrarySource:
    """Read a library (or, with `layout=ORDERS` and `main`, its individual-order part).
    `compile_templates` also compiles every body, short form and condition (else they compile
    when first used)."""
    source = LibrarySource(root=root, library=None)
    out = source.problems
    if main is None and root.is_dir():
        from ..libfiles import tree_problems

        out.extend(tree_problems(root)[0])  # links out of the library, devices, FIFOs, huge files
        if out:
            return source
    manifest_path = root / layout.manifest
    manifest = _manifest(root, manifest_path, out)
    if manifest is None:
        return source
    sections = tuple(str(s) for s in manifest.get("sections") or ())
    texts = manifest.get("texte") or {}
    if not isinstance(texts, dict):
        out.append(Problem("error", "texte muss aus Schlüssel: Wert-Paaren bestehen.",
                           str(manifest_path), code="library.library-yaml"))
        texts = {}
    for name in layout.required_texts:
        if name not in texts:
            out.append(Problem("error", f"Text {name!r} fehlt unter texte.", str(manifest_path),
                               code="library.library-yaml"))
    questionnaire_path = root / layout.questionnaire
    questionnaire = _questionnaire(questionnaire_path, out)
    if main is None:
        from ..questionnaire.professions import read_professions

        questionnaire = read_professions(root, questionnaire, out)
    source.question_lines = question_lines(questionnaire_path)
    seen: dict[str, Path] = {}
    for path in sorted((root / layout.clauses).glob("*.md")):
        clause_source = read_clause(path, sections, out, layout.manifest)
        if clause_source is None:
            continue
        clause = clause_source.clause
        if clause.id in seen:
            out.append(Problem("error", f"Die id {clause.id!r} gibt es schon in "
                               f"{seen[clause.id].name}.", clause_source.at("id"), clause.id,
                               code="library.duplicate-id"))
            continue
        seen[clause.id] = path
        source.clauses.append(clause_source)
    if main is None and not source.clauses and not out:
        out.append(Problem("error", "Die Bibliothek enthält keine Klauseln.",
                           str(root / layout.clauses), code="library.library-yaml"))
    if main is None:
        language = read_language(manifest.get("sprache"), str(manifest_path), out)
        wording = read_wording(manifest.get("begriffe"), language, str(manifest_path), out)
        name, version = str(manifest.get("name", root.name)), str(manifest.get("version", "0"))
        reference = _reference(root, str(manifest.get("reference_docx", "reference.docx")), out)
    else:
        language, wording, reference = main.language, main.wording, main.reference_docx
        name, version = main.name, main.version
    designations = (read_designations(manifest.get("bezeichnungen"), str(manifest_path), out)
                    if main is None else main.designations)
    if compile_templates:
        for clause_source in source.clauses:
            _compile(clause_source, out)
    annex_words, annex_key = (_annex_listing(manifest.get("anlagenliste"), questionnaire,
                                             str(manifest_path), out)
                              if main is None else (None, None))
    source.library = Library(
        root=root, name=name, version=version, language=language, wording=wording,
        sections=sections, texts=dict(texts), questionnaire=questionnaire,
        clauses=tuple(s.clause for s in source.clauses if s.ok), reference_docx=reference,
        manifest_name=layout.manifest, annexes=_strings(manifest.get("anlagen")),
        annex_words=annex_words, annex_key=annex_key, designations=designations)
    if main is None:
        from .edition import edition_directories

        source.editions = [read_edition(source, directory, MAIN, compile_templates=compile_templates)
                           for directory in edition_directories(root)]
        source.library = replace(source.library, editions=tuple(
            e.library for e in source.editions if e.library is not None))
    return source


def read_edition(source: LibrarySource, directory: Path, layout: Layout, *,
                 main: Library | None = None, compile_templates: bool = True) -> LibrarySource:
    """The edition in `directory` of the library read into `source` (a reader.LibrarySource
    with its library). `main`: for an order part, the main library's edition (its language
    and words). Returns a LibrarySource whose library is the edition."""
    german = source.library
    assert german is not None
    edition = LibrarySource(root=directory, library=None)
    out = edition.problems
    code = directory.name if main is None else main.language.split("-")[0]
    untranslated: list[Untranslated] = []
    manifest_path = directory / layout.manifest
    source_manifest = german.root / layout.manifest
    manifest = _manifest(directory, manifest_path, out) if manifest_path.is_file() else None
    if manifest is None:
        if not manifest_path.is_file():
            out.append(Problem("error", f"{manifest_path.name} fehlt: Die {edition_name(code)} "
                               f"Fassung von {source_manifest} ist nicht übersetzt.",
                               str(manifest_path), code="library.translation-texts"))
        manifest = {}
    if main is None:
        language = read_language(manifest.get("sprache"), str(manifest_path), out)
        if base_language(language) != code:
            out.append(Problem("error", f"sprache {language} passt nicht zum Ordner {code}/.",
                               f"{manifest_path}:{key_line(manifest_path, 'sprache')}",
                               code="library.library-yaml"))
        wording = read_wording(manifest.get("begriffe"), language, str(manifest_path), out)
        reference = german.reference_docx
        if manifest.get("reference_docx"):
            reference = _reference(directory, str(manifest["reference_docx"]), out)
    else:
        language, wording, reference = main.language, main.wording, main.reference_docx
    texts = manifest.get("texte") or {}
    if not isinstance(texts, dict):
        out.append(Problem("error", "texte muss aus Schlüssel: Wert-Paaren bestehen.",
                           str(manifest_path), code="library.library-yaml"))
        texts = {}
    questionnaire = german.questionnaire
    if main is None and manifest_path.is_file():
        questionnaire = profession_words(questionnaire, manifest.get("berufsworte"),
                                         manifest_path, out, untranslated)
    if manifest_path.is_file():
        check_texts(dict(german.texts), texts, manifest_path, source_manifest, out)
        translates = manifest.get("translates")
        if str(translates or "") != german.version:
            out.append(Problem("error", f"translates: {translates or '(fehlt)'}, die Bibliothek hat "
                               f"Version {german.version}: Die Texte mit {source_manifest} "
                               "abgleichen (CHANGELOG.md nennt die Änderungen), dann translates: "
                               f"{german.version}.",
                               f"{manifest_path}:{key_line(manifest_path, 'translates')}",
                               code="library.translation-stale"))
            untranslated.append(Untranslated("texte", layout.manifest, "veraltet",
                                             str(translates or ""), german.version))
    clauses: list[Clause] = []
    folder = directory / layout.clauses
    known = {s.clause.id for s in source.clauses}
    for german_source in source.clauses:
        clause = german_source.clause
        path = folder / f"{clause.id}.md"
        if not path.is_file():
            out.append(Problem("error", f"Die Klausel hat keine {edition_name(code)} Fassung "
                               f"({path} fehlt).", german_source.at("id"), clause.id,
                               code="library.translation-missing"))
            untranslated.append(Untranslated("klausel", clause.id, "fehlt", "", clause.version))
            clauses.append(clause)
            continue
        translated, meta, lines, reason = clause_translation(path, clause, out)
        if translated is None:
            untranslated.append(Untranslated("klausel", clause.id, "fehlerhaft", "",
                                             clause.version))
            clauses.append(clause)
            continue
        item = ClauseSource(translated, meta, lines)
        if compile_templates:
            _compile(item, out)
        if not item.ok:
            reason = reason or "fehlerhaft"
        if reason:
            untranslated.append(Untranslated("klausel", clause.id, reason,
                                             str(meta.get("translates") or ""), clause.version))
        edition.clauses.append(item)
        clauses.append(translated if not reason else clause)
    if folder.is_dir():
        for path in sorted(folder.glob("*.md")):
            if path.stem not in known:
                out.append(Problem("error", f"Übersetzung ohne deutsche Klausel: "
                                   f"{german.root / layout.clauses / path.name} gibt es nicht.",
                                   f"{path}:1", path.stem, code="library.translation-orphan"))
    if main is None:
        fee_labels(german, wording, manifest_path, out, untranslated)
    edition.question_lines = source.question_lines
    edition.library = Library(
        root=directory, name=german.name, version=german.version, language=language,
        wording=wording, sections=german.sections, texts=dict(texts),
        questionnaire=questionnaire, clauses=tuple(clauses), reference_docx=reference,
        manifest_name=layout.manifest, annexes=german.annexes,
        source_root=german.root, untranslated=tuple(untranslated),
        edition_problems=tuple(out))
    return edition


def _reference(root: Path, name: str, out: list[Problem]) -> Path:
    """The reference DOCX the library names, which must lie inside it (libfiles.inside)."""
    from ..libfiles import inside

    try:
        return inside(root, name, "reference_docx")
    except LibraryError as exc:
        out.extend(exc.problems)
        return root / "reference.docx"


ANNEX_KEYS = frozenset({"titel", "gesondert", "in_email", "weitere"})


def _annex_listing(data: Any, questionnaire: Questionnaire, where: str,
                   out: list[Problem]) -> tuple[Any, str | None]:
    """library.yaml `anlagenliste`: the words of the list of annexes and the answer with
    further annexes (a text list of the questionnaire)."""
    from ..model.transforms import AnnexWords

    if data is None:
        return None, None
    if not isinstance(data, dict) or set(data) - ANNEX_KEYS or not data.get("titel"):
        out.append(Problem("error", "anlagenliste braucht titel und darf gesondert, in_email und "
                           "weitere enthalten.", where, "anlagenliste",
                           code="library.library-yaml"))
        return None, None
    key = data.get("weitere")
    if key is not None:
        question = next((q for q in questionnaire.walk() if q.path == str(key)), None)
        if question is None or not question.is_text_list:
            out.append(Problem("error", f"anlagenliste.weitere: {key!r} ist keine Liste "
                               "(textlist) im Fragebogen.", where, "anlagenliste.weitere",
                               code="library.library-yaml"))
            key = None
    words = AnnexWords(title=str(data["titel"]), separate=str(data.get("gesondert", "") or ""),
                       in_email=str(data.get("in_email", "") or ""))
    return words, None if key is None else str(key)


def read_order_library(main: Library, *, compile_templates: bool = False) -> LibrarySource:
    """The individual-order part of `main` (its folder einzelauftrag/); for an edition the
    source library's order part with the edition's translations over it."""
    if main.source_root is not None:
        german = read_library(main.source_root / ORDER_DIR, layout=ORDERS, main=main,
                              compile_templates=False)
        if german.library is None or german.problems:
            return german
        return read_edition(german, main.root / ORDER_DIR, ORDERS, main=main,
                            compile_templates=compile_templates)
    root = main.root / ORDER_DIR
    if not (root / ORDERS.manifest).is_file():
        source = LibrarySource(root=root, library=None)
        source.problems.append(Problem(
            "error", f"Die Klauselbibliothek {main.root} enthält keine Vorlagen für Einzelaufträge "
            f"({root / ORDERS.manifest} fehlt).", str(root), code="library.order-load"))
        return source
    return read_library(root, layout=ORDERS, main=main, compile_templates=compile_templates)


def raise_problems(source: LibrarySource, message: str) -> Library:
    """The library, or a LibraryError (exit 4) naming every problem found while reading it."""
    if source.problems or source.library is None:
        raise LibraryError(message, tuple(source.problems))
    return source.library


def _manifest(root: Path, path: Path, out: list[Problem]) -> dict[str, Any] | None:
    if not root.is_dir():
        out.append(Problem("error", "Das Verzeichnis gibt es nicht.", str(root),
                           code="library.library-yaml"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        manifest = yaml.load(text, Loader=YAML_LOADER)
    except FileNotFoundError:
        out.append(Problem("error", f"{path.name} fehlt: Das ist keine Klauselbibliothek.",
                           str(path), code="library.library-yaml"))
        return None
    except UnicodeDecodeError:
        out.append(Problem("error", "ist nicht in UTF-8 gespeichert.", str(path),
                           code="library.library-yaml"))
        return None
    except OSError as exc:
        from ..output import describe_os_error

        out.append(Problem("error", f"nicht lesbar: {describe_os_error(exc)}.", str(path),
                           code="library.library-yaml"))
        return None
    except yaml.YAMLError as exc:
        number, problem = yaml_problem(exc, text)
        out.append(Problem("error", f"YAML-Fehler: {problem}", Location(str(path), number or 1),
                           code="library.yaml-syntax"))
        return None
    if not isinstance(manifest, dict):
        out.append(Problem("error", "erwartet Schlüssel name, version, sections, texte.", str(path),
                           code="library.library-yaml"))
        return None
    return manifest


def _questionnaire(path: Path, out: list[Problem]) -> Questionnaire:
    try:
        return load_questionnaire(path)
    except LibraryError as exc:
        if not exc.problems:
            out.append(Problem("error", exc.message, str(path), code="library.questionnaire"))
        for problem in exc.problems:
            out.append(Problem("error", problem.message, str(path), problem.key,
                               code="library.questionnaire"))
        return Questionnaire((), str(path))


def read_clause(path: Path, sections: tuple[str, ...], out: list[Problem],
                manifest: str = MAIN.manifest) -> ClauseSource | None:
    """One clause file; its problems go to `out`, None when it cannot be used at all."""
    head = read_front_matter(path, CLAUSE_KEYS, out)
    if head is None:
        return None
    meta, key_lines, node = head.meta, head.key_lines, head.node
    clause_id = str(meta.get("id", ""))
    if not ID_RE.match(clause_id):
        out.append(Problem("error", f"id {clause_id!r} fehlt oder ist nicht kebab-case (nur a–z, "
                           "0–9 und Bindestriche).", f"{path}:{key_lines.get('id', 2)}",
                           code="library.id-format"))
        return None
    if clause_id != path.stem:
        out.append(Problem("error", f"id {clause_id!r} passt nicht zum Dateinamen {path.name} "
                           f"(erwartet: {path.stem}).", f"{path}:{key_lines.get('id', 2)}",
                           clause_id, code="library.id-filename"))
    for key in ("title", "section", "version"):
        if not meta.get(key):
            out.append(Problem("error", f"Pflichtangabe {key!r} fehlt.", f"{path}:2", clause_id,
                               code="library.missing-field"))
    section = str(meta.get("section", ""))
    if section and section not in sections:
        out.append(Problem("error", f"section {section!r} steht nicht in {manifest} "
                           f"(erlaubt: {', '.join(sections)}).",
                           f"{path}:{key_lines.get('section', 2)}", clause_id,
                           code="library.unknown-section"))
    short_line = 0
    if node is not None:
        for key_node, value_node in node.value:
            if key_node.value == "kurzform":
                block = getattr(value_node, "style", None) in ("|", ">")
                short_line = value_node.start_mark.line + 2 + (1 if block else 0)
    when = meta.get("when")
    try:
        clause = Clause(
            id=clause_id, path=path, title=str(meta.get("title", "")), section=section,
            version=str(meta.get("version", "")), body=head.body, body_line=head.body_line,
            order=_order(meta.get("order", 50), path, key_lines, out),
            when=None if when is None else str(when),
            replaces=_strings(meta.get("replaces")), requires=_strings(meta.get("requires")),
            legal=_strings(meta.get("legal")), topic=meta.get("topic"),
            safeguards=_strings(meta.get("safeguards")),
            annex=bool(meta.get("anlage", False)), email_full=bool(meta.get("email_volltext", False)),
            note=str(meta.get("hinweis", "") or ""),
            short=None if meta.get("kurzform") is None else str(meta["kurzform"]),
            short_line=short_line, reviewed=meta.get("reviewed"),
            title_line=key_lines.get("title", 2),
            sha256=hashlib.sha256(head.raw).hexdigest(),
        )
    except (TypeError, ValueError) as exc:
        out.append(Problem("error", f"Kopf nicht verwendbar: {exc}", f"{path}:2", clause_id,
                           code="library.yaml-syntax"))
        return None
    return ClauseSource(clause, meta, key_lines)


def _strings(value: Any) -> tuple[str, ...]:
    """A list of names in the head; a single name written without brackets counts as one."""
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    return tuple(str(item) for item in value)


def _order(value: Any, path: Path, key_lines: dict[str, int], out: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    out.append(Problem("error", f"order muss eine ganze Zahl sein, nicht {value!r}.",
                       f"{path}:{key_lines.get('order', 2)}", code="library.yaml-syntax"))
    return 50


def _compile(source: ClauseSource, out: list[Problem]) -> None:
    """Body, short form and condition must compile; a clause that does not is left out."""
    from jinja2 import TemplateSyntaxError

    from ..templating import environment
    from .templates import compile_template

    clause = source.clause
    parts = [(clause.body, clause.body_line)]
    if "{" in clause.title:
        parts.append((clause.title, clause.title_line))
    if clause.short is not None:
        parts.append((clause.short, clause.short_line))
    for text, line in parts:
        try:
            compile_template(text, clause.path, line)
        except TemplateSyntaxError as exc:
            out.append(Problem("error", f"Jinja-Syntaxfehler: {exc.message}",
                               f"{clause.path}:{exc.lineno}", clause.id, code="library.jinja-syntax"))
            source.ok = False
    if clause.when is not None:
        try:
            environment().compile_expression(clause.when)
        except TemplateSyntaxError as exc:
            out.append(Problem("error", f"Bedingung when ist kein gültiger Ausdruck: {exc.message}",
                               source.at("when"), clause.id, code="library.jinja-syntax"))
            source.ok = False


def question_lines(path: Path) -> dict[str, int]:
    """Question path -> line of its `key:` in the questionnaire file."""
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
        walk(yaml.compose(path.read_text(encoding="utf-8"), Loader=YAML_LOADER), "")
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        pass
    return lines
