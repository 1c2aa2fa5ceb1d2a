"""Validate the XML parts of a DOCX against the ISO/IEC 29500-4 transitional schemas (tests/schemas).

Markup Compatibility (ISO/IEC 29500-3) is applied first, as a consumer that does not know the
ignorable namespaces must: their elements and attributes are dropped, mc:AlternateContent is
replaced by its Fallback. Each part is then validated by its root element with
lxml.etree.XMLSchema. Adapted from the team's shared xsdcheck.py.
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
ISO = SCHEMAS / "ISO-IEC29500-4_2016"
OPC = SCHEMAS / "ecma" / "fouth-edition"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WML = ISO / "wml.xsd"

ROOTS: dict[tuple[str, str], Path] = {
    **{(W, name): WML for name in ("document", "hdr", "ftr", "styles", "settings", "numbering",
                                     "fonts", "webSettings", "footnotes", "endnotes", "comments")},
    ("http://schemas.openxmlformats.org/drawingml/2006/main", "theme"): ISO / "dml-main.xsd",
    ("http://schemas.openxmlformats.org/package/2006/content-types", "Types"):
        OPC / "opc-contentTypes.xsd",
    ("http://schemas.openxmlformats.org/package/2006/relationships", "Relationships"):
        OPC / "opc-relationships.xsd",
    ("http://schemas.openxmlformats.org/package/2006/metadata/core-properties", "coreProperties"):
        OPC / "opc-coreProperties.xsd",
    ("http://schemas.openxmlformats.org/officeDocument/2006/extended-properties", "Properties"):
        ISO / "shared-documentPropertiesExtended.xsd",
    ("http://schemas.openxmlformats.org/officeDocument/2006/customXml", "datastoreItem"):
        ISO / "shared-customXmlDataProperties.xsd",
}
# parts of contractgen's own: the provenance manifest has no published schema
OWN_ROOTS = {("urn:contractgen:manifest:1", "contractgen")}


@cache
def schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


def apply_mce(root: etree._Element) -> list[str]:
    """Strip ignorable content in place; returns problems (undeclared ignorable prefixes)."""
    notes: list[str] = []

    def walk(element: etree._Element, inherited: set[str]) -> None:
        here = set(inherited)
        attribute = element.get(f"{{{MC}}}Ignorable")
        if attribute:
            for prefix in attribute.split():
                namespace = element.nsmap.get(prefix)
                if namespace is None:
                    notes.append(f"mc:Ignorable prefix {prefix!r} not declared")
                else:
                    here.add(namespace)
            del element.attrib[f"{{{MC}}}Ignorable"]
        for name in list(element.attrib):
            if name.startswith("{") and (name[1:].split("}")[0] in here or name[1:].startswith(MC)):
                del element.attrib[name]
        for child in list(element):
            if not isinstance(child.tag, str):
                continue
            qname = etree.QName(child)
            if qname.namespace == MC and qname.localname == "AlternateContent":
                fallback = child.find(f"{{{MC}}}Fallback")
                index = element.index(child)
                element.remove(child)
                if fallback is not None:
                    for offset, grandchild in enumerate(list(fallback)):
                        element.insert(index + offset, grandchild)
                continue
            if qname.namespace in here:
                element.remove(child)
                continue
            walk(child, here)

    walk(root, set())
    return notes


def schema_problems(data: bytes) -> list[str]:
    """Every schema problem of the package's XML parts ([] = valid); unknown roots are problems."""
    problems: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            try:
                root = etree.fromstring(archive.read(name))
            except etree.XMLSyntaxError as error:
                problems.append(f"{name}: not well-formed: {error}")
                continue
            key = (etree.QName(root).namespace or "", etree.QName(root).localname)
            if key in OWN_ROOTS:
                continue
            target = ROOTS.get(key)
            if target is None:
                problems.append(f"{name}: no schema for the root element {{{key[0]}}}{key[1]}")
                continue
            problems += [f"{name}: {note}" for note in apply_mce(root)]
            checker = schema(target)
            if not checker.validate(etree.ElementTree(root)):
                problems += [f"{name}:{e.line}: {e.message}" for e in checker.error_log]
    return problems
