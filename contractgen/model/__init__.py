"""The document model in the middle: frozen dataclasses every writer reads, plus transforms."""

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
from .transforms import check_terms, number_sections, resolve_references

__all__ = [
    "ClauseStamp", "Document", "EmailFrame", "FollowUpMail", "Quote", "Inline", "ItemList",
    "OverviewRow", "Paragraph",
    "Party", "Provenance", "Ref", "Section", "Signature", "Strong", "Term", "Text", "plain_text",
    "check_terms", "number_sections", "resolve_references",
]
