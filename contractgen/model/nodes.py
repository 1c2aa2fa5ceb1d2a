"""Document model nodes. Numbers (§, Abs.) and reference texts are filled by transforms only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Problem
from .wording import Wording

if TYPE_CHECKING:
    from .bilingual import Bilingual


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a clause (and optionally a labelled paragraph of it)."""

    clause_id: str
    label: str | None = None
    text: str = ""                 # "§ 6 Abs. 2" (Wording.reference), set by resolve_references
    number: int | None = None      # the target's number, set by resolve_references
    annex: bool = False            # the target is an annex (Anlage 1, not § 1)
    paragraph: int | None = None   # the number of the labelled paragraph, when it has one
    broken: bool = False           # the target is not in the document (the text is a marker)


@dataclass(frozen=True)
class Term:
    """A defined term: where a clause defines it, or a use that the contract must define."""

    name: str
    text: str                 # the word as it reads in the sentence
    definition: bool = False
    quotes: tuple[str, str] = ('"', '"')   # around a definition (the library's anfuehrungszeichen)


Inline = Text | Strong | Ref | Term


@dataclass(frozen=True)
class ItemList:
    ordered: bool
    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Paragraph:
    """One Absatz: its text and the lists that belong to it."""

    content: tuple[Inline, ...]
    lists: tuple[ItemList, ...] = ()
    label: str | None = None
    number: int | None = None


@dataclass(frozen=True)
class Section:
    """One clause as it appears in the document: a § (or an annex)."""

    clause_id: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    short: tuple[Paragraph, ...] = ()
    annex: bool = False
    full_in_email: bool = False   # the e-mail carries the full text, e.g. the Widerrufsbelehrung
    number: int | None = None
    label: str = ""               # "§ 3" or "Anlage 1" (Wording.clause_label), set with the number
    heading_text: str = ""        # "§ 3 Abnahme" (Wording.section_heading), set with the number

    @property
    def heading(self) -> str:
        if self.number is None or not self.label:
            return self.title
        if self.heading_text:
            return self.heading_text
        if self.annex:
            return f"{self.label}: {self.title}"
        return f"{self.label} {self.title}"


@dataclass(frozen=True)
class Party:
    role: str                     # "Auftragnehmer" / "Auftraggeber"
    lines: tuple[str, ...]        # name, firm, representative, address
    caption: str = ""             # "– nachfolgend „Auftragnehmer“ genannt –"


@dataclass(frozen=True)
class OverviewRow:
    label: str
    value: str


@dataclass(frozen=True)
class Signature:
    role: str
    name: str
    place_date: str = ""          # "Hamburg, 10. Januar 2027", empty = blank line to fill in
    place_date_caption: str = ""  # "Ort, Datum"


@dataclass(frozen=True)
class ClauseStamp:
    id: str
    version: str
    sha256: str
    heading: str = ""             # the clause's heading in this document: where its text begins


@dataclass(frozen=True)
class Provenance:
    generator: str
    library_name: str
    library_version: str
    clauses: tuple[ClauseStamp, ...]
    answers_digest: str


@dataclass(frozen=True)
class EmailFrame:
    """The parts of the e-mail agreement that are not clauses."""

    subject: str
    to: str
    sender: str
    sender_name: str
    greeting: str
    intro: tuple[Paragraph, ...]
    confirmation: tuple[Paragraph, ...]
    closing: str
    signoff: tuple[str, ...]
    to_name: str = ""             # the client's display name in the To: header of the .eml


@dataclass(frozen=True)
class Document:
    kind: str                                 # vertragsart
    title: str
    subtitle: str
    date: dt.date
    author: str
    parties: tuple[Party, ...]
    parties_between: str
    parties_and: str
    preamble: tuple[Paragraph, ...]
    overview_title: str
    overview: tuple[OverviewRow, ...]
    sections: tuple[Section, ...]
    signatures: tuple[Signature, ...]
    conclusion: tuple[Paragraph, ...]         # e.g. "confirmed by e-mail" note instead of signatures
    email: EmailFrame
    provenance: Provenance
    answers_json: str = field(default="", repr=False)
    lang: str = "de-DE"                       # BCP 47 language tag of the document text
    wording: Wording | None = field(default=None, repr=False)   # the library's words
    problems: tuple[Problem, ...] = ()        # a draft's unresolved references (render, draft=True)
    # the list of annexes ("Anlagen: Anlage 1: …"), set by list_annexes after numbering: in the
    # contract before the signatures, in the e-mail agreement before the confirmation
    annex_list: tuple[Paragraph, ...] = ()
    email_annex_list: tuple[Paragraph, ...] = ()
    # a bilingual document (sprache: de-en): the other language, paired clause by clause and
    # paragraph by paragraph (model/bilingual.py); this document is the prevailing language
    bilingual: Bilingual | None = field(default=None, repr=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages of the document, the prevailing one first."""
        return (self.lang,) if self.bilingual is None else (self.lang, self.bilingual.other.lang)

    @property
    def body_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if not s.annex)

    @property
    def annexes(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.annex)


def plain_text(inlines: Iterable[Inline]) -> str:
    """Inline content as plain text (bold dropped, references as their resolved text)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Strong):
            parts.append(plain_text(node.children))
        elif isinstance(node, Term):
            parts.append(f"{node.quotes[0]}{node.text}{node.quotes[1]}" if node.definition
                         else node.text)
        else:
            parts.append(node.text)
    return "".join(parts)


@dataclass(frozen=True)
class Quote:
    """A passage of the contract quoted in a follow-up e-mail, with its resolved number."""

    reference: str                # "§ 6 Abs. 1" (Wording.reference of `refs`)
    title: str                    # the clause title
    paragraphs: tuple[Paragraph, ...]
    refs: tuple[Ref, ...] = ()    # the resolved references the passage is quoted by


@dataclass(frozen=True)
class FollowUpMail:
    """A follow-up e-mail (call summary, scope notice, ...): the frame's intro is the body; the
    quoted clause passages follow it, introduced by `quote_intro`."""

    kind: str
    frame: EmailFrame
    quote_intro: tuple[Paragraph, ...]
    quotes: tuple[Quote, ...]
    wording: Wording | None = field(default=None, repr=False)   # the library's words
    lang: str = "de-DE"
    translation: FollowUpMail | None = field(default=None, repr=False)   # sprache: de-en
