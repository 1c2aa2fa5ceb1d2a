"""DOCX writer: WordprocessingML written from the model into the library's reference.docx.

The reference package is read once (writers/docx_reference.py); each document replaces only
word/document.xml, the header text, docProps/core.xml and adds the provenance manifest. Only
style names appear here; fonts, sizes and spacing live in reference.docx.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from ..model import Document, Inline, ItemList, Paragraph, Ref, Strong, Term, Text
from . import WriterOptions
from .docx_reference import HEADER_MARK, REQUIRED_STYLES, Reference, load_reference, xml_text
from .zipwriter import compress, zip_entries

MANIFEST_NAMESPACE = "urn:contractgen:manifest:1"


def escape(text: str) -> str:
    return xml_text(text)


def quoteattr(text: str) -> str:
    return '"' + xml_text(text).replace('"', "&quot;") + '"'


CUSTOM_XML_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_CONTENT_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
_BULLET = "\u2013"

__all__ = ["render_docx", "write_docx", "load_reference", "read_manifest", "REQUIRED_STYLES"]


class _Body:
    """Collects the body XML; paragraphs by style name, runs with optional bold."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.parts: list[str] = []

    def paragraph(self, style: str, runs: str, *, keep_next: bool = False,
                  page_break: bool = False) -> None:
        self.parts.append(self.paragraph_xml(style, runs, keep_next=keep_next, page_break=page_break))

    def paragraph_xml(self, style: str, runs: str, *, keep_next: bool = False,
                      page_break: bool = False) -> str:
        extra = ("<w:keepNext/>" if keep_next else "") + ("<w:pageBreakBefore/>" if page_break else "")
        style_id = quoteattr(self.reference.style(style))
        return f"<w:p><w:pPr><w:pStyle w:val={style_id}/>{extra}</w:pPr>{runs}</w:p>"


def run(text: str, bold: bool = False) -> str:
    if not text:
        return ""
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    pieces = []
    for index, line in enumerate(text.split("\n")):
        if index:
            pieces.append("<w:br/>")
        for number, chunk in enumerate(line.split("\t")):
            if number:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{xml_text(chunk)}</w:t>')
    return f"<w:r>{props}{''.join(pieces)}</w:r>"


def inline_runs(nodes: tuple[Inline, ...], bold: bool = False) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(run(node.text, bold))
        elif isinstance(node, Strong):
            out.append(inline_runs(node.children, True))
        elif isinstance(node, Ref):
            out.append(run(node.text, bold))
        elif isinstance(node, Term):  # a definition: „Begriff“ with the term in bold
            out.append(run("„", bold) + run(node.text, True) + run("“", bold) if node.definition
                       else run(node.text, bold))
    return "".join(out)


def render_docx(document: Document, reference_path: Path) -> bytes:
    reference = load_reference(reference_path)
    body = _Body(reference)
    body.paragraph("Title", run(document.title))
    if document.subtitle:
        body.paragraph("Subtitle", run(document.subtitle))
    _parties(body, document)
    for paragraph in document.preamble:
        _paragraph(body, paragraph)
    if document.overview:
        body.paragraph("Heading 2", run(document.overview_title), keep_next=True)
        _overview(body, document)
    for section in document.body_sections:
        body.paragraph("Heading 1", run(section.heading), keep_next=True)
        for paragraph in section.paragraphs:
            _paragraph(body, paragraph)
    for paragraph in document.conclusion:
        _paragraph(body, paragraph)
    if document.signatures:
        _signatures(body, document)
    for annex in document.annexes:
        body.paragraph("Heading 1", run(annex.heading), keep_next=True, page_break=True)
        for paragraph in annex.paragraphs:
            _paragraph(body, paragraph)
    document_xml = reference.body_head + "".join(body.parts) + reference.body_tail
    return _package(reference, document, document_xml.encode("utf-8"))


def write_docx(document: Document, reference: Path) -> bytes:
    return render_docx(document, reference)


def _parties(body: _Body, document: Document) -> None:
    body.paragraph("Vertrag Parteien verbindend", run(document.parties_between))
    for index, party in enumerate(document.parties):
        if index:
            body.paragraph("Vertrag Parteien verbindend", run(document.parties_and))
        for number, line in enumerate(party.lines):
            body.paragraph("Vertrag Parteien", run(line, bold=number == 0))
        body.paragraph("Vertrag Rolle", run(party.caption))


def _paragraph(body: _Body, paragraph: Paragraph) -> None:
    if paragraph.content:
        if paragraph.number is not None:
            runs = run(f"({paragraph.number})\t") + inline_runs(paragraph.content)
            body.paragraph("Vertrag Absatz nummeriert", runs)
        else:
            body.paragraph("Vertrag Absatz", inline_runs(paragraph.content))
    for item_list in paragraph.lists:
        _list(body, item_list)


def _list(body: _Body, item_list: ItemList) -> None:
    for number, item in enumerate(item_list.items, start=1):
        marker = f"{number}.\t" if item_list.ordered else f"{_BULLET}\t"
        body.paragraph("Vertrag Liste", run(marker) + inline_runs(item))


def _table(body: _Body, widths: tuple[int, ...], rows: list[list[str]], *, style: str | None) -> None:
    """rows: lists of cell contents (paragraph XML)."""
    style_xml = f"<w:tblStyle w:val={quoteattr(body.reference.style(style))}/>" if style else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr>{style_xml}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for cells in rows:
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        for width, content in zip(widths, cells, strict=True):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    body.parts.append("".join(out))


def _overview(body: _Body, document: Document) -> None:
    width = body.reference.text_width
    widths = (width * 37 // 100, width - width * 37 // 100)
    rows = [[body.paragraph_xml("Vertrag Tabelle", run(row.label, bold=True)),
             body.paragraph_xml("Vertrag Tabelle", run(row.value))] for row in document.overview]
    _table(body, widths, rows, style="Table Grid")


def _signatures(body: _Body, document: Document) -> None:
    # the signatures never stand alone on a page: the last paragraph travels with them
    if body.parts and body.parts[-1].startswith("<w:p><w:pPr>"):
        body.parts[-1] = body.parts[-1].replace("</w:pPr>", "<w:keepNext/></w:pPr>", 1)
    width = body.reference.text_width
    widths: tuple[int, ...] = (width // 2, width - width // 2)
    columns = []
    for signature in document.signatures:
        columns.append([
            body.paragraph_xml("Vertrag Unterschrift Ort", run(signature.place_date or " "),
                               keep_next=True),
            body.paragraph_xml("Vertrag Unterschrift Hinweis", run(signature.place_date_caption),
                               keep_next=True),
            body.paragraph_xml("Vertrag Unterschrift", run("\u00a0\n" + "_" * 34), keep_next=True),
            body.paragraph_xml("Vertrag Unterschrift Hinweis",
                               run(f"{signature.name} ({signature.role})")),
        ])
    rows = [[column[index] for column in columns] for index in range(4)]
    if len(columns) == 1:
        widths = (width,)
    _table(body, widths, rows, style=None)


def _package(reference: Reference, document: Document, document_xml: bytes) -> bytes:
    replaced: dict[str, bytes] = {"word/document.xml": document_xml}
    if reference.header_part:
        header_text = document.title if not document.subtitle else (
            f"{document.title} – {document.subtitle}")
        replaced[reference.header_part] = reference.header_xml.replace(
            HEADER_MARK, xml_text(header_text)).encode("utf-8")
    replaced["docProps/core.xml"] = _core_properties(document)
    names = {name for name, _ in reference.parts}
    parts: list[tuple[str, bytes]] = []
    for name, data in reference.parts:
        if name == "[Content_Types].xml":
            data = _content_types(data, core_missing="docProps/core.xml" not in names)
        elif name == "word/_rels/document.xml.rels":
            data = _add_relationship(data, "rIdContractgenManifest", CUSTOM_XML_TYPE,
                                     "../" + reference.customxml_name)
        elif name == "_rels/.rels" and "docProps/core.xml" not in names:
            data = _add_relationship(data, "rIdContractgenCore", CORE_TYPE, "docProps/core.xml")
        parts.append((name, replaced.pop(name, data)))
    parts.extend(replaced.items())  # parts the reference lacked (core properties)
    parts.append((reference.customxml_name, _manifest(document)))
    static = reference.static_entries  # compressed once, kept in the reference cache
    entries = [static[name] if name in static else compress(name, data) for name, data in parts]
    return zip_entries(entries)


def _add_relationship(data: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    text = data.decode("utf-8")
    entry = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
    return text.replace("</Relationships>", entry + "</Relationships>").encode("utf-8")


def _content_types(data: bytes, *, core_missing: bool) -> bytes:
    text = data.decode("utf-8")
    additions = ""
    if 'Extension="xml"' not in text:
        additions += '<Default Extension="xml" ContentType="application/xml"/>'
    if core_missing:
        additions += f'<Override PartName="/docProps/core.xml" ContentType="{CORE_CONTENT_TYPE}"/>'
    return text.replace("</Types>", additions + "</Types>").encode("utf-8")


def _core_properties(document: Document) -> bytes:
    stamp = f"{document.date.isoformat()}T00:00:00Z"
    provenance = document.provenance
    title = f"{document.title}: {document.subtitle}" if document.subtitle else document.title
    comments = (f"Erzeugt mit {provenance.generator}, Bibliothek {provenance.library_name} "
                f"{provenance.library_version}, Antworten {provenance.answers_digest}")
    fields = (
        ("dc:title", title), ("dc:subject", document.subtitle), ("dc:creator", document.author),
        ("cp:keywords", "Vertrag; contractgen"), ("dc:description", comments),
        ("cp:lastModifiedBy", document.author), ("cp:revision", "1"),
        ("cp:category", document.kind),
    )
    body = "".join(f"<{tag}>{xml_text(value)}</{tag}>" for tag, value in fields)
    dates = (f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
             f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}{dates}</cp:coreProperties>"
    ).encode()


def _manifest(document: Document) -> bytes:
    """Provenance and answers as a custom XML part, so a contract can be inspected later."""
    provenance = document.provenance
    manifest = {
        "generator": provenance.generator,
        "library": {"name": provenance.library_name, "version": provenance.library_version},
        "clauses": [{"id": c.id, "version": c.version, "sha256": c.sha256}
                    for c in provenance.clauses],
        "answers_sha256": provenance.answers_digest,
    }
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<contractgen xmlns="{MANIFEST_NAMESPACE}">'
        f"<manifest>{escape(json.dumps(manifest, ensure_ascii=False, sort_keys=True))}</manifest>"
        f"<answers>{escape(document.answers_json)}</answers>"
        f"</contractgen>"
    ).encode()


def read_manifest(data: bytes) -> dict[str, object]:
    """The provenance manifest and answers of a DOCX written by contractgen ({} when absent)."""
    import xml.etree.ElementTree as ElementTree

    namespace = f"{{{MANIFEST_NAMESPACE}}}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("customXml/item") and name.endswith(".xml")):
                continue
            try:
                root = ElementTree.fromstring(archive.read(name))
            except ElementTree.ParseError:
                continue
            if root.tag != f"{namespace}contractgen":
                continue
            manifest = root.findtext(f"{namespace}manifest") or "{}"
            answers = root.findtext(f"{namespace}answers") or "{}"
            return {"manifest": json.loads(manifest), "answers": json.loads(answers)}
    return {"manifest": {}, "answers": {}}


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py)."""
    if options.reference_docx is None:
        raise ValueError("the DOCX writer needs the library's reference.docx")
    return render_docx(document, options.reference_docx)
