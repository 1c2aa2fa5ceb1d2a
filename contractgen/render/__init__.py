"""Rendering selected clauses and library texts into the document model."""

from .document import build_contract, build_document

__all__ = ["build_contract", "build_document"]
