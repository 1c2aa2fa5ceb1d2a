"""The document model in the middle: frozen dataclasses every writer reads, plus transforms."""

from .bilingual import Bilingual, SectionPair, pair_documents
from .nodes import (
    ClauseStamp,
    Document,
    EmailFrame,
    FollowUpMail,
    Inline,
    ItemList,
    OverviewRow,
    Paragraph,
    Party,
    Provenance,
    Quote,
    Ref,
    Section,
    Signature,
    Strong,
    Term,
    Text,
    plain_text,
)
from .transforms import (
    AnnexWords,
    check_terms,
    list_annexes,
    map_inlines,
    number_sections,
    resolve_paragraphs,
    resolve_references,
    walk_inlines,
)
from .wording import Wording

__all__ = [
    "Bilingual", "SectionPair", "pair_documents",
    "ClauseStamp", "Document", "EmailFrame", "FollowUpMail", "Quote", "Inline", "ItemList",
    "OverviewRow", "Paragraph",
    "AnnexWords", "list_annexes",
    "Party", "Provenance", "Ref", "Section", "Signature", "Strong", "Term", "Text", "plain_text",
    "Wording", "check_terms", "map_inlines", "number_sections", "resolve_paragraphs",
    "resolve_references", "walk_inlines",
]
