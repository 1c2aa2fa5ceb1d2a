"""A bilingual contract in DOCX: both languages side by side in a two-column table, clause by
clause and paragraph by paragraph (model/bilingual.py pairs them), the prevailing language on
the left. The header row ("Deutsch | English") repeats on every page; each cell of the right
column is tagged with its own language (w:lang on every run and paragraph mark), so Word and
LibreOffice check spelling and hyphenate each column in its language. Rows may break across
pages; headings keep with the row that follows. The signatures follow the table with captions
in both languages, each annex starts a page with a table of its own.
"""

from __future__ import annotations

from ..model import Document, Paragraph, SectionPair
from ..model.bilingual import both as _both
from .docx_blocks import _P, _Body, _Cell, _paragraph, _signature_cells, _Table, run
from .docx_reference import Reference

GAP = 280           # twips between the two columns (left and right cell margins together)


class _Columns:
    """The rows of one side-by-side table."""

    def __init__(self, reference: Reference, document: Document) -> None:
        assert document.bilingual is not None
        self.reference = reference
        self.document = document
        self.other = document.bilingual.other
        self.lang = self.other.lang
        half = reference.text_width // 2
        self.widths = (half, reference.text_width - half)
        self.rows: list[list[_Cell]] = []
        headers = document.bilingual.headers
        self.rows.append([self._cell(0, [self._p(0, "Vertrag Tabelle", run(headers[0], True))],
                                     border=True),
                          self._cell(1, [self._p(1, "Vertrag Tabelle",
                                                 run(headers[1], True, self.lang))], border=True)])

    def _body(self, side: int) -> _Body:
        return _Body(self.reference, lang=self.lang if side else "",
                     width=self.widths[side] - GAP)

    def _p(self, side: int, style: str, runs: str, *, keep_next: bool = False) -> _P:
        return self._body(side).p(style, runs, keep_next=keep_next)

    def _cell(self, side: int, blocks: list[_P | _Table], *, border: bool = False) -> _Cell:
        return _Cell(self.widths[side], [b for b in blocks if isinstance(b, _P)][:1] or [
            self._p(side, "Vertrag Absatz", "")], blocks=blocks, border_bottom=border)

    def row(self, left: list[_P | _Table], right: list[_P | _Table]) -> None:
        self.rows.append([self._cell(0, left), self._cell(1, right)])

    def text_row(self, style: str, left: str, right: str, *, bold: bool = False,
                 keep_next: bool = False) -> None:
        self.row([self._p(0, style, run(left, bold), keep_next=keep_next)],
                 [self._p(1, style, run(right, bold, self.lang), keep_next=keep_next)])

    def paragraph_row(self, left: Paragraph, right: Paragraph) -> None:
        sides = []
        for side, (paragraph, document) in enumerate(((left, self.document), (right, self.other))):
            body = self._body(side)
            _paragraph(body, paragraph, document)
            sides.append(body.parts)
        self.row(sides[0], sides[1])

    def section(self, pair: SectionPair) -> None:
        self.text_row("Heading 1", pair.left.heading, pair.right.heading, keep_next=True)
        for left, right in pair.paragraphs:
            self.paragraph_row(left, right)

    def table(self) -> _Table:
        return _Table(self.widths, self.rows, header_rows=1, split_rows=True)


def bilingual_body(document: Document, reference: Reference) -> _Body:
    """The document body: the contract as one side-by-side table, the signatures, the annexes."""
    bilingual = document.bilingual
    assert bilingual is not None
    other = bilingual.other
    body = _Body(reference)
    columns = _Columns(reference, document)
    columns.text_row("Title", document.title, other.title)
    if document.subtitle or other.subtitle:
        columns.text_row("Subtitle", document.subtitle, other.subtitle)
    columns.row(_parties(columns, document, 0), _parties(columns, other, 1))
    for left, right in bilingual.preamble:
        columns.paragraph_row(left, right)
    if bilingual.overview:
        columns.text_row("Heading 2", document.overview_title, other.overview_title,
                         keep_next=True)
        for row, twin in bilingual.overview:
            columns.row([columns._p(0, "Vertrag Tabelle", run(row.label, True)),
                         columns._p(0, "Vertrag Tabelle", run(row.value))],
                        [columns._p(1, "Vertrag Tabelle", run(twin.label, True, columns.lang)),
                         columns._p(1, "Vertrag Tabelle", run(twin.value, False, columns.lang))])
    for pair in bilingual.body_sections:
        columns.section(pair)
    for left, right in bilingual.conclusion:
        columns.paragraph_row(left, right)
    body.parts.append(columns.table())
    if document.signatures:
        _bilingual_signatures(body, document)
    for pair in bilingual.annexes:
        annex = _Columns(reference, document)
        annex.section(pair)
        body.paragraph("Vertrag Absatz", "", page_break=True)
        body.parts.append(annex.table())
    return body


def _parties(columns: _Columns, document: Document, side: int) -> list[_P | _Table]:
    out: list[_P | _Table] = [columns._p(side, "Vertrag Parteien verbindend",
                                         run(document.parties_between, lang=columns._body(side).lang))]
    lang = columns._body(side).lang
    for index, party in enumerate(document.parties):
        if index:
            out.append(columns._p(side, "Vertrag Parteien verbindend",
                                  run(document.parties_and, lang=lang)))
        for number, line in enumerate(party.lines):
            out.append(columns._p(side, "Vertrag Parteien", run(line, number == 0, lang)))
        out.append(columns._p(side, "Vertrag Rolle", run(party.caption, lang=lang)))
    return out


def _bilingual_signatures(body: _Body, document: Document) -> None:
    """The signature block once, its captions in both languages ("Ort, Datum / Place, date")."""
    assert document.bilingual is not None
    other = document.bilingual.other.signatures
    signatures = []
    for index, signature in enumerate(document.signatures):
        twin = other[index] if index < len(other) else signature
        signatures.append((signature.place_date,
                           _both(signature.place_date_caption, twin.place_date_caption),
                           f"{signature.name} ({_both(signature.role, twin.role)})"))
    _signature_cells(body, signatures)


