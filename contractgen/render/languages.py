"""The language of a document (the answer `sprache`): which edition of the library renders it,
and for a bilingual document both editions, paired clause by clause (model/bilingual.py).

`sprache` is "de" (the library's own language), another edition's code ("en"), or two codes
joined by a hyphen ("de-en"): a bilingual document, the first language prevailing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..errors import LibraryError, Location, Problem, RenderError
from ..library import Library
from ..library.edition import blocking, edition_name
from ..model import Document, pair_documents
from ..model.bilingual import language_header

LANGUAGE_KEY = "sprache"

T = TypeVar("T")


def language_of(values: Mapping[str, Any], library: Library) -> tuple[str, ...]:
    """The languages the answers ask for, the prevailing one first: ("de",), ("en",),
    ("de", "en"). Without the answer: the library's own language."""
    own = library.language.split("-")[0]
    value = values.get(LANGUAGE_KEY)
    if not value:
        return (own,)
    return tuple(str(value).split("-"))


def edition_for(library: Library, code: str) -> Library:
    """The library in the language `code`: itself, or its edition (LibraryError, exit 4, when
    there is none)."""
    if library.language.split("-")[0] == code:
        return library
    found = library.edition(code)
    if found is None:
        raise LibraryError(f"Die Klauselbibliothek {library.root} hat keine "
                           f"{edition_name(code)} Fassung (Ordner {code}/ mit library.yaml); "
                           f"sprache: {code} ist mit ihr nicht möglich.")
    return found


def check_translated(library: Library, clause_ids: tuple[str, ...],
                     values: Mapping[str, Any]) -> None:
    """An edition builds no document from clauses (or texts, or a fee model) it does not
    translate, or translates in an older version (LibraryError, exit 4, naming each)."""
    if library.source_root is None:
        return
    fee = values.get("honorar")
    model = fee.get("modell") if isinstance(fee, Mapping) else None
    problems = blocking(library, clause_ids, str(model) if model else None)
    if problems:
        code = library.language.split("-")[0]
        raise LibraryError(f"Die {edition_name(code)} Fassung der Klauselbibliothek "
                           f"({library.root}) ist für diesen Vertrag nicht vollständig oder "
                           "nicht aktuell; `contractgen library check` zeigt alles, was fehlt.",
                           tuple(problems))


def in_languages(library: Library, values: Mapping[str, Any],
                 build: Callable[[Library], Document]) -> Document:
    """The document in the answers' language(s): `build` with the edition of each; two
    languages are paired into one bilingual Document (RenderError, exit 5, when a translation
    does not follow the structure of its clause)."""
    codes = language_of(values, library)
    if library.source_root is not None or codes == (library.language.split("-")[0],):
        return build(library)
    first = build(edition_for(library, codes[0]))
    if len(codes) == 1:
        return first
    second = build(edition_for(library, codes[1]))
    paired, problems = pair_documents(first, second, (language_header(first.lang),
                                                      language_header(second.lang)))
    if problems:
        edition = edition_for(library, codes[1])
        raise RenderError("Die Übersetzung passt nicht Absatz für Absatz zur deutschen Fassung.",
                          tuple(_placed(p, edition) for p in problems))
    return paired


def _placed(problem: Problem, edition: Library) -> Problem:
    clause = edition.clause(problem.location.clause) if problem.location.clause else None
    if clause is not None:
        return problem.at(Location(str(clause.path), clause.body_line, clause.id, clause.id))
    return problem.at(Location(str(edition.root / edition.manifest_name), None,
                               problem.location.key))
