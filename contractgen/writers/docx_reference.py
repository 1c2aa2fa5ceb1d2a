"""The reference DOCX, read once per file: its parts, style ids by name, page geometry.

Styles live in the reference (pandoc's --reference-doc idea); the writer only names them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LibraryError
from .docx_package import tidy
from .zipwriter import Entry, compress_static

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
REQUIRED_STYLES = (
    "Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Header", "Footer", "Table Grid",
    "Vertrag Absatz", "Vertrag Absatz nummeriert", "Vertrag Liste", "Vertrag Parteien",
    "Vertrag Parteien verbindend", "Vertrag Rolle", "Vertrag Unterschrift", "Vertrag Unterschrift Ort",
    "Vertrag Unterschrift Hinweis", "Vertrag Tabelle",
)
# styles a newer writer uses, with the style used instead when an older reference lacks them
OPTIONAL_STYLES = {"Vertrag Erklärung": "Vertrag Absatz", "Vertrag Ankreuzfeld": "Vertrag Tabelle"}
HEADER_MARK = "\ue002"
# the footer's words ("Seite 1 von 3"), replaced per document by its language's words
FOOTER_PAGE_MARK, FOOTER_OF_MARK = "\ue004", "\ue005"
FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"


@dataclass(frozen=True)
class Reference:
    path: Path
    parts: tuple[tuple[str, bytes], ...]      # every part, in the reference's zip order
    style_ids: dict[str, str]                 # lower-case style name -> styleId
    body_head: str                            # document.xml up to and including <w:body>
    body_tail: str                            # <w:sectPr …>…</w:sectPr></w:body></w:document>
    header_part: str | None                   # e.g. "word/header1.xml"
    header_xml: str                           # header with HEADER_MARK where the text goes
    text_width: int                           # twips between the margins
    customxml_name: str                       # a free part name for the manifest
    static_entries: dict[str, Entry]          # parts every document shares, compressed once
    form_indent: int = 510                    # twips: the hanging indent of numbered paragraphs
    footer_part: str | None = None            # e.g. "word/footer1.xml", when it has the words
    footer_xml: str = ""                      # footer with FOOTER_PAGE_MARK and FOOTER_OF_MARK

    def style(self, name: str) -> str:
        found = self.style_ids.get(name.lower())
        if found is None and name in OPTIONAL_STYLES:
            return self.style_ids[OPTIONAL_STYLES[name].lower()]
        if found is None:
            raise KeyError(name)
        return found


# parts without which no DOCX opens, and the XML parts contractgen reads and rewrites
REQUIRED_PARTS = ("[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml",
                  "word/_rels/document.xml.rels")
XML_PARTS = (*REQUIRED_PARTS, "word/settings.xml", "docProps/core.xml")
# parts each document writes itself; everything else is copied from the reference as it is
WRITTEN_PARTS = frozenset({"word/document.xml", "docProps/core.xml", "[Content_Types].xml",
                           "word/_rels/document.xml.rels", "_rels/.rels"})
# parts with the language mark (docx_package.LANG_MARK): one compressed copy per language
LANGUAGE_PARTS = frozenset({"word/settings.xml", "word/styles.xml"})


def load_reference(path: Path) -> Reference:
    """The reference package, from memory, from the disk cache, or parsed (in that order), keyed
    by the file's content: an edit that keeps the size and the modification time is seen too."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise LibraryError(f"Die Formatvorlage {path} fehlt.") from None
    return _cached(path.resolve(), hashlib.sha256(data).hexdigest(), data)


_MEMORY: dict[tuple[Path, str], Reference] = {}   # (path, content hash) -> Reference


def _cached(path: Path, digest: str, data: bytes) -> Reference:
    import sys

    from .._version import __version__
    from ..cache import load_object, store_object

    found = _MEMORY.get((path, digest))
    if found is not None:
        return found
    key = hashlib.sha256("\0".join((sys.version, __version__, "reference", "tidy-1", digest))
                         .encode()).hexdigest()
    cached = load_object("reference", key)
    if not (isinstance(cached, Reference) and cached.path == path):
        cached = _load(path, data)
        store_object("reference", key, cached)
    if len(_MEMORY) >= 8:
        _MEMORY.pop(next(iter(_MEMORY)))
    _MEMORY[(path, digest)] = cached
    return cached


def _load(path: Path, data: bytes) -> Reference:
    from lxml import etree  # only when the reference is not cached yet

    from ..zipsafe import read_members, require_utf8

    describe = f"Die Formatvorlage {path}"
    parts = read_members(data, describe=describe, error=LibraryError)  # bounded, honest names
    missing = [name for name in REQUIRED_PARTS if name not in dict(parts)]
    if missing:
        raise LibraryError(f"{describe} ist kein vollständiges DOCX: Es fehlt der Teil "
                           f"{missing[0]} (ohne ihn öffnet Word den Vertrag nicht).")
    require_utf8(parts, XML_PARTS, describe=describe, error=LibraryError)
    try:
        parts = tidy(parts)
        contents = dict(parts)
        document = etree.fromstring(contents["word/document.xml"])
        styles = etree.fromstring(contents["word/styles.xml"])
        relations = etree.fromstring(contents["word/_rels/document.xml.rels"])
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise LibraryError(f"{describe} ist kein lesbares DOCX ({exc}).") from None
    style_ids = {}
    for style in styles.iter(f"{{{W}}}style"):
        name = style.find(f"{{{W}}}name")
        if name is not None:
            style_ids[name.get(f"{{{W}}}val", "").lower()] = style.get(f"{{{W}}}styleId", "")
    missing = [name for name in REQUIRED_STYLES if name.lower() not in style_ids]
    if missing:
        raise LibraryError(f"Der Formatvorlage {path} fehlen Formatvorlagen: {', '.join(missing)}.")
    body = document.find(f"{{{W}}}body")
    if body is None:
        raise LibraryError(f"Die Formatvorlage {path} hat keinen Dokumentkörper.")
    section = body.find(f"{{{W}}}sectPr")
    for child in list(body):
        if child is not section:
            body.remove(child)
    xml = etree.tostring(document, encoding="unicode")
    if section is not None:
        marker = xml.index("<w:sectPr")
    else:
        marker = xml.index("</w:body>")
    head, tail = xml[:marker], xml[marker:]
    if "<w:body/>" in head:  # an empty body serialised as a single tag
        head, tail = head.replace("<w:body/>", "<w:body>"), "</w:body>" + tail
    width = _text_width(section)
    try:
        header_part, header_xml = _header(contents, relations)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise LibraryError(f"{describe}: Die Kopfzeile ist kein gültiges XML ({exc}).") from None
    footer_part, footer_xml = _footer(contents, relations)
    used = {name for name, _ in parts}
    number = 1
    while used & {f"customXml/item{number}.xml", f"customXml/itemProps{number}.xml",
                  f"customXml/_rels/item{number}.xml.rels"}:
        number += 1
    return Reference(
        path=path, parts=parts, style_ids=style_ids,
        body_head='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + head,
        body_tail=tail, header_part=header_part, header_xml=header_xml, text_width=width,
        customxml_name=f"customXml/item{number}.xml",
        static_entries={name: compress_static(name, data) for name, data in parts
                        if name not in WRITTEN_PARTS | LANGUAGE_PARTS
                        and name not in (header_part, footer_part)},
        form_indent=_hanging_indent(styles, style_ids.get("vertrag absatz nummeriert", "")),
        footer_part=footer_part, footer_xml=footer_xml,
    )


def _footer(contents: dict[str, bytes], relations: Any) -> tuple[str | None, str]:
    """The footer with the marks where its words "Seite " and " von " are (a footer without
    exactly these words stays as it is in every language)."""
    for relation in relations.iter(f"{{{R_NS}}}Relationship"):
        if relation.get("Type") != FOOTER_TYPE:
            continue
        name = "word/" + relation.get("Target", "").lstrip("/").removeprefix("word/")
        try:
            xml = contents[name].decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            continue
        page, of = '<w:t xml:space="preserve">Seite </w:t>', '<w:t xml:space="preserve"> von </w:t>'
        if xml.count(page) == 1 and xml.count(of) == 1:
            return name, xml.replace(page, f'<w:t xml:space="preserve">{FOOTER_PAGE_MARK} </w:t>') \
                .replace(of, f'<w:t xml:space="preserve"> {FOOTER_OF_MARK} </w:t>')
    return None, ""


def _hanging_indent(styles: Any, style_id: str) -> int:
    for style in styles.iter(f"{{{W}}}style"):
        if style.get(f"{{{W}}}styleId") == style_id:
            indent = style.find(f"{{{W}}}pPr/{{{W}}}ind")
            try:
                return max(int(indent.get(f"{{{W}}}left")), 0)
            except (AttributeError, TypeError, ValueError):
                break
    return 510


def _text_width(section: Any) -> int:
    if section is None:
        return 9241
    size = section.find(f"{{{W}}}pgSz")
    margins = section.find(f"{{{W}}}pgMar")
    try:
        page = int(size.get(f"{{{W}}}w"))
        left = int(margins.get(f"{{{W}}}left"))
        right = int(margins.get(f"{{{W}}}right"))
    except (AttributeError, TypeError, ValueError):
        return 9241
    return max(page - left - right, 2000)


def _header(contents: dict[str, bytes], relations: Any) -> tuple[str | None, str]:
    from lxml import etree

    for relation in relations.iter(f"{{{R_NS}}}Relationship"):
        if relation.get("Type") == HEADER_TYPE:
            name = "word/" + relation.get("Target", "").lstrip("/").removeprefix("word/")
            if name not in contents:
                continue
            root = etree.fromstring(contents[name])
            paragraph = root.find(f"{{{W}}}p")
            if paragraph is None:
                paragraph = etree.SubElement(root, f"{{{W}}}p")
            for run in paragraph.findall(f"{{{W}}}r"):
                paragraph.remove(run)
            run = etree.SubElement(paragraph, f"{{{W}}}r")
            text = etree.SubElement(run, f"{{{W}}}t")
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = HEADER_MARK
            xml = etree.tostring(root, encoding="unicode")
            return name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml
    return None, ""


_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str) -> str:
    """Escape for XML character data; characters XML 1.0 forbids are dropped."""
    text = _INVALID_XML.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
