"""Loading a clause library from disk: library.yaml, questionnaire.yaml, clauses/*.md."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template, TemplateSyntaxError

from ..cache import fingerprint, load_code, load_object, store_code, store_object
from ..errors import LibraryError, Problem
from ..questionnaire.schema import Questionnaire, load_questionnaire
from ..templating import environment
from ..yamlload import YAML_LOADER
from .frontmatter import read_front_matter

ENV_VARIABLE = "CONTRACTGEN_LIBRARY"

_ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CLAUSE_KEYS = frozenset({
    "id", "title", "section", "order", "version", "when", "replaces", "requires", "legal",
    "topic", "safeguards", "anlage", "hinweis", "kurzform", "reviewed", "email_volltext",
})
REQUIRED_TEXTS = ("titel", "untertitel", "praeambel", "email_betreff", "email_anrede",
                  "email_einleitung", "email_bestaetigung", "email_gruss")


@dataclass(frozen=True)
class Clause:
    id: str
    path: Path
    title: str
    section: str
    version: str
    body: str
    body_line: int                 # file line of the body's first line
    order: int = 50
    when: str | None = None
    replaces: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    legal: tuple[str, ...] = ()
    topic: str | None = None
    safeguards: tuple[str, ...] = ()
    annex: bool = False
    email_full: bool = False
    note: str = ""
    short: str | None = None
    short_line: int = 0
    reviewed: Any = None
    sha256: str = ""


@dataclass
class Library:
    root: Path
    name: str
    version: str
    sections: tuple[str, ...]
    texts: dict[str, Any]
    questionnaire: Questionnaire
    clauses: tuple[Clause, ...]
    reference_docx: Path
    _templates: dict[tuple[str, str], Template] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_templates"] = {}  # compiled templates have their own cache (codecache)
        return state

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def template(self, clause: Clause, part: str) -> Template:
        """The compiled body or short form of a clause (compiled once per library)."""
        key = (clause.id, part)
        if key not in self._templates:
            source = clause.body if part == "body" else clause.short or ""
            line = clause.body_line if part == "body" else clause.short_line
            try:
                self._templates[key] = compile_template(source, clause.path, line)
            except TemplateSyntaxError as exc:
                raise LibraryError("Die Klauselbibliothek ist fehlerhaft.", (Problem(
                    "error", f"Jinja-Syntaxfehler: {exc.message}", f"{clause.path}:{exc.lineno}",
                    clause.id, code="library.jinja-syntax"),)) from None
        return self._templates[key]

    def text_template(self, name: str) -> Template:
        return self.source_template(str(self.texts[name]))

    def source_template(self, source: str) -> Template:
        """A compiled template for a text from library.yaml (cached by its source)."""
        key = ("__text__", source)
        if key not in self._templates:
            self._templates[key] = compile_template(source, self.root / "library.yaml", 1)
        return self._templates[key]


def compile_template(source: str, path: Path, first_line: int) -> Template:
    """Compile with line numbers that match the clause file (padding keeps Jinja's lines right)."""
    env = environment()
    padded = "\n" * (first_line - 1) + source
    code = load_code(padded, str(path))
    if code is None:
        from ..limits import TemplateTimeout, time_limit

        try:
            with time_limit():
                code = env.compile(padded, name=path.name, filename=str(path))
        except TemplateTimeout:
            raise LibraryError(f"{path}: Die Vorlage lässt sich nicht in angemessener Zeit "
                               "übersetzen; sie wurde abgebrochen.") from None
        store_code(padded, str(path), code)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def default_library_path() -> Path:
    configured = os.environ.get(ENV_VARIABLE)
    if configured:
        return Path(configured)
    package = Path(__file__).resolve().parent.parent
    installed = package / "clause_library"
    if installed.is_dir():
        return installed
    return package.parent / "clause_library"  # a source checkout


def load_library(path: Path | str | None = None, *, compile_all: bool = True) -> Library:
    """Load and check a library. `compile_all=False` compiles templates only when first used
    (a syntax error then surfaces as a LibraryError when that clause is rendered) and reuses a
    parsed copy from the disk cache while no file of the library has changed."""
    root = Path(path) if path is not None else default_library_path()
    if not root.is_dir():
        raise LibraryError(f"Die Klauselbibliothek {root} gibt es nicht (oder sie ist kein "
                           "Verzeichnis). Prüfen Sie --library bzw. CONTRACTGEN_LIBRARY.")
    if compile_all:
        return _load_library(root, compile_all=True)
    from .._version import __version__

    files = [p for p in root.rglob("*") if p.is_file()]
    key = fingerprint(files, str(root.resolve()), __version__)
    cached = load_object("library", key)
    if isinstance(cached, Library) and cached.root == root:
        return cached
    library = _load_library(root, compile_all=False)
    store_object("library", key, library)
    return library


def _load_library(root: Path, *, compile_all: bool) -> Library:
    manifest_path = root / "library.yaml"
    try:
        manifest = yaml.load(manifest_path.read_text(encoding="utf-8"), Loader=YAML_LOADER)
    except FileNotFoundError:
        raise LibraryError(f"{manifest_path} fehlt: Das ist keine Klauselbibliothek.") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LibraryError(f"{manifest_path} kann nicht gelesen werden: {exc}") from None
    problems: list[Problem] = []
    if not isinstance(manifest, dict):
        raise LibraryError(f"{manifest_path}: erwartet Schlüssel name, version, sections, texte.")
    sections = tuple(str(s) for s in manifest.get("sections") or ())
    texts = manifest.get("texte") or {}
    for name in REQUIRED_TEXTS:
        if name not in texts:
            problems.append(Problem("error", f"Text {name!r} fehlt unter texte.",
                                    str(manifest_path), code="library.library-yaml"))
    questionnaire = load_questionnaire(root / "questionnaire.yaml")
    clauses = []
    seen: dict[str, Path] = {}
    for clause_path in sorted((root / "clauses").glob("*.md")):
        clause = _load_clause(clause_path, sections, problems)
        if clause is None:
            continue
        if clause.id in seen:
            problems.append(Problem("error", f"Die id {clause.id!r} gibt es schon in "
                                    f"{seen[clause.id].name}.", f"{clause_path}:2",
                                    code="library.duplicate-id"))
            continue
        seen[clause.id] = clause_path
        clauses.append(clause)
    if not clauses and not problems:
        problems.append(Problem("error", "Die Bibliothek enthält keine Klauseln.",
                                str(root / "clauses"), code="library.library-yaml"))
    library = Library(
        root=root, name=str(manifest.get("name", root.name)),
        version=str(manifest.get("version", "0")), sections=sections, texts=dict(texts),
        questionnaire=questionnaire, clauses=tuple(clauses),
        reference_docx=root / str(manifest.get("reference_docx", "reference.docx")),
    )
    for clause in clauses if compile_all else ():
        for part in ("body", "short"):
            if part == "short" and clause.short is None:
                continue
            try:
                library.template(clause, part)
            except TemplateSyntaxError as exc:
                problems.append(Problem("error", f"Jinja-Syntaxfehler: {exc.message}",
                                        f"{clause.path}:{exc.lineno}", clause.id,
                                        code="library.jinja-syntax"))
    if problems:
        raise LibraryError(f"Die Klauselbibliothek {root} ist fehlerhaft.", tuple(problems))
    return library


def _strings(value: Any) -> tuple[str, ...]:
    """A list of names in the head; a single name written without brackets counts as one."""
    if value is None:
        return ()
    if isinstance(value, (str, int, float)):
        return (str(value),)
    return tuple(str(item) for item in value)


def _order(value: Any, path: Path, key_lines: dict[str, int], problems: list[Problem]) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    problems.append(Problem("error", f"order muss eine ganze Zahl sein, nicht {value!r}.",
                            f"{path}:{key_lines.get('order', 2)}", code="library.yaml-syntax"))
    return 50


def _load_clause(path: Path, sections: tuple[str, ...], problems: list[Problem]) -> Clause | None:
    head = read_front_matter(path, _CLAUSE_KEYS, problems)
    if head is None:
        return None
    meta, key_lines, node = head.meta, head.key_lines, head.node
    clause_id = str(meta.get("id", ""))
    where = f"{path}:{key_lines.get('id', 2)}"
    if not _ID_RE.match(clause_id):
        problems.append(Problem("error", f"id {clause_id!r} fehlt oder ist nicht kebab-case.",
                                where, code="library.id-format"))
        return None
    if clause_id != path.stem:
        problems.append(Problem("error", f"id {clause_id!r} passt nicht zum Dateinamen "
                                f"{path.name}.", where, code="library.id-filename"))
    for key in ("title", "section", "version"):
        if not meta.get(key):
            problems.append(Problem("error", f"Pflichtangabe {key!r} fehlt.", f"{path}:2",
                                    clause_id, code="library.missing-field"))
    section = str(meta.get("section", ""))
    if section and section not in sections:
        problems.append(Problem("error", f"section {section!r} steht nicht in library.yaml "
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
    return Clause(
        id=clause_id, path=path, title=str(meta.get("title", "")), section=section,
        version=str(meta.get("version", "")), body=head.body,
        body_line=head.body_line, order=_order(meta.get("order", 50), path, key_lines, problems),
        when=None if when is None else str(when),
        replaces=_strings(meta.get("replaces")),
        requires=_strings(meta.get("requires")),
        legal=_strings(meta.get("legal")),
        topic=meta.get("topic"), safeguards=_strings(meta.get("safeguards")),
        annex=bool(meta.get("anlage", False)), email_full=bool(meta.get("email_volltext", False)),
        note=str(meta.get("hinweis", "") or ""),
        short=None if meta.get("kurzform") is None else str(meta["kurzform"]),
        short_line=short_line, reviewed=meta.get("reviewed"),
        sha256=hashlib.sha256(head.raw).hexdigest(),
    )
