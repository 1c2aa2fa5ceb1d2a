"""The clause catalogue as a model: what a lawyer reviews, one entry per clause.

Built by contractgen.lint.catalog, written by writers/catalog_docx.py and catalog_markdown.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .nodes import Paragraph


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    version: str
    title: str
    section: str
    condition: str                       # in words; "immer" without a condition
    legal: tuple[str, ...]
    review: str                          # "geprüft von … am …" or "nicht geprüft"
    paragraphs: tuple[Paragraph, ...]    # the text rendered with example values
    short: tuple[Paragraph, ...] = ()
    example: str = ""                    # which example answers were used
    note: str = ""                       # hinweis: the author's note for reviewers
    topic: str = ""
    safeguards: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    annex: bool = False
    problem: str = ""                    # why the example could not be rendered


@dataclass(frozen=True)
class Catalog:
    library_name: str
    library_version: str
    date: dt.date                        # the day the examples are rendered for
    entries: tuple[CatalogEntry, ...]
    released: dt.date | None = None      # the library version's release date (CHANGELOG)
    unreleased: bool = False             # the CHANGELOG lists changes not released yet

    @property
    def stand(self) -> str:
        """What the catalogue is the state of: the library version and its release date."""
        if self.released is None:
            return f"Version {self.library_version} (ohne Datum im CHANGELOG)"
        more = ", dazu unveröffentlichte Änderungen" if self.unreleased else ""
        return f"Version {self.library_version} vom {self.released:%d.%m.%Y}{more}"

    @property
    def title(self) -> str:
        return f"Klauselkatalog {self.library_name} {self.library_version}"
