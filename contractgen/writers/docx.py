"""DOCX writer: python-docx over the library's reference.docx; only style names, never fonts."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.shared import Cm
from docx.text.paragraph import Paragraph as DocxParagraph

from ..errors import LibraryError
from ..model import Document, Inline, ItemList, Paragraph, Ref, Strong, Text, plain_text

REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Header", "Footer", "Table Grid",
    "Vertrag Absatz", "Vertrag Absatz nummeriert", "Vertrag Liste", "Vertrag Parteien",
    "Vertrag Parteien verbindend", "Vertrag Rolle", "Vertrag Unterschrift", "Vertrag Unterschrift Ort",
    "Vertrag Unterschrift Hinweis", "Vertrag Tabelle",
)
MANIFEST_NAMESPACE = "urn:contractgen:manifest:1"
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BULLET = "\u2013"


def load_reference(path: Path) -> DocxDocument:
    """Open the reference document and check it has every style the writer uses."""
    try:
        reference = open_docx(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a bad file
        raise LibraryError(f"Die Formatvorlage {path} ist kein lesbares DOCX ({exc}).") from None
    names = {style.name for style in reference.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise LibraryError(f"Der Formatvorlage {path} fehlen Formatvorlagen: "
                           f"{', '.join(missing)}.")
    return reference


def render_docx(document: Document, reference: Path) -> bytes:
    doc = load_reference(reference)
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}sectPr"):
            continue
        body.remove(child)
    _header(doc, document)
    doc.add_paragraph(document.title, style="Title")
    if document.subtitle:
        doc.add_paragraph(document.subtitle, style="Subtitle")
    _parties(doc, document)
    for paragraph in document.preamble:
        _paragraph(doc, paragraph)
    if document.overview:
        doc.add_paragraph(document.overview_title, style="Heading 2")
        table = doc.add_table(rows=0, cols=2)
        table.style = doc.styles["Table Grid"]
        for row in document.overview:
            cells = table.add_row().cells
            cells[0].paragraphs[0].style = doc.styles["Vertrag Tabelle"]
            cells[0].paragraphs[0].add_run(row.label).bold = True
            cells[1].paragraphs[0].style = doc.styles["Vertrag Tabelle"]
            cells[1].paragraphs[0].add_run(row.value)
        for row_cells in (r.cells for r in table.rows):
            row_cells[0].width, row_cells[1].width = Cm(6.0), Cm(10.3)
    for section in document.body_sections:
        doc.add_paragraph(section.heading, style="Heading 1")
        for paragraph in section.paragraphs:
            _paragraph(doc, paragraph)
    for paragraph in document.conclusion:
        _paragraph(doc, paragraph)
    if document.signatures:
        _signatures(doc, document)
    for annex in document.annexes:
        heading = doc.add_paragraph(annex.heading, style="Heading 1")
        heading.paragraph_format.page_break_before = True
        for paragraph in annex.paragraphs:
            _paragraph(doc, paragraph)
    _properties(doc, document)
    _manifest(doc, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _normalise_zip(buffer.getvalue())


def write_docx(document: Document, reference: Path) -> bytes:
    return render_docx(document, reference)


def _header(doc: DocxDocument, document: Document) -> None:
    header = doc.sections[0].header
    paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    text = document.title if not document.subtitle else f"{document.title} – {document.subtitle}"
    paragraph.add_run(text)


def _parties(doc: DocxDocument, document: Document) -> None:
    doc.add_paragraph(document.parties_between, style="Vertrag Parteien verbindend")
    for index, party in enumerate(document.parties):
        if index:
            doc.add_paragraph(document.parties_and, style="Vertrag Parteien verbindend")
        for number, line in enumerate(party.lines):
            run = doc.add_paragraph(style="Vertrag Parteien").add_run(line)
            run.bold = number == 0
        doc.add_paragraph(party.caption, style="Vertrag Rolle")


def _paragraph(doc: DocxDocument, paragraph: Paragraph) -> None:
    if paragraph.content:
        if paragraph.number is not None:
            target = doc.add_paragraph(style="Vertrag Absatz nummeriert")
            target.add_run(f"({paragraph.number})\t")
        else:
            target = doc.add_paragraph(style="Vertrag Absatz")
        _inlines(target, paragraph.content)
    for item_list in paragraph.lists:
        _list(doc, item_list)


def _list(doc: DocxDocument, item_list: ItemList) -> None:
    for number, item in enumerate(item_list.items, start=1):
        target = doc.add_paragraph(style="Vertrag Liste")
        target.add_run(f"{number}.\t" if item_list.ordered else f"{_BULLET}\t")
        _inlines(target, item)


def _inlines(target: DocxParagraph, inlines: tuple[Inline, ...], bold: bool = False) -> None:
    for node in inlines:
        if isinstance(node, Text):
            run = target.add_run(node.text)
            run.bold = bold or None
        elif isinstance(node, Strong):
            _inlines(target, node.children, bold=True)
        elif isinstance(node, Ref):
            run = target.add_run(node.text)
            run.bold = bold or None


def _signatures(doc: DocxDocument, document: Document) -> None:
    # the signatures never stand alone on a page: the last clause paragraph travels with them
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=4, cols=2)
    for row in table.rows:
        properties = row._tr.get_or_add_trPr()
        cant_split = OxmlElement("w:cantSplit")
        properties.append(cant_split)
    for column, signature in enumerate(document.signatures):
        cells = [table.rows[r].cells[column] for r in range(4)]
        texts = (
            (signature.place_date or " ", "Vertrag Unterschrift Ort"),
            (signature.place_date_caption, "Vertrag Unterschrift Hinweis"),
            ("\u00a0\n" + "_" * 34, "Vertrag Unterschrift"),
            (f"{signature.name} ({signature.role})", "Vertrag Unterschrift Hinweis"),
        )
        for cell, (text, style) in zip(cells, texts, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles[style]
            paragraph.add_run(text)


def _properties(doc: DocxDocument, document: Document) -> None:
    props = doc.core_properties
    stamp = dt.datetime.combine(document.date, dt.time(0, 0), tzinfo=dt.timezone.utc)
    props.title = f"{document.title}: {document.subtitle}" if document.subtitle else document.title
    props.subject = document.subtitle
    props.author = document.author
    props.last_modified_by = document.author
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    props.keywords = "Vertrag; contractgen"
    provenance = document.provenance
    props.comments = (
        f"Erzeugt mit {provenance.generator}, Bibliothek {provenance.library_name} "
        f"{provenance.library_version}, Antworten {provenance.answers_digest}"
    )
    props.category = document.kind


def _manifest(doc: DocxDocument, document: Document) -> None:
    """Provenance and answers as a custom XML part, so a contract can be inspected later."""
    provenance = document.provenance
    manifest = {
        "generator": provenance.generator,
        "library": {"name": provenance.library_name, "version": provenance.library_version},
        "clauses": [{"id": c.id, "version": c.version, "sha256": c.sha256}
                    for c in provenance.clauses],
        "answers_sha256": provenance.answers_digest,
    }
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<contractgen xmlns="{MANIFEST_NAMESPACE}">'
        f"<manifest>{escape(json.dumps(manifest, ensure_ascii=False, sort_keys=True))}</manifest>"
        f"<answers>{escape(document.answers_json)}</answers>"
        f"</contractgen>"
    )
    partname = doc.part.package.next_partname("/customXml/item%d.xml")
    part = Part(partname, "application/xml", xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.CUSTOM_XML)


def _normalise_zip(data: bytes) -> bytes:
    """Same input, same bytes: fixed timestamps and attributes for every zip entry."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()


def read_manifest(data: bytes) -> dict[str, object]:
    """The provenance manifest and answers of a DOCX written by contractgen (for tests, inspect)."""
    import re
    from xml.sax.saxutils import unescape

    xml = ""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("customXml/item") and name.endswith(".xml"):
                candidate = archive.read(name).decode("utf-8")
                if MANIFEST_NAMESPACE in candidate:
                    xml = candidate
    manifest = re.search(r"<manifest>(.*)</manifest>", xml, re.S)
    answers = re.search(r"<answers>(.*)</answers>", xml, re.S)
    return {
        "manifest": json.loads(unescape(manifest.group(1))) if manifest else {},
        "answers": json.loads(unescape(answers.group(1))) if answers else {},
    }


__all__ = ["render_docx", "write_docx", "load_reference", "read_manifest", "plain_text"]
