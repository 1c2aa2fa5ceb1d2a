"""Build the Document from a library and answers: select, render, parse, number, resolve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .._version import __version__
from ..errors import Level, Location, Problem, RenderError
from ..formatting import locale_of
from ..library import Library, select_clauses
from ..model import (
    ClauseStamp,
    Document,
    Provenance,
    check_terms,
    list_annexes,
    number_sections,
    resolve_references,
)
from ..model.transforms import CONCLUSION, EMAIL_CONFIRMATION, EMAIL_INTRO, PREAMBLE
from ..questionnaire.answers import Answers, canonical_json
from .clauses import render_clause
from .context import template_context
from .languages import check_translated, in_languages
from .texts import LibraryTexts, email_frame, international, party, signatures

# Answer keys the engine reads itself (parties block, signatures, e-mail frame), besides the
# clauses and library texts; the library lint counts them as used.
ENGINE_KEYS = (
    "vertragsart", "unterschrift.ort", "unterschrift.datum",
    "auftragnehmer.name", "auftragnehmer.firma", "auftragnehmer.strasse", "auftragnehmer.plz",
    "auftragnehmer.ort", "auftragnehmer.email", "auftragnehmer.telefon",
    "auftragnehmer.steuernummer", "auftragnehmer.ust_id", "auftragnehmer.land",
    "auftraggeber.name", "auftraggeber.vertreten_durch", "auftraggeber.strasse",
    "auftraggeber.plz", "auftraggeber.ort", "auftraggeber.email", "auftraggeber.register",
    "auftraggeber.land",
    "auftraggeber.ust_id",
    # the parties' designations (AN, AG in every template) and the e-mail greeting
    "auftragnehmer.bezeichnung", "auftraggeber.bezeichnung",
    "auftraggeber.anrede_name", "auftraggeber.ansprechpartner_anrede",
)


def build_contract(library: Library, answers: Answers, *, today: dt.date,
                   draft: bool = False) -> Document:
    """The document in the language the answers ask for (`sprache`): the library's own, one of
    its editions, or two of them paired into a bilingual document (render/languages.py)."""
    return in_languages(library, answers.values,
                        lambda edition: build_document(edition, answers, today=today, draft=draft))


def build_document(library: Library, answers: Answers, *, today: dt.date,
                   draft: bool = False) -> Document:
    """The whole pipeline up to the model; `today` is injected (the date of e-mail documents
    and of the default acceptance period of an offer). A reference or term that does not
    resolve is a RenderError (exit 5); with `draft` the document is built anyway, shows a
    visible marker and lists the problems as warnings."""
    context = template_context(library, answers, today=today)
    clauses = select_clauses(library, context)
    check_translated(library, tuple(c.id for c in clauses), answers.values)
    sections = tuple(render_clause(library, clause, context) for clause in clauses)
    texts = LibraryTexts(library, context)
    values = answers.values
    signing = values.get("unterschrift") or {}
    date = signing.get("datum") or today
    freelancer = values["auftragnehmer"]
    rahmen = values.get("vertragsart") == "rahmenvertrag"
    document = Document(
        kind=str(values.get("vertragsart")),
        title=texts.line("titel"),
        subtitle=texts.line("untertitel"),
        date=date,
        author=freelancer.get("firma") or freelancer["name"],
        parties=(
            party(texts, "rolle_auftragnehmer", freelancer, country=international(values)),
            party(texts, "rolle_auftraggeber", values["auftraggeber"],
                  country=international(values)),
        ),
        parties_between=texts.line("parteien_zwischen"),
        parties_and=texts.line("parteien_und"),
        preamble=texts.blocks("praeambel"),
        overview_title=texts.line("uebersicht_titel"),
        overview=texts.overview(),
        sections=sections,
        signatures=signatures(texts, values, locale_of(library.language)) if rahmen else (),
        conclusion=() if rahmen else texts.blocks("schluss_email_vereinbarung"),
        email=email_frame(texts, values),
        provenance=provenance(library, tuple(ClauseStamp(c.id, c.version, c.sha256) for c in clauses),
                              answers.digest),
        answers_json=canonical_json(values),
        lang=library.language,
        wording=library.wording,
    )
    return finish(document, library, conclusion_text="schluss_email_vereinbarung", draft=draft,
                  separate=separate_annexes(library, values))


def separate_annexes(library: Library, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The titles of the annexes the freelancer attaches himself (library.yaml:
    anlagenliste.weitere names the answer)."""
    node: Any = values
    for part in (library.annex_key or "").split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return tuple(str(t) for t in node) if library.annex_key and isinstance(node, list) else ()


# library text each part of the document outside the clauses comes from (for problems)
_TEXT_OF = {PREAMBLE: "praeambel", EMAIL_INTRO: "email_einleitung",
            EMAIL_CONFIRMATION: "email_bestaetigung"}


def finish(document: Document, library: Library, *, conclusion_text: str, draft: bool = False,
           check_defined_terms: bool = True, main: Library | None = None,
           separate: tuple[str, ...] = ()) -> Document:
    """Number, list the annexes, resolve references and check defined terms; stamp each clause
    with its heading. Problems name the clause file (or the library text) they are in; without
    `draft` they are a RenderError, with `draft` the document keeps them in `problems` as
    warnings. `separate`: annexes attached separately, listed after the annex sections."""
    numbered = number_sections(document, library.wording)
    words = (main or library).annex_words   # an order lists its annexes in the main library's words
    if words is not None:
        numbered = list_annexes(numbered, words, separate)
    resolved, broken = resolve_references(numbered)
    undefined = check_terms(resolved) if check_defined_terms else ()
    texts = {**_TEXT_OF, CONCLUSION: conclusion_text}
    placed = tuple(_place(p, library, texts, main) for p in (*broken, *undefined))
    if placed and not draft:
        message = ("Verweise im Vertrag lassen sich nicht auflösen." if broken
                   else "Begriffe im Vertrag sind nicht definiert.")
        raise RenderError(message, placed)
    stamps = tuple(replace(stamp, heading=section.heading)
                   for stamp, section in zip(resolved.provenance.clauses, resolved.sections,
                                             strict=True))
    return replace(resolved, provenance=replace(resolved.provenance, clauses=stamps),
                   problems=tuple(p.as_level(Level.WARNING) for p in placed))


def _place(problem: Problem, library: Library, texts: dict[str, str],
           main: Library | None) -> Problem:
    """A transform's problem at the clause file or library text it comes from (an order's
    annexes come from the `main` library)."""
    location = problem.location
    clause = None
    if location.clause:
        clause = library.clause(location.clause) or (main.clause(location.clause) if main else None)
    if clause is not None:
        return problem.at(Location(str(clause.path), None, clause.id, clause.id))
    name = texts.get(location.key, location.key)
    return problem.at(Location(str(library.root / library.manifest_name), None, f"texte.{name}"))


def provenance(library: Library, clauses: tuple[ClauseStamp, ...], digest: str) -> Provenance:
    return Provenance(generator=f"contractgen {__version__}", library_name=library.name,
                      library_version=library.version, clauses=clauses, answers_digest=digest)
