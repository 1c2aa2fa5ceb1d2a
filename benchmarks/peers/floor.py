"""The floor: Jinja2 renders word/document.xml, zipped with constant parts. The practical
lower bound for any Python DOCX generator. Usage: python floor.py OUT.docx [LINES_FILE]"""

from __future__ import annotations

import io
import sys
import zipfile
from xml.sax.saxutils import escape

import jinja2

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
    '.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')


def template(lines: list[str]) -> jinja2.Template:
    """One template for the whole document.xml: the contract text with the variables inline."""
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines)
    return jinja2.Environment(autoescape=True).from_string(HEAD + body + "</w:body></w:document>")


def render(lines: list[str], values: dict[str, str], compiled: jinja2.Template | None = None) -> bytes:
    document = (compiled or template(lines)).render(values)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/_rels/document.xml.rels", DOC_RELS)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


if __name__ == "__main__":
    lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
    values = {"kunde": "Kunde GmbH", "projekt": "Projekt", "honorar": "4.800,00 €", "beginn": "1. März 2027"}
    with open(sys.argv[1], "wb") as out:
        out.write(render(lines, values))
