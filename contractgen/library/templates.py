"""Compiled templates of a library, kept beside it: the Library itself stays immutable.

Compiling goes through the on-disk code cache (cache.py); the compiled Template objects of one
loaded library are kept per process in a weak mapping keyed by the library object, so they go
when the library goes and are never pickled with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from jinja2 import Template, TemplateSyntaxError

from ..errors import LibraryError, Problem
from ..templating import environment

if TYPE_CHECKING:
    from .model import Clause, Library

_COMPILED: WeakKeyDictionary[Library, dict[tuple[str, str], Template]] = WeakKeyDictionary()


def compile_template(source: str, path: Path, first_line: int) -> Template:
    """Compile with line numbers that match the clause file (padding keeps Jinja's lines right)."""
    from ..cache import load_code, store_code

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


def _compiled(library: Library) -> dict[tuple[str, str], Template]:
    found = _COMPILED.get(library)
    if found is None:
        found = _COMPILED[library] = {}
    return found


def clause_template(library: Library, clause: Clause, part: str) -> Template:
    """The compiled body ("body"), short form ("short") or title ("title") of a clause,
    compiled once."""
    compiled = _compiled(library)
    key = (clause.id, part)
    if key not in compiled:
        source, line = {"body": (clause.body, clause.body_line),
                        "short": (clause.short or "", clause.short_line),
                        "title": (clause.title, clause.title_line)}[part]
        try:
            compiled[key] = compile_template(source, clause.path, line)
        except TemplateSyntaxError as exc:
            raise LibraryError("Die Klauselbibliothek ist fehlerhaft.", (Problem(
                "error", f"Jinja-Syntaxfehler: {exc.message}", f"{clause.path}:{exc.lineno}",
                clause.id, code="library.jinja-syntax"),)) from None
    return compiled[key]


def source_template(library: Library, source: str) -> Template:
    """A compiled template for a text from library.yaml (cached by its source)."""
    compiled = _compiled(library)
    key = ("__text__", source)
    if key not in compiled:
        compiled[key] = compile_template(source, library.root / library.manifest_name, 1)
    return compiled[key]
