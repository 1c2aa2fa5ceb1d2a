"""The clause library as loaded: immutable `Clause` and `Library`.

Reading the files is `reader.py`'s job (one reader for every use); compiled templates live beside
the library in `templates.py`, so a Library never changes once it is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Template

from ..errors import Problem
from ..model.designation import Designations
from ..model.transforms import AnnexWords
from ..model.wording import Wording
from ..questionnaire.schema import Questionnaire


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
    title_line: int = 0            # file line of `title` (a title may use AN/AG)
    sha256: str = ""


@dataclass(frozen=True)
class Untranslated:
    """Something of the source library an edition does not (or no longer) translate: a clause
    without a translation file, one whose `translates` is not the clause's version, one whose
    translation cannot be read, the library's texts, a fee model without a name."""

    kind: str                      # "klausel", "texte", "honorarmodell"
    id: str                        # clause id, "library.yaml", the fee model key
    reason: str                    # "fehlt", "veraltet", "fehlerhaft"
    translates: str = ""           # the version the translation translates
    version: str = ""              # the version of the source


@dataclass(frozen=True, eq=False)
class Library:
    """A loaded library (never changed once loaded; compared by identity)."""

    root: Path
    name: str
    version: str
    language: str                  # BCP 47, e.g. "de-DE" (library.yaml: sprache)
    wording: Wording               # library.yaml: begriffe
    sections: tuple[str, ...]
    texts: Mapping[str, Any]
    questionnaire: Questionnaire
    clauses: tuple[Clause, ...]
    reference_docx: Path
    manifest_name: str = "library.yaml"
    annexes: tuple[str, ...] = ()  # clauses of the main library an order attaches (anlagen)
    # the list of annexes (library.yaml: anlagenliste): its words, and the answer (a list of
    # titles) naming the annexes the freelancer attaches himself; None: no list of annexes
    annex_words: AnnexWords | None = None
    annex_key: str | None = None
    # -- language editions (library/edition.py) -------------------------------------------
    editions: tuple[Library, ...] = ()     # the main library's translations (en/ …)
    source_root: Path | None = None        # an edition: the root of the library it translates
    untranslated: tuple[Untranslated, ...] = ()   # an edition: what it does not translate
    edition_problems: tuple[Problem, ...] = ()    # an edition: every problem reading it
    designations: Designations | None = None   # library.yaml: bezeichnungen (AN, AG)

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def edition(self, code: str) -> Library | None:
        """The edition in the language `code` ("en"), None when the library has none."""
        return next((e for e in self.editions if e.language.split("-")[0] == code), None)

    def template(self, clause: Clause, part: str) -> Template:
        """The compiled body or short form of a clause (compiled once per library)."""
        from .templates import clause_template

        return clause_template(self, clause, part)

    def text_template(self, name: str) -> Template:
        return self.source_template(str(self.texts[name]))

    def source_template(self, source: str) -> Template:
        """A compiled template for a text from library.yaml (cached by its source)."""
        from .templates import source_template

        return source_template(self, source)
