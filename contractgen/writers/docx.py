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
from pathlib import Path

from ..errors import LibraryError, RenderError
from ..model import Document
from ..model.typeset import keep_citations_together
from .docx_blocks import (  # noqa: F401 - the blocks are this writer's, re-exported for callers
    _P,
    TICK_BOX,
    TICK_BOX_SIZE,
    _Body,
    _Cell,
    _form,
    _overview,
    _paragraph,
    _parties,
    _signatures,
    _Table,
    inline_runs,
    is_form,
    quoteattr,
    run,
)
from .docx_package import LANG_MARK
from .docx_reference import (
    FOOTER_OF_MARK,
    FOOTER_PAGE_MARK,
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

__all__ = ["render_docx", "write_docx", "load_reference", "read_manifest", "REQUIRED_STYLES"]

def render_docx(document: Document, reference_path: Path) -> bytes:
    reference = load_reference(reference_path)
    document = keep_citations_together(document)
    lang = language_tag(document.lang)
    if document.bilingual is not None:
        from .docx_bilingual import bilingual_body

        document_xml = (reference.body_head + bilingual_body(document, reference).xml()
                        + reference.body_tail).encode("utf-8")
        _self_check(document_xml)
        return _package(reference, document, document_xml, lang)
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

def _package(reference: Reference, document: Document, document_xml: bytes, lang: str) -> bytes:
    replaced: dict[str, bytes] = {"word/document.xml": document_xml}
    if reference.header_part:
        replaced[reference.header_part] = reference.header_xml.replace(
            HEADER_MARK, xml_text(header_text(document, reference.text_width))).encode("utf-8")
    if reference.footer_part:
        page, of = footer_words(document)
        replaced[reference.footer_part] = reference.footer_xml.replace(
            FOOTER_PAGE_MARK, xml_text(page)).replace(FOOTER_OF_MARK, xml_text(of)).encode("utf-8")
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


def footer_words(document: Document) -> tuple[str, str]:
    """"Seite" and "von" of the footer in the document's language(s): "Seite/Page", "von/of"."""
    documents = [document] + ([document.bilingual.other] if document.bilingual else [])
    words = [d.wording for d in documents if d.wording is not None]
    if not words:
        return "Seite", "von"
    return ("/".join(dict.fromkeys(w.page for w in words)),
            "/".join(dict.fromkeys(w.of for w in words)))


def header_text(document: Document, text_width: int) -> str:
    """Title and subtitle for the page header, cut at a word to fit on one line: a long
    project title must not make the header grow into the body."""
    title = document.title
    if document.bilingual is not None and document.bilingual.other.title != title:
        title = f"{title} / {document.bilingual.other.title}"
    text = title if not document.subtitle else f"{title} \u2013 {document.subtitle}"
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
