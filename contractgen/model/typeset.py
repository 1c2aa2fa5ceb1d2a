"""Typesetting for the paged writers (DOCX, PDF, HTML): a citation such as "§ 356 Abs. 4" or
"Art. 6 Rom I" never breaks after "§", "Abs." or "Art.". The words come from the library
(`begriffe.vor_zahlen`, Wording.keep_with_numbers); the plain-text e-mail applies the same rule
while it wraps its lines, Markdown keeps the plain spaces its readers expect.
"""

from __future__ import annotations

from dataclasses import replace

from .bilingual import pair_documents
from .nodes import Document, Inline, Paragraph, Text
from .transforms import map_inlines
from .wording import Wording


def _paragraphs(paragraphs: tuple[Paragraph, ...], words: Wording) -> tuple[Paragraph, ...]:
    def bind(node: Inline) -> Inline:
        return replace(node, text=words.keep_with_numbers(node.text)) \
            if isinstance(node, Text) else node

    return map_inlines(paragraphs, bind)


def _one(document: Document) -> Document:
    words = document.wording
    if words is None:
        return document
    return replace(
        document,
        preamble=_paragraphs(document.preamble, words),
        sections=tuple(replace(s, paragraphs=_paragraphs(s.paragraphs, words),
                               short=_paragraphs(s.short, words)) for s in document.sections),
        conclusion=_paragraphs(document.conclusion, words),
        annex_list=_paragraphs(document.annex_list, words),
        email_annex_list=_paragraphs(document.email_annex_list, words))


def keep_citations_together(document: Document) -> Document:
    """The document (and a bilingual document's other language, paired again) with a no-break
    space between each citation word and its number."""
    if document.bilingual is None:
        return _one(document)
    bilingual = document.bilingual
    paired, _ = pair_documents(replace(_one(document), bilingual=None), _one(bilingual.other),
                               bilingual.headers)
    return replace(paired, email=document.email)       # pairing joins the subjects once more
