"""HTML writer: one self-contained, printable page of the contract, for a preview in a browser.

Styles are inline (no file, font or script is loaded from anywhere), the page carries the
document's language (`lang`), every text is escaped, and cross-references link to the clause
or paragraph they name. Printing gives A4 pages; annexes start on a new page.
"""

from __future__ import annotations

from html import escape

from ..model import (
    Document,
    Inline,
    ItemList,
    Paragraph,
    Ref,
    Section,
    SectionPair,
    Strong,
    Term,
    Text,
)
from ..model.bilingual import both
from ..model.typeset import keep_citations_together
from .options import WriterOptions

STYLE = """
@page { size: A4; margin: 2.5cm 2cm 2cm 2.5cm; }
html { background: #f3f3f1; }
body { box-sizing: border-box; max-width: 21cm; margin: 1.5rem auto; padding: 2.5cm 2cm 2cm 2.5cm;
  background: #fff; color: #1a1a1a; font: 11pt/1.45 Carlito, Calibri, "Liberation Sans", Arial,
  sans-serif; hyphens: auto; overflow-wrap: break-word; box-shadow: 0 0 .4rem rgba(0,0,0,.15); }
h1 { font-size: 1.6em; text-align: center; margin: 0 0 .3em; }
.subtitle { text-align: center; font-weight: bold; margin: 0 0 1.8em; }
.parties p, .parties address { text-align: center; font-style: normal; margin: .6em 0; }
.parties address span:first-child { font-weight: bold; }
.role { font-style: italic; }
h2 { font-size: 1.15em; margin: 1.6em 0 .5em; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 .6em; text-align: justify; }
p.numbered { padding-left: 2.2em; text-indent: -2.2em; }
.number { display: inline-block; min-width: 2.2em; text-indent: 0; }
ol, ul { margin: 0 0 .6em 2.2em; padding-left: 1.4em; }
ul { list-style: "\\2013\\00a0\\00a0"; }
li { margin: 0 0 .25em; }
table.overview { border-collapse: collapse; width: 100%; margin: 0 0 1em; break-inside: avoid; }
table.overview th, table.overview td { border: 1px solid #8c8c8c; padding: .3em .5em;
  text-align: left; vertical-align: top; }
table.overview th { width: 37%; }
table.signatures { width: 100%; margin-top: 2.5em; border-collapse: collapse;
  break-inside: avoid; page-break-inside: avoid; }
table.signatures td { width: 50%; padding: 0 1.5em 0 0; vertical-align: top; }
.field { height: 2.4em; display: flex; align-items: flex-end; margin-bottom: .2em; }
.field.blank, .line { border-bottom: 1px solid #1a1a1a; }
.line { height: 3.4em; margin: 0 0 .2em; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.caption { font-size: .85em; color: #444; }
section.annex { break-before: page; page-break-before: always; }
a { color: inherit; text-decoration: none; border-bottom: 1px dotted #888; }
table.bilingual { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.bilingual th { text-align: left; border-bottom: 1px solid #1a1a1a; padding: .2em .6em .2em 0; }
table.bilingual td { vertical-align: top; padding: 0 .9em 0 0; width: 50%; }
table.bilingual td + td, table.bilingual th + th { padding: 0 0 0 .9em; }
table.bilingual h1 { font-size: 1.35em; }
table.bilingual tr.heading td { break-after: avoid; page-break-after: avoid; }
table.bilingual.annex { break-before: page; page-break-before: always; margin-top: 0; }
table.bilingual p.numbered { padding-left: 2.2em; }
@media print {
  html { background: none; }
  body { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  a { border-bottom: none; }
}
"""


def write_html(document: Document) -> str:
    """The whole page."""
    title = document.title if not document.subtitle else f"{document.title} – {document.subtitle}"
    generator = document.provenance.generator
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_attr(document.lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{_attr(generator)}">\n'
        f"<title>{escape(title, quote=False)}</title>\n<style>{STYLE}</style>\n</head>\n"
        f"<body>\n{html_body(document)}</body>\n</html>\n"
    )


def html_body(document: Document) -> str:
    """The contract as HTML elements without the page around them (for embedding); a bilingual
    document as a two-column table, each cell with its language (html_bilingual.py)."""
    document = keep_citations_together(document)
    if document.bilingual is not None:
        return bilingual_body(document)
    out: list[str] = [f"<h1>{_text(document.title)}</h1>\n"]
    if document.subtitle:
        out.append(f'<p class="subtitle">{_text(document.subtitle)}</p>\n')
    out.append(_parties(document))
    out += [_paragraph(p) for p in document.preamble]
    if document.overview:
        rows = "".join(f"<tr><th>{_text(row.label)}</th><td>{_text(row.value)}</td></tr>\n"
                       for row in document.overview)
        out.append(f'<section class="overview">\n<h2>{_text(document.overview_title)}</h2>\n'
                   f'<table class="overview">\n{rows}</table>\n</section>\n')
    body = document.body_sections
    after = (*document.annex_list, *document.conclusion)    # between the clauses and signatures
    # the signatures never stand alone on a page: the last paragraph travels with them
    closing = _signatures(document) if document.signatures and not after else ""
    out += [_section(section, "clause", closing if index == len(body) - 1 else "")
            for index, section in enumerate(body)]
    if document.signatures and after:
        *rest, last = [_paragraph(p) for p in after]
        out += rest
        out.append(f'<div class="keep">\n{last}{_signatures(document)}</div>\n')
    else:
        out += [_paragraph(p) for p in after]
        if document.signatures and not body:
            out.append(_signatures(document))
    out += [_section(section, "annex") for section in document.annexes]
    return "".join(out)


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py)."""
    return write_html(document).encode("utf-8")


def _parties(document: Document) -> str:
    out = ['<section class="parties">\n', f"<p>{_text(document.parties_between)}</p>\n"]
    for index, party in enumerate(document.parties):
        if index:
            out.append(f"<p>{_text(document.parties_and)}</p>\n")
        lines = "<br>".join(f"<span>{_text(line)}</span>" for line in party.lines)
        out.append(f"<address>{lines}</address>\n")
        if party.caption:
            out.append(f'<p class="role">{_text(party.caption)}</p>\n')
    out.append("</section>\n")
    return "".join(out)


def _section(section: Section, kind: str, closing: str = "") -> str:
    """One clause; `closing` (the signatures) is kept on one page with its last paragraph."""
    paragraphs = [_paragraph(p, section.clause_id) for p in section.paragraphs]
    if closing:
        last = paragraphs.pop() if paragraphs else ""
        paragraphs.append(f'<div class="keep">\n{last}{closing}</div>\n')
    return (f'<section class="{kind}" id="{_anchor(section.clause_id)}">\n'
            f"<h2>{_text(section.heading)}</h2>\n{''.join(paragraphs)}</section>\n")


def _paragraph(paragraph: Paragraph, clause_id: str | None = None, prefix: str = "") -> str:
    """One paragraph; `prefix` goes before its anchor and its links (the second language of a
    bilingual page has anchors of its own)."""
    out = []
    anchor = (f' id="{_anchor(prefix + clause_id, paragraph.label)}"'
              if clause_id is not None and paragraph.label else "")
    if paragraph.content:
        if paragraph.number is not None:
            out.append(f'<p class="numbered"{anchor}><span class="number">({paragraph.number})</span>'
                       f"{_inlines(paragraph.content, prefix)}</p>\n")
        else:
            out.append(f"<p{anchor}>{_inlines(paragraph.content, prefix)}</p>\n")
    out += [_list(item_list, prefix) for item_list in paragraph.lists]
    return "".join(out)


def _list(item_list: ItemList, prefix: str = "") -> str:
    tag = "ol" if item_list.ordered else "ul"
    items = "".join(f"<li>{_inlines(item, prefix)}</li>\n" for item in item_list.items)
    return f"<{tag}>\n{items}</{tag}>\n"


def _signatures(document: Document) -> str:
    cells = []
    for signature in document.signatures:
        place = (f'<div class="field">{_text(signature.place_date)}</div>' if signature.place_date
                 else '<div class="field blank"></div>')
        cells.append(f"<td>{place}<div class=\"caption\">{_text(signature.place_date_caption)}</div>"
                     f'<div class="line"></div>'
                     f'<div class="caption">{_text(f"{signature.name} ({signature.role})")}</div></td>')
    return f'<table class="signatures"><tr>{"".join(cells)}</tr></table>\n'


def _inlines(nodes: tuple[Inline, ...], prefix: str = "") -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(_text(node.text))
        elif isinstance(node, Strong):
            out.append(f"<strong>{_inlines(node.children, prefix)}</strong>")
        elif isinstance(node, Ref):
            out.append(f'<a href="#{_anchor(prefix + node.clause_id, node.label)}">'
                       f"{_text(node.text)}</a>" if node.text else _text(node.text))
        elif isinstance(node, Term):  # a definition: „Begriff“ with the term in bold
            out.append(f"{_text(node.quotes[0])}<strong>{_text(node.text)}</strong>"
                       f"{_text(node.quotes[1])}" if node.definition else _text(node.text))
    return "".join(out)


# -- a bilingual document: a two-column table, the prevailing language on the left, one row per
# heading and paragraph (model/bilingual.py pairs them), every cell with its own `lang` (so a
# browser hyphenates and a screen reader speaks each column in its language). The column
# headings repeat on every printed page (thead); references link within their own column.
def _row(left: str, right: str, lang: tuple[str, str], css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return (f'<tr{klass}><td lang="{_attr(lang[0])}">{left}</td>'
            f'<td lang="{_attr(lang[1])}">{right}</td></tr>\n')


def _table(rows: list[str], document: Document, css: str = "") -> str:
    assert document.bilingual is not None
    headers = document.bilingual.headers
    lang = document.languages
    head = (f'<thead><tr><th lang="{_attr(lang[0])}">{_text(headers[0])}</th>'
            f'<th lang="{_attr(lang[1])}">{_text(headers[1])}</th></tr></thead>\n')
    return (f'<table class="bilingual{" " + css if css else ""}">\n{head}<tbody>\n'
            f"{''.join(rows)}</tbody>\n</table>\n")


def _pair(left: Paragraph, right: Paragraph, clause_id: str | None, prefix: str,
          lang: tuple[str, str]) -> str:
    return _row(_paragraph(left, clause_id), _paragraph(right, clause_id, prefix), lang)


def _section_rows(pair: SectionPair, prefix: str, lang: tuple[str, str]) -> list[str]:
    left, right = pair.left, pair.right
    rows = [_row(f'<h2 id="{_anchor(left.clause_id)}">{_text(left.heading)}</h2>',
                 f'<h2 id="{_anchor(prefix + right.clause_id)}">{_text(right.heading)}</h2>',
                 lang, "heading")]
    rows += [_pair(one, two, left.clause_id, prefix, lang) for one, two in pair.paragraphs]
    return rows


def bilingual_body(document: Document) -> str:
    bilingual = document.bilingual
    assert bilingual is not None
    other = bilingual.other
    lang = (document.lang, other.lang)
    prefix = other.lang.split("-")[0] + "-"
    rows = [_row(f"<h1>{_text(document.title)}</h1>", f"<h1>{_text(other.title)}</h1>", lang)]
    if document.subtitle or other.subtitle:
        rows.append(_row(f'<p class="subtitle">{_text(document.subtitle)}</p>',
                         f'<p class="subtitle">{_text(other.subtitle)}</p>', lang))
    rows.append(_row(_parties(document), _parties(other), lang))
    rows += [_pair(one, two, None, prefix, lang) for one, two in bilingual.preamble]
    if bilingual.overview:
        rows.append(_row(f"<h2>{_text(document.overview_title)}</h2>",
                         f"<h2>{_text(other.overview_title)}</h2>", lang, "heading"))
        rows += [_row(f"<p><strong>{_text(one.label)}</strong><br>{_text(one.value)}</p>",
                      f"<p><strong>{_text(two.label)}</strong><br>{_text(two.value)}</p>", lang)
                 for one, two in bilingual.overview]
    for pair in bilingual.body_sections:
        rows += _section_rows(pair, prefix, lang)
    rows += [_pair(one, two, None, prefix, lang) for one, two in bilingual.conclusion]
    out = [_table(rows, document)]
    if document.signatures:
        out.append(_bilingual_signatures(document))
    for pair in bilingual.annexes:
        out.append(_table(_section_rows(pair, prefix, lang), document, "annex"))
    return "".join(out)


def _bilingual_signatures(document: Document) -> str:
    """The signature block once, its captions in both languages."""
    assert document.bilingual is not None
    other = document.bilingual.other.signatures
    cells = []
    for index, signature in enumerate(document.signatures):
        twin = other[index] if index < len(other) else signature
        caption = both(signature.place_date_caption, twin.place_date_caption)
        role = both(signature.role, twin.role)
        place = (f'<div class="field">{_text(signature.place_date)}</div>' if signature.place_date
                 else '<div class="field blank"></div>')
        cells.append(f'<td>{place}<div class="caption">{_text(caption)}</div>'
                     f'<div class="line"></div>'
                     f'<div class="caption">{_text(f"{signature.name} ({role})")}</div></td>')
    return f'<table class="signatures"><tr>{"".join(cells)}</tr></table>\n'


def _anchor(clause_id: str, label: str | None = None) -> str:
    return _attr(f"{clause_id}--{label}" if label else clause_id)


def _text(text: str) -> str:
    return escape(text, quote=False)


def _attr(text: str) -> str:
    return escape(text, quote=True)
