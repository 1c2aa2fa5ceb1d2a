"""The clause catalogue as DOCX over the library's reference.docx (style names only)."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import LibraryError
from ..model import Paragraph, plain_text
from ..model.catalog import Catalog
from .catalog_markdown import metadata_rows

STYLES = ("Title", "Subtitle", "Heading 1", "Heading 2", "Table Grid", "Vertrag Absatz",
          "Vertrag Liste", "Vertrag Tabelle")


def write_catalog_docx(catalog: Catalog, reference: Path) -> bytes:
    from docx import Document as open_docx

    try:
        doc = open_docx(str(reference))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise LibraryError(f"Die Formatvorlage {reference} ist kein lesbares DOCX ({exc}).") from None
    names = {style.name for style in doc.styles}
    missing = [name for name in STYLES if name not in names]
    if missing:
        raise LibraryError(f"Der Formatvorlage {reference} fehlen Formatvorlagen: "
                           f"{', '.join(missing)}.")
    body = doc.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    doc.add_paragraph(catalog.title, style="Title")
    doc.add_paragraph(f"Stand: {catalog.stand} · {len(catalog.entries)} Klauseln",
                      style="Subtitle")
    for entry in catalog.entries:
        doc.add_paragraph(f"{entry.title} ({entry.id})", style="Heading 1")
        table = doc.add_table(rows=0, cols=2)
        table.style = doc.styles["Table Grid"]
        for label, value in metadata_rows(entry):
            cells = table.add_row().cells
            cells[0].paragraphs[0].style = doc.styles["Vertrag Tabelle"]
            cells[0].paragraphs[0].add_run(label).bold = True
            cells[1].paragraphs[0].style = doc.styles["Vertrag Tabelle"]
            cells[1].paragraphs[0].add_run(value)
        if entry.problem:
            doc.add_paragraph(f"Beispiel nicht darstellbar: {entry.problem}",
                              style="Vertrag Absatz")
        doc.add_paragraph("Text (mit Beispielwerten)", style="Heading 2")
        _paragraphs(doc, entry.paragraphs)
        if entry.short:
            doc.add_paragraph("Kurzform (E-Mail)", style="Heading 2")
            _paragraphs(doc, entry.short)
        if entry.note:
            doc.add_paragraph("Hinweis für die Prüfung", style="Heading 2")
            doc.add_paragraph(entry.note, style="Vertrag Absatz")
    props = doc.core_properties
    props.title = catalog.title
    props.author = catalog.library_name
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _paragraphs(doc: object, paragraphs: tuple[Paragraph, ...]) -> None:
    for paragraph in paragraphs:
        if paragraph.content:
            prefix = f"({paragraph.number})\t" if paragraph.number is not None else ""
            doc.add_paragraph(prefix + plain_text(paragraph.content),  # type: ignore[attr-defined]
                              style="Vertrag Absatz")
        for item_list in paragraph.lists:
            for number, item in enumerate(item_list.items, start=1):
                marker = f"{number}.\t" if item_list.ordered else "\u2013\t"
                doc.add_paragraph(marker + plain_text(item),  # type: ignore[attr-defined]
                                  style="Vertrag Liste")
