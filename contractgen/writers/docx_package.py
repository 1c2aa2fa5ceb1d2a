"""Tidy the reference package once, when it is loaded, so every DOCX written from it is clean.

A reference.docx that a lawyer saved in Word or LibreOffice brings parts that would be stale
in a generated contract: a thumbnail of the reference's own first page, `stylesWithEffects.xml`
(Word 2010's copy of the styles, out of step as soon as `styles.xml` changes), `app.xml` with
the page and word counts of the reference. Those go; `app.xml` is contractgen's own. The
language becomes a mark the writer replaces with the document's language (`Document.lang`) in
the default run properties and the theme font language, and automatic hyphenation is on.
"""

from __future__ import annotations

from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
LANG_MARK = "x-contractgen-lang"   # a private-use BCP 47 tag, replaced per document
APP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
APP_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>contractgen</Application></Properties>')
STALE_TYPES = (
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
)
# CT_Settings children in schema order (ISO/IEC 29500-1 § 17.15.1.78), up to what we insert
_SETTINGS_BEFORE_HYPHENATION = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
    "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop",
    "hideSpellingErrors", "hideGrammaticalErrors", "activeWritingStyle", "proofState",
    "formsDesign", "attachedTemplate", "linkStyles", "stylePaneFormatFilter",
    "stylePaneSortMethod", "documentType", "mailMerge", "revisionView", "trackRevisions",
    "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop",
)
_SETTINGS_AFTER_THEME_LANG = (
    "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
    "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _serialise(root: Any) -> bytes:
    from lxml import etree

    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def tidy(parts: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, bytes], ...]:
    """The reference's parts without stale ones, with contractgen's app.xml and a language mark."""
    from lxml import etree

    contents = dict(parts)
    stale: set[str] = set()
    relations_out: dict[str, bytes] = {}
    for rels_name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        if rels_name not in contents:
            continue
        base = "" if rels_name == "_rels/.rels" else "word/"
        root = etree.fromstring(contents[rels_name])
        for relation in list(root):
            if relation.get("Type") in STALE_TYPES:
                stale.add(base + relation.get("Target", "").lstrip("/").removeprefix(base))
                root.remove(relation)
        if rels_name == "_rels/.rels" and not any(r.get("Type") == APP_TYPE for r in root):
            etree.SubElement(root, f"{{{REL}}}Relationship", Id="rIdContractgenApp",
                             Type=APP_TYPE, Target="docProps/app.xml")
        relations_out[rels_name] = _serialise(root)
    types = etree.fromstring(contents["[Content_Types].xml"])
    for entry in list(types):
        if entry.get("PartName", "").lstrip("/") in stale:
            types.remove(entry)
    if not any(e.get("PartName") == "/docProps/app.xml" for e in types):
        etree.SubElement(types, f"{{{CT}}}Override", PartName="/docProps/app.xml",
                         ContentType=APP_CONTENT_TYPE)
    replaced = {**relations_out, "[Content_Types].xml": _serialise(types),
                "docProps/app.xml": APP_XML}
    if "word/settings.xml" in contents:
        replaced["word/settings.xml"] = _settings(contents["word/settings.xml"])
    if "word/styles.xml" in contents:
        replaced["word/styles.xml"] = _styles(contents["word/styles.xml"])
    out = [(name, replaced.pop(name, data)) for name, data in parts if name not in stale]
    out.extend(replaced.items())
    return tuple(out)


def _insert_in_order(root: Any, element: Any, before: tuple[str, ...]) -> None:
    """Insert `element` after the last child whose name is in `before` (schema order)."""
    names = {_w(name) for name in before}
    position = 0
    for index, child in enumerate(root):
        if child.tag in names:
            position = index + 1
    root.insert(position, element)


def _settings(data: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(data)
    for zoom in root.findall(_w("zoom")):  # w:percent is required; Word writes it, others forget
        if zoom.get(_w("percent")) is None:
            zoom.set(_w("percent"), "100")
    for name in ("proofState", "savePreviewPicture"):  # "spelling checked", "save a thumbnail"
        for element in root.findall(_w(name)):
            root.remove(element)
    hyphenation = root.find(_w("autoHyphenation"))
    if hyphenation is None:
        hyphenation = etree.Element(_w("autoHyphenation"))
        _insert_in_order(root, hyphenation, _SETTINGS_BEFORE_HYPHENATION)
    hyphenation.attrib.pop(_w("val"), None)  # on
    theme_lang = root.find(_w("themeFontLang"))
    if theme_lang is None:
        theme_lang = etree.Element(_w("themeFontLang"))
        names = {_w(n) for n in _SETTINGS_AFTER_THEME_LANG}
        following = next((c for c in root if c.tag in names), None)
        if following is None:
            root.append(theme_lang)
        else:
            following.addprevious(theme_lang)
    theme_lang.set(_w("val"), LANG_MARK)
    return _serialise(root)


def _styles(data: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(data)
    defaults = root.find(_w("docDefaults"))
    if defaults is None:
        defaults = etree.Element(_w("docDefaults"))
        root.insert(0, defaults)
    run_defaults = defaults.find(_w("rPrDefault"))
    if run_defaults is None:
        run_defaults = etree.Element(_w("rPrDefault"))
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(_w("rPr"))
    if properties is None:
        properties = etree.SubElement(run_defaults, _w("rPr"))
    lang = properties.find(_w("lang"))
    if lang is None:  # w:lang is the last but a few of EG_RPrBase: after everything but these
        lang = etree.Element(_w("lang"))
        following = next((c for c in properties if c.tag in {
            _w("eastAsianLayout"), _w("specVanish"), _w("oMath"), _w("rPrChange")}), None)
        if following is None:
            properties.append(lang)
        else:
            following.addprevious(lang)
    lang.set(_w("val"), LANG_MARK)
    lang.set(_w("eastAsia"), LANG_MARK)
    for style_lang in root.iter(_w("lang")):  # a style's own language would win over the default
        if style_lang is not lang and style_lang.get(_w("val")) is not None:
            style_lang.set(_w("val"), LANG_MARK)
    return _serialise(root)
