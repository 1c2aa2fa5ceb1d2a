"""Build clause_library/reference.docx: every style the DOCX writer uses, page setup, footer.

Lawyers may restyle reference.docx in Word or LibreOffice instead; this script is the documented
starting point. Run: python tools/build_reference_docx.py [OUTPUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Carlito"   # metric-compatible with Calibri; Debian: fonts-crosextra-carlito
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
    sign = _paragraph_style(doc, "Vertrag Unterschrift")
    sign.paragraph_format.space_after = Pt(0)
    sign.paragraph_format.keep_with_next = True
    place = _paragraph_style(doc, "Vertrag Unterschrift Ort", "Vertrag Unterschrift")
    place.paragraph_format.space_before = Pt(28)
    caption = _paragraph_style(doc, "Vertrag Unterschrift Hinweis", "Vertrag Unterschrift")
    _font(caption, 8.5, color=RGBColor(0x55, 0x55, 0x55))
    caption.paragraph_format.space_after = Pt(14)
    table_text = _paragraph_style(doc, "Vertrag Tabelle")
    table_text.paragraph_format.space_after = Pt(1)
    table_text.paragraph_format.space_before = Pt(1)

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
    doc.save(str(output))


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent / "clause_library" / "reference.docx")
    build(target)
    print(target)
