"""Build clause_library/reference.docx: every style the DOCX writer uses, page setup, footer.

Lawyers may restyle reference.docx in Word or LibreOffice instead; this script is the documented
starting point. Run: python tools/build_reference_docx.py [OUTPUT]
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import etree

# Calibri: Word has it on Windows and macOS; LibreOffice replaces it with the metric-compatible
# Carlito (Debian: fonts-crosextra-carlito), so Word, LibreOffice and the PDF break lines alike.
FONT = "Calibri"
LANG = "de-DE"     # the writer replaces it with the document's language (Document.lang)
DARK = RGBColor(0x1F, 0x2A, 0x44)


def _font(style, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _no_hyphenation(style) -> None:
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:suppressAutoHyphens")) is not None:
        return
    element = OxmlElement("w:suppressAutoHyphens")
    later = {qn(n) for n in ("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
                             "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                             "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                             "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
                             "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                             "w:cnfStyle", "w:rPr")}
    following = next((child for child in ppr if child.tag in later), None)
    if following is None:
        ppr.append(element)
    else:
        following.addprevious(element)


def _bottom_border(style) -> None:
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "404040")):
        bottom.set(qn(attr), value)
    border.append(bottom)
    later = {qn(n) for n in ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind",
                             "w:contextualSpacing", "w:jc", "w:outlineLvl", "w:rPr")}
    following = next((child for child in ppr if child.tag in later), None)
    if following is None:
        ppr.append(border)
    else:
        following.addprevious(border)


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(
        name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.quick_style = True
    return style


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    value = OxmlElement("w:t")
    value.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, value, end):
        run._r.append(element)


def build(output: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)

    normal = doc.styles["Normal"]
    _font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15

    title = doc.styles["Title"]
    _font(title, 20, bold=True, color=DARK)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(4)
    pbdr = title.element.get_or_add_pPr().find(qn("w:pBdr"))
    if pbdr is not None:
        pbdr.getparent().remove(pbdr)
    subtitle = doc.styles["Subtitle"]
    _font(subtitle, 12.5, color=DARK)
    subtitle.font.italic = False
    subtitle.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.paragraph_format.space_after = Pt(18)

    heading1 = doc.styles["Heading 1"]
    _font(heading1, 11.5, bold=True, color=DARK)
    heading1.paragraph_format.space_before = Pt(14)
    heading1.paragraph_format.space_after = Pt(4)
    heading1.paragraph_format.keep_with_next = True
    heading2 = doc.styles["Heading 2"]
    _font(heading2, 11, bold=True, color=DARK)
    heading2.paragraph_format.space_before = Pt(12)
    heading2.paragraph_format.space_after = Pt(4)
    heading2.paragraph_format.keep_with_next = True

    absatz = _paragraph_style(doc, "Vertrag Absatz")
    absatz.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    absatz.paragraph_format.space_after = Pt(5)
    numbered = _paragraph_style(doc, "Vertrag Absatz nummeriert", "Vertrag Absatz")
    numbered.paragraph_format.left_indent = Cm(0.9)
    numbered.paragraph_format.first_line_indent = Cm(-0.9)
    numbered.paragraph_format.tab_stops.add_tab_stop(Cm(0.9))
    items = _paragraph_style(doc, "Vertrag Liste", "Vertrag Absatz")
    items.paragraph_format.left_indent = Cm(1.6)
    items.paragraph_format.first_line_indent = Cm(-0.6)
    items.paragraph_format.tab_stops.add_tab_stop(Cm(1.6))
    items.paragraph_format.space_after = Pt(2)
    parties = _paragraph_style(doc, "Vertrag Parteien")
    parties.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    parties.paragraph_format.space_after = Pt(0)
    role = _paragraph_style(doc, "Vertrag Rolle", "Vertrag Parteien")
    role.font.italic = True
    role.paragraph_format.space_before = Pt(3)
    role.paragraph_format.space_after = Pt(10)
    joiner = _paragraph_style(doc, "Vertrag Parteien verbindend", "Vertrag Parteien")
    joiner.paragraph_format.space_after = Pt(10)
    # signature block and forms: a line to write on (a bottom border, as wide as its column;
    # a known place and date stands on it), a small caption below
    sign = _paragraph_style(doc, "Vertrag Unterschrift")
    sign.paragraph_format.space_before = Pt(26)
    sign.paragraph_format.space_after = Pt(1)
    sign.paragraph_format.keep_with_next = True
    _bottom_border(sign)
    place = _paragraph_style(doc, "Vertrag Unterschrift Ort", "Vertrag Unterschrift")
    place.paragraph_format.space_before = Pt(20)
    caption = _paragraph_style(doc, "Vertrag Unterschrift Hinweis", "Normal")
    _font(caption, 8.5, color=RGBColor(0x55, 0x55, 0x55))
    caption.paragraph_format.space_after = Pt(4)
    caption.paragraph_format.keep_with_next = True
    declaration = _paragraph_style(doc, "Vertrag Erklärung", "Vertrag Absatz")
    declaration.paragraph_format.space_after = Pt(0)
    declaration.paragraph_format.keep_with_next = True
    box = _paragraph_style(doc, "Vertrag Ankreuzfeld", "Normal")  # inside the tick box
    box.font.size = Pt(2)
    box.paragraph_format.space_after = Pt(0)
    box.paragraph_format.line_spacing = 1.0
    table_text = _paragraph_style(doc, "Vertrag Tabelle")
    table_text.paragraph_format.space_after = Pt(1)
    table_text.paragraph_format.space_before = Pt(1)

    # hyphenation is on for the document (settings); short lines do not hyphenate
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Vertrag Parteien", "Vertrag Tabelle",
                 "Vertrag Unterschrift", "Vertrag Unterschrift Hinweis", "Header", "Footer"):
        _no_hyphenation(doc.styles[name])

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    _font(doc.styles["Header"], 8.5, color=RGBColor(0x55, 0x55, 0x55))
    _font(doc.styles["Footer"], 8.5, color=RGBColor(0x55, 0x55, 0x55))
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Seite ")
    _field(footer, "PAGE")
    footer.add_run(" von ")
    _field(footer, "NUMPAGES")

    props = doc.core_properties
    props.title = "contractgen reference"
    props.author = "contractgen"
    props.last_modified_by = "contractgen"
    props.revision = 1
    import datetime as dt

    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    props.created = props.modified = stamp
    props.comments = "Formatvorlagen für contractgen. Nur Formatvorlagen ändern, nicht den Text."
    doc.add_paragraph("Diese Datei enthält nur die Formatvorlagen für contractgen.",
                      style="Vertrag Absatz")
    buffer = io.BytesIO()
    doc.save(buffer)
    output.write_bytes(clean_package(buffer.getvalue()))


# -- python-docx's default template carries parts and settings from Mac Word 2010 -------------
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DROP = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           b'extended-properties"><Application>contractgen</Application></Properties>')
_KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def clean_package(data: bytes) -> bytes:
    """Drop stale parts (stylesWithEffects, thumbnail, the bibliography custom XML), keep only
    the styles the writer uses, name fonts instead of theme fonts, tag the language."""
    from contractgen.writers.docx_reference import OPTIONAL_STYLES, REQUIRED_STYLES

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts = {name: body for name, body in parts.items() if not name.startswith(_DROP)}
    parts["word/styles.xml"] = _styles(parts["word/styles.xml"], (*REQUIRED_STYLES, *OPTIONAL_STYLES))
    parts["word/settings.xml"] = _settings(parts["word/settings.xml"])
    parts["word/fontTable.xml"] = _font_table(parts["word/fontTable.xml"])
    for name in ("_rels/.rels", "word/_rels/document.xml.rels"):
        root = etree.fromstring(parts[name])
        for relation in list(root):
            target = relation.get("Target", "")
            if target.endswith(("stylesWithEffects.xml", "thumbnail.jpeg")) or "customXml" in target:
                root.remove(relation)
        parts[name] = _xml(root)
    types = etree.fromstring(parts["[Content_Types].xml"])
    for entry in list(types):
        if entry.get("Extension") == "jpeg" or entry.get("PartName", "").startswith(
                ("/customXml/", "/word/stylesWithEffects")):
            types.remove(entry)
    parts["[Content_Types].xml"] = _xml(types)
    parts["docProps/app.xml"] = APP_XML  # the writer writes the same for every document
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(data: bytes, required: tuple[str, ...]) -> bytes:
    root = etree.fromstring(data)
    latent = root.find(_w("latentStyles"))
    if latent is not None:
        root.remove(latent)
    by_id = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
    by_name = {s.find(_w("name")).get(_w("val")).lower(): s for s in by_id.values()}
    keep = set(_KEEP_STYLES) | {by_name[name.lower()].get(_w("styleId")) for name in required}
    pending = list(keep)
    while pending:  # styles they are based on, link to or are followed by
        style = by_id[pending.pop()]
        for ref in ("basedOn", "link", "next"):
            target = style.find(_w(ref))
            if target is not None and target.get(_w("val")) not in keep:
                keep.add(target.get(_w("val")))
                pending.append(target.get(_w("val")))
    for style_id, style in by_id.items():
        if style_id not in keep:
            root.remove(style)
    for element in root.iter(_w("rFonts"), _w("color")):
        for attribute in list(element.attrib):  # theme fonts and colours win over named ones
            if "theme" in attribute.lower():
                del element.attrib[attribute]
    for element in root.iter(_w("rsid")):
        element.getparent().remove(element)
    defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
    fonts = defaults.find(_w("rFonts"))
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(_w(attribute), FONT)
    lang = defaults.find(_w("lang"))
    lang.attrib.clear()
    lang.set(_w("val"), LANG)
    lang.set(_w("eastAsia"), LANG)
    lang.set(_w("bidi"), "ar-SA")
    return _xml(root)


def _settings(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for name in ("zoom", "proofState", "savePreviewPicture", "rsids", "doNotAutoCompressPictures"):
        for element in root.findall(_w(name)):
            root.remove(element)
    tab = root.find(_w("defaultTabStop"))
    hyphenation = etree.Element(_w("autoHyphenation"))
    tab.addnext(hyphenation)
    zone = etree.Element(_w("hyphenationZone"))
    zone.set(_w("val"), "425")  # 0.75 cm: words are hyphenated rather than leaving wide gaps
    hyphenation.addnext(zone)
    zoom = etree.Element(_w("zoom"))
    zoom.set(_w("percent"), "100")
    root.insert(0, zoom)
    for setting in root.iter(_w("compatSetting")):
        if setting.get(_w("name")) == "compatibilityMode":
            setting.set(_w("val"), "15")  # Word 2013 and later: no compatibility mode
    compat = root.find(_w("compat"))
    for element in compat.findall(_w("useFELayout")):
        compat.remove(element)
    theme_lang = root.find(_w("themeFontLang"))
    theme_lang.attrib.clear()
    theme_lang.set(_w("val"), LANG)
    root.find(_w("decimalSymbol")).set(_w("val"), ",")
    root.find(_w("listSeparator")).set(_w("val"), ";")
    return _xml(root)


def _font_table(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for font in list(root):
        if font.get(_w("name")) not in (FONT, "Times New Roman", "Symbol"):
            root.remove(font)
    return _xml(root)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "clause_library" / "reference.docx")
    build(target)
    print(target)
