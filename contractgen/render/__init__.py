"""Rendering selected clauses and library texts into the document model."""

from .document import build_document

__all__ = ["build_document"]
