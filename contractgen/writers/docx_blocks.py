"""The building blocks of a DOCX body: paragraphs, cells and tables as structures (serialised
in the schema's order, so no element can appear twice), runs, and the model's paragraphs,
lists, forms and signature rows rendered into them with the reference's style names. The
contract (docx.py) and the bilingual contract (docx_bilingual.py) are laid out from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Inline, ItemList, Paragraph, Ref, Strong, Term, Text, plain_text
from .docx_reference import Reference, xml_text

_BULLET = "\u2013"


def quoteattr(text: str) -> str:
    return '"' + xml_text(text).replace('"', "&quot;") + '"'

@dataclass
class _P:
    """One paragraph: a style and the runs, plus the few direct properties the writer sets.
    Properties are fields, written in the schema's order (CT_PPrBase) by `xml`, so no element
    can appear twice whatever the library renders."""

    style_id: str
    runs: str
    keep_next: bool = False
    page_break: bool = False
    lang: str = ""                # the paragraph mark's language (a bilingual second column)

    def xml(self) -> str:
        props = (f"<w:pStyle w:val={quoteattr(self.style_id)}/>"
                 + ("<w:keepNext/>" if self.keep_next else "")
                 + ("<w:pageBreakBefore/>" if self.page_break else "")
                 + (f"<w:rPr><w:lang w:val={quoteattr(self.lang)}/></w:rPr>" if self.lang else ""))
        return f"<w:p><w:pPr>{props}</w:pPr>{self.runs}</w:p>"


@dataclass
class _Cell:
    width: int
    paragraphs: list[_P]
    span: int = 1                 # grid columns the cell spans
    box: bool = False             # a square tick box (a nested 1x1 table of exact size) on top
    border_bottom: bool = False   # a rule under the cell (the header row of a bilingual table)
    blocks: list[_P | _Table] | None = None   # content in order (paragraphs and tables mixed)

    def xml(self) -> str:
        props = f'<w:tcW w:w="{self.width}" w:type="dxa"/>'
        if self.span > 1:
            props += f'<w:gridSpan w:val="{self.span}"/>'
        if self.border_bottom:
            props += ('<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" '
                      'w:color="auto"/></w:tcBorders>')
        if self.blocks is not None:   # a cell must end with a paragraph
            blocks = list(self.blocks)
            if not blocks or not isinstance(blocks[-1], _P):
                blocks.append(_P(self.paragraphs[0].style_id if self.paragraphs else "", ""))
            return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(b.xml() for b in blocks)}</w:tc>"
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
    header_rows: int = 0          # rows repeated at the top of every page (w:tblHeader)
    split_rows: bool = False      # rows may break across pages (long paragraphs side by side)

    def xml(self) -> str:
        style = f"<w:tblStyle w:val={quoteattr(self.style_id)}/>" if self.style_id else ""
        indent = f'<w:tblInd w:w="{self.indent}" w:type="dxa"/>' if self.indent else ""
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in self.widths)
        out = [f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{sum(self.widths)}" w:type="dxa"/>{indent}'
               f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
               f"<w:tblGrid>{grid}</w:tblGrid>"]
        for index, cells in enumerate(self.rows):
            props = ("" if self.split_rows and index >= self.header_rows else "<w:cantSplit/>") \
                + ("<w:tblHeader/>" if index < self.header_rows else "")
            out.append(f"<w:tr><w:trPr>{props}</w:trPr>" if props else "<w:tr>")
            out.extend(cell.xml() for cell in cells)
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out)


class _Body:
    """Collects the body as paragraphs and tables (serialised once, at the end)."""

    def __init__(self, reference: Reference, *, lang: str = "", width: int | None = None) -> None:
        self.reference = reference
        self.parts: list[_P | _Table] = []
        self.lang = lang            # the language of its text when not the document's
        self.width = reference.text_width if width is None else width   # twips it may fill

    def p(self, style: str, runs: str, *, keep_next: bool = False,
          page_break: bool = False) -> _P:
        return _P(self.reference.style(style), runs, keep_next=keep_next, page_break=page_break,
                  lang=self.lang)

    def paragraph(self, style: str, runs: str, *, keep_next: bool = False,
                  page_break: bool = False) -> None:
        self.parts.append(self.p(style, runs, keep_next=keep_next, page_break=page_break))

    def xml(self) -> str:
        return "".join(part.xml() for part in self.parts)


def run(text: str, bold: bool = False, lang: str = "") -> str:
    """One run; `lang`: its language when it differs from the document's (a bilingual
    document's second column), so spelling and hyphenation follow it."""
    if not text:
        return ""
    props = ("<w:b/>" if bold else "") + (f"<w:lang w:val={quoteattr(lang)}/>" if lang else "")
    props = f"<w:rPr>{props}</w:rPr>" if props else ""
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


def inline_runs(nodes: tuple[Inline, ...], bold: bool = False, lang: str = "") -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(run(node.text, bold, lang))
        elif isinstance(node, Strong):
            out.append(inline_runs(node.children, True, lang))
        elif isinstance(node, Ref):
            out.append(run(node.text, bold, lang))
        elif isinstance(node, Term):  # a definition: „Begriff“ with the term in bold
            out.append(run(node.quotes[0], bold, lang) + run(node.text, True, lang)
                       + run(node.quotes[1], bold, lang) if node.definition
                       else run(node.text, bold, lang))
    return "".join(out)

def _parties(body: _Body, document: Document) -> None:
    body.paragraph("Vertrag Parteien verbindend", run(document.parties_between))
    for index, party in enumerate(document.parties):
        if index:
            body.paragraph("Vertrag Parteien verbindend", run(document.parties_and))
        for number, line in enumerate(party.lines):
            body.paragraph("Vertrag Parteien", run(line, bold=number == 0))
        body.paragraph("Vertrag Rolle", run(party.caption))


def _paragraph(body: _Body, paragraph: Paragraph, document: Document) -> None:
    lang = body.lang
    if paragraph.content:
        if paragraph.number is not None:
            runs = run(f"({paragraph.number})\t", lang=lang) + inline_runs(paragraph.content,
                                                                          lang=lang)
            body.paragraph("Vertrag Absatz nummeriert", runs)
        else:
            body.paragraph("Vertrag Absatz", inline_runs(paragraph.content, lang=lang))
    for item_list in paragraph.lists:
        if is_form(item_list):
            _form(body, item_list, document)
        else:
            _list(body, item_list)


def _list(body: _Body, item_list: ItemList) -> None:
    for number, item in enumerate(item_list.items, start=1):
        marker = f"{number}.\t" if item_list.ordered else f"{_BULLET}\t"
        body.paragraph("Vertrag Liste", run(marker, lang=body.lang)
                       + inline_runs(item, lang=body.lang))


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
    width = body.width - indent
    box, gap = TICK_BOX_SIZE + 250, 300
    side = (width - box - gap) * 2 // 5  # place and date need less room than the signature
    widths = (box, side, gap, width - box - gap - side)
    place_caption = document.signatures[0].place_date_caption if document.signatures else ""
    rows: list[list[_Cell]] = []
    for item in item_list.items:
        text = plain_text(item)
        if text.lstrip().startswith(TICK_BOX):
            content = inline_runs(_strip_prefix(item, TICK_BOX), lang=body.lang)
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
                body.p("Vertrag Erklärung", inline_runs(item, lang=body.lang), keep_next=True)],
                span=3)])
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
    return [body.p("Vertrag Unterschrift", run(value or "\u00a0", lang=body.lang), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(caption, lang=body.lang), keep_next=True)]


def _signatures(body: _Body, document: Document) -> None:
    """Each party: a place/date line (filled in when the answers give it) and a signature line.
    One unsplittable row, kept with the contract's last paragraph: never alone on a page."""
    _signature_cells(body, [(s.place_date, s.place_date_caption, f"{s.name} ({s.role})")
                            for s in document.signatures])


def _signature_cells(body: _Body, signatures: list[tuple[str, str, str]]) -> None:
    """The signature row from (place and date, its caption, name and role) of each party."""
    if body.parts and isinstance(body.parts[-1], _P):
        body.parts[-1].keep_next = True
    width = body.reference.text_width
    gap = 600
    side = (width - gap) // 2
    columns: list[_Cell] = []
    for index, (place_date, caption, signer) in enumerate(signatures):
        if index:
            columns.append(_Cell(gap, []))
        paragraphs = [
            body.p("Vertrag Unterschrift Ort", run(place_date or "\u00a0"), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(caption), keep_next=True),
            body.p("Vertrag Unterschrift", run("\u00a0"), keep_next=True),
            body.p("Vertrag Unterschrift Hinweis", run(signer)),
        ]
        columns.append(_Cell(side, paragraphs))
    widths = tuple(cell.width for cell in columns)
    if len(columns) == 1:
        columns[0].width, widths = width, (width,)
    body.parts.append(_Table(widths, [columns]))
