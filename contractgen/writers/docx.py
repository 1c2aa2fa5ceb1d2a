"""DOCX writer: WordprocessingML written from the model into the library's reference.docx.

The reference package is read once (writers/docx_reference.py); each document replaces only
word/document.xml, the header text, docProps/core.xml and adds the provenance manifest. Only
style names appear here; fonts, sizes and spacing live in reference.docx.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import LibraryError, RenderError
from ..model import Document, Inline, ItemList, Paragraph, Ref, Strong, Term, Text, plain_text
from .docx_package import LANG_MARK
from .docx_reference import (
    HEADER_MARK,
    LANGUAGE_PARTS,
    REQUIRED_STYLES,
    Reference,
    load_reference,
    xml_text,
)
from .options import WriterOptions
from .zipwriter import compress, compress_static, zip_entries

MANIFEST_NAMESPACE = "urn:contractgen:manifest:1"


def escape(text: str) -> str:
    return xml_text(text)


def quoteattr(text: str) -> str:
    return '"' + xml_text(text).replace('"', "&quot;") + '"'


CUSTOM_XML_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CORE_TYPE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CORE_CONTENT_TYPE = "application/vnd.openxmlformats-package.core-properties+xml"
CUSTOM_XML_PROPS_TYPE = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                         "customXmlProps")
CUSTOM_XML_PROPS_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
LANG_MARK_BYTES = LANG_MARK.encode("ascii")
# the header's 8.5 pt Calibri averages about 4 pt a character: 100 twips (5 pt) a character
# leaves room for wide letters, so the header stays one line in Word and LibreOffice alike
HEADER_TWIPS_PER_CHARACTER = 100
_BULLET = "\u2013"

__all__ = ["render_docx", "write_docx", "load_reference", "read_manifest", "REQUIRED_STYLES"]


@dataclass
class _P:
    """One paragraph: a style and the runs, plus the few direct properties the writer sets.
    Properties are fields, written in the schema's order (CT_PPrBase) by `xml`, so no element
    can appear twice whatever the library renders."""

    style_id: str
    runs: str
    keep_next: bool = False
    page_break: bool = False

    def xml(self) -> str:
        props = (f"<w:pStyle w:val={quoteattr(self.style_id)}/>"
                 + ("<w:keepNext/>" if self.keep_next else "")
                 + ("<w:pageBreakBefore/>" if self.page_break else ""))
        return f"<w:p><w:pPr>{props}</w:pPr>{self.runs}</w:p>"


@dataclass
class _Cell:
    width: int
    paragraphs: list[_P]
    span: int = 1                 # grid columns the cell spans
    box: bool = False             # a square tick box (a nested 1x1 table of exact size) on top

    def xml(self) -> str:
        props = f'<w:tcW w:w="{self.width}" w:type="dxa"/>'
        if self.span > 1:
            props += f'<w:gridSpan w:val="{self.span}"/>'
        content = "".join(p.xml() for p in self.paragraphs)
        if self.box:  # a cell must end with a paragraph, so the box comes first
            content = _tick_box(self.paragraphs[0].style_id if self.paragraphs else "") + content
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{content or '<w:p/>'}</w:tc>"


TICK_BOX_SIZE = 300  # twips (0.53 cm): a square drawn as a table cell, the same in every program


def _tick_box(style_id: str) -> str:
    line = 'w:val="single" w:sz="8" w:space="0" w:color="auto"'
    style = f"<w:pPr><w:pStyle w:val={quoteattr(style_id)}/></w:pPr>" if style_id else ""
    return (f'<w:tbl><w:tblPr><w:tblW w:w="{TICK_BOX_SIZE}" w:type="dxa"/>'
            f"<w:tblBorders><w:top {line}/><w:left {line}/><w:bottom {line}/><w:right {line}/>"
            f'</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid><w:gridCol w:w="{TICK_BOX_SIZE}"/></w:tblGrid>'
            f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{TICK_BOX_SIZE}" w:hRule="exact"/></w:trPr>'
            f'<w:tc><w:tcPr><w:tcW w:w="{TICK_BOX_SIZE}" w:type="dxa"/></w:tcPr><w:p>{style}</w:p></w:tc>'
            "</w:tr></w:tbl>")


@dataclass
class _Table:
    widths: tuple[int, ...]
    rows: list[list[_Cell]]
    style_id: str | None = None
    indent: int = 0

    def xml(self) -> str:
        style = f"<w:tblStyle w:val={quoteattr(self.style_id)}/>" if self.style_id else ""
        indent = f'<w:tblInd w:w="{self.indent}" w:type="dxa"/>' if self.indent else ""
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        out = [f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{sum(self.widths)}" w:type="dxa"/>{indent}'
               f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        for cells in self.rows:
            out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            out.extend(cell.xml() for cell in cells)
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


class _Body:
    """Collects the body as paragraphs and tables (serialised once, at the end)."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.parts: list[_P | _Table] = []

    def p(self, style: str, runs: str, *, keep_next: bool = False,
          page_break: bool = False) -> _P:
        return _P(self.reference.style(style), runs, keep_next=keep_next, page_break=page_break)

    def paragraph(self, style: str, runs: str, *, keep_next: bool = False,
                  page_break: bool = False) -> None:
        self.parts.append(self.p(style, runs, keep_next=keep_next, page_break=page_break))

    def xml(self) -> str:
        return "".join(part.xml() for part in self.parts)


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
            out.append(run(node.quotes[0], bold) + run(node.text, True) + run(node.quotes[1], bold)
                       if node.definition
                       else run(node.text, bold))
    return "".join(out)


def render_docx(document: Document, reference_path: Path) -> bytes:
    reference = load_reference(reference_path)
    lang = language_tag(document.lang)
    body = _Body(reference)
    body.paragraph("Title", run(document.title))
    if document.subtitle:
        body.paragraph("Subtitle", run(document.subtitle))
    _parties(body, document)
    for paragraph in document.preamble:
        _paragraph(body, paragraph, document)
    if document.overview:
        body.paragraph("Heading 2", run(document.overview_title), keep_next=True)
        _overview(body, document)
    for section in document.body_sections:
        body.paragraph("Heading 1", run(section.heading), keep_next=True)
        for paragraph in section.paragraphs:
            _paragraph(body, paragraph, document)
    for paragraph in (*document.annex_list, *document.conclusion):
        _paragraph(body, paragraph, document)
    if document.signatures:
        _signatures(body, document)
    for annex in document.annexes:
        body.paragraph("Heading 1", run(annex.heading), keep_next=True, page_break=True)
        for paragraph in annex.paragraphs:
            _paragraph(body, paragraph, document)
    document_xml = (reference.body_head + body.xml() + reference.body_tail).encode("utf-8")
    _self_check(document_xml)
    return _package(reference, document, document_xml, lang)


def _self_check(document_xml: bytes) -> None:
    """A cheap guard (0.3 ms): the body is well-formed XML, else nothing is written. Validity
    comes from building it from structures (_P, _Cell, _Table); the schema check is in the tests."""
    from xml.parsers import expat

    try:
        expat.ParserCreate().Parse(document_xml, True)
    except expat.ExpatError as error:
        raise RenderError(f"contractgen hat ein fehlerhaftes DOCX erzeugt ({error}); es wurde "
                          "nichts geschrieben. Bitte melden.") from None


def write_docx(document: Document, reference: Path) -> bytes:
    return render_docx(document, reference)


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def language_tag(lang: str) -> str:
    """The document language as WordprocessingML wants it (ST_Lang: a BCP 47 tag)."""
    if not _LANGUAGE_TAG.fullmatch(lang or ""):
        raise LibraryError(f"Die Sprache {lang!r} des Dokuments ist kein Sprachkennzeichen nach "
                           "BCP 47 (z. B. de-DE, en-GB).")
    return lang


def _parties(body: _Body, document: Document) -> None:
    body.paragraph("Vertrag Parteien verbindend", run(document.parties_between))
    for index, party in enumerate(document.parties):
        if index:
            body.paragraph("Vertrag Parteien verbindend", run(document.parties_and))
        for number, line in enumerate(party.lines):
            body.paragraph("Vertrag Parteien", run(line, bold=number == 0))
        body.paragraph("Vertrag Rolle", run(party.caption))


def _paragraph(body: _Body, paragraph: Paragraph, document: Document) -> None:
    if paragraph.content:
        if paragraph.number is not None:
            runs = run(f"({paragraph.number})\t") + inline_runs(paragraph.content)
            body.paragraph("Vertrag Absatz nummeriert", runs)
        else:
            body.paragraph("Vertrag Absatz", inline_runs(paragraph.content))
    for item_list in paragraph.lists:
        if is_form(item_list):
            _form(body, item_list, document)
        else:
            _list(body, item_list)


def _list(body: _Body, item_list: ItemList) -> None:
    for number, item in enumerate(item_list.items, start=1):
        marker = f"{number}.\t" if item_list.ordered else f"{_BULLET}\t"
        body.paragraph("Vertrag Liste", run(marker) + inline_runs(item))


def _overview(body: _Body, document: Document) -> None:
    width = body.reference.text_width
    widths = (width * 37 // 100, width - width * 37 // 100)
    rows = [[_Cell(widths[0], [body.p("Vertrag Tabelle", run(row.label, bold=True))]),
             _Cell(widths[1], [body.p("Vertrag Tabelle", run(row.value))])]
            for row in document.overview]
    body.parts.append(_Table(widths, rows, style_id=body.reference.style("Table Grid")))


# -- forms: a declaration to tick and sign on its own (e.g. the consumer's early-start request) --
TICK_BOX = "\u2610"                     # ☐ at the start of a list item: a declaration to tick
_FILL_IN = re.compile(r"\s*:?\s*_{3,}\s*$")  # "Caption: ______" at the end: a line to sign on


def is_form(item_list: ItemList) -> bool:
    """A list whose items include a tick box ("☐ Ich verlange …") is laid out as a form."""
    return any(plain_text(item).lstrip().startswith(TICK_BOX) for item in item_list.items)


def _strip_prefix(item: tuple[Inline, ...], prefix: str) -> tuple[Inline, ...]:
    if item and isinstance(item[0], Text) and item[0].text.lstrip().startswith(prefix):
        rest = item[0].text.lstrip()[len(prefix):].lstrip()
        return ((Text(rest),) if rest else ()) + item[1:]
    return item


def _form(body: _Body, item_list: ItemList, document: Document) -> None:
    """Tick box + declaration, then place/date and signature lines, as one block that stays on
    one page (a table of unsplittable rows, each kept with the next)."""
    reference = body.reference
    indent = reference.form_indent
    width = reference.text_width - indent
    box, gap = TICK_BOX_SIZE + 250, 300
    side = (width - box - gap) * 2 // 5  # place and date need less room than the signature
    widths = (box, side, gap, width - box - gap - side)
    place_caption = document.signatures[0].place_date_caption if document.signatures else ""
    rows: list[list[_Cell]] = []
    for item in item_list.items:
        text = plain_text(item)
        if text.lstrip().startswith(TICK_BOX):
            content = inline_runs(_strip_prefix(item, TICK_BOX))
            rows.append([_Cell(box, [body.p("Vertrag Ankreuzfeld", "", keep_next=True)], box=True),
                         _Cell(width - box, [body.p("Vertrag Erklärung", content, keep_next=True)],
                               span=3)])
        elif _FILL_IN.search(text):
            caption = _FILL_IN.sub("", text)
            lines = _sign_lines(caption, place_caption)
            if len(lines) == 2:
                cells = [_Cell(box, []), _Cell(side, _line(body, "", lines[0])),
                         _Cell(gap, []), _Cell(widths[3], _line(body, "", lines[1]))]
            else:
                cells = [_Cell(box, []), _Cell(width - box, _line(body, "", lines[0]), span=3)]
            rows.append(cells)
        else:
            rows.append([_Cell(box, []), _Cell(width - box, [
                body.p("Vertrag Erklärung", inline_runs(item), keep_next=True)], span=3)])
    for cell in rows[-1]:  # the block's last row ends the chain of kept paragraphs
        for paragraph in cell.paragraphs:
            paragraph.keep_next = False
    body.parts.append(_Table(widths, rows, indent=indent))


def _sign_lines(caption: str, place_caption: str) -> tuple[str, ...]:
    """"Ort, Datum, Unterschrift des …" -> ("Ort, Datum", "Unterschrift des …"): place and date
    get their own line when the caption starts with the document's place/date caption."""
    if place_caption and caption.startswith(place_caption) and caption != place_caption:
        rest = caption[len(place_caption):].lstrip(" ,;")
        if rest:
            return place_caption, rest[:1].upper() + rest[1:]
    return (caption,)


def _line(body: _Body, value: str, caption: str) -> list[_P]:
    """A line to write on (the value, if known, stands on it) and its caption below."""
    return [body.p("Vertrag Unterschrift", run(value or "\u00a0"), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(caption), keep_next=True)]


def _signatures(body: _Body, document: Document) -> None:
    """Each party: a place/date line (filled in when the answers give it) and a signature line.
    One unsplittable row, kept with the contract's last paragraph: never alone on a page."""
    if body.parts and isinstance(body.parts[-1], _P):
        body.parts[-1].keep_next = True
    width = body.reference.text_width
    gap = 600
    side = (width - gap) // 2
    columns: list[_Cell] = []
    for index, signature in enumerate(document.signatures):
        if index:
            columns.append(_Cell(gap, []))
        paragraphs = [
            body.p("Vertrag Unterschrift Ort", run(signature.place_date or "\u00a0"), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(signature.place_date_caption), keep_next=True),
            body.p("Vertrag Unterschrift", run("\u00a0"), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(f"{signature.name} ({signature.role})")),
        ]
        columns.append(_Cell(side, paragraphs))
    widths = tuple(cell.width for cell in columns)
    if len(columns) == 1:
        columns[0].width, widths = width, (width,)
    body.parts.append(_Table(widths, [columns]))


def _package(reference: Reference, document: Document, document_xml: bytes, lang: str) -> bytes:
    replaced: dict[str, bytes] = {"word/document.xml": document_xml}
    if reference.header_part:
        replaced[reference.header_part] = reference.header_xml.replace(
            HEADER_MARK, xml_text(header_text(document, reference.text_width))).encode("utf-8")
    replaced["docProps/core.xml"] = _core_properties(document)
    names = {name for name, _ in reference.parts}
    manifest = reference.customxml_name
    props = manifest.replace("/item", "/itemProps")
    parts: list[tuple[str, bytes]] = []
    for name, data in reference.parts:
        if name == "[Content_Types].xml":
            data = _content_types(data, core_missing="docProps/core.xml" not in names,
                                  item_props="/" + props)
        elif name == "word/_rels/document.xml.rels":
            data = _add_relationship(data, "rIdContractgenManifest", CUSTOM_XML_TYPE, "../" + manifest)
        elif name == "_rels/.rels" and "docProps/core.xml" not in names:
            data = _add_relationship(data, "rIdContractgenCore", CORE_TYPE, "docProps/core.xml")
        elif name in LANGUAGE_PARTS:
            data = data.replace(LANG_MARK_BYTES, lang.encode("ascii"))
        parts.append((name, replaced.pop(name, data)))
    parts.extend(replaced.items())  # parts the reference lacked (core properties)
    parts.append((manifest, _manifest(document)))
    static = reference.static_entries  # compressed once, kept in the reference cache
    entries = [static[name] if name in static else
               compress_static(name, data) if name in LANGUAGE_PARTS else compress(name, data)
               for name, data in parts]
    # the manifest's item properties (OPC: a custom XML part comes with its properties part)
    entries.append(compress_static(props, MANIFEST_PROPS))
    entries.append(compress_static(manifest.replace("customXml/", "customXml/_rels/") + ".rels",
                                   _props_relationship(props)))
    return zip_entries(entries)


MANIFEST_PROPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<ds:datastoreItem ds:itemID="{6F1D2C9A-3B7E-4C55-9E2A-0C0A7C1B5E11}" '
    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
    f'<ds:schemaRefs><ds:schemaRef ds:uri="{MANIFEST_NAMESPACE}"/></ds:schemaRefs>'
    "</ds:datastoreItem>").encode()


def _props_relationship(props: str) -> bytes:
    target = props.rsplit("/", 1)[1]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{CUSTOM_XML_PROPS_TYPE}" Target="{target}"/>'
            "</Relationships>").encode()


def header_text(document: Document, text_width: int) -> str:
    """Title and subtitle for the page header, cut at a word to fit on one line: a long
    project title must not make the header grow into the body."""
    text = document.title if not document.subtitle else f"{document.title} \u2013 {document.subtitle}"
    limit = max(text_width // HEADER_TWIPS_PER_CHARACTER, 20)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:\u2013-") + "\u2026"


def _add_relationship(data: bytes, rel_id: str, rel_type: str, target: str) -> bytes:
    text = data.decode("utf-8")
    entry = f'<Relationship Id="{rel_id}" Type="{rel_type}" Target="{target}"/>'
    return text.replace("</Relationships>", entry + "</Relationships>").encode("utf-8")


def _content_types(data: bytes, *, core_missing: bool, item_props: str) -> bytes:
    text = data.decode("utf-8")
    additions = f'<Override PartName="{item_props}" ContentType="{CUSTOM_XML_PROPS_CONTENT_TYPE}"/>'

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
        "clauses": [{"id": c.id, "version": c.version, "sha256": c.sha256, "heading": c.heading}
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
