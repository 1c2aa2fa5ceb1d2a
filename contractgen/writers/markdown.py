"""Markdown writer: previews, diffs and the golden files a lawyer reviews.

Every text is escaped, so an answer such as "# Titel", "**fett**" or "- Liste" is shown as it
was typed and never becomes Markdown (or HTML) in a previewer.
"""

from __future__ import annotations

import re

from ..model import Document, Inline, Paragraph, Ref, Strong, Term, Text
from .options import WriterOptions

# Markdown syntax in text: emphasis, code, links, HTML, tables, GFM strikethrough (~~) and
# entity references (&copy; would become ©)
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# block markers only count when a space (or the end) follows: "- x", "# x", "1. x", "1) x"
_UNDERLINE = re.compile(r"\s*(=+|-+)\s*")
_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))(?=\s|$)")


def escape(text: str) -> str:
    """Text as Markdown that reads literally, also at the start of a line."""
    escaped = _INLINE.sub(r"\\\1", text)

    def start(match: re.Match[str]) -> str:
        if match.group(2):
            return f"{match.group(1)}\\{match.group(2)}"
        return f"{match.group(1)}{match.group(3)}\\{match.group(4)}"

    if _UNDERLINE.fullmatch(escaped):  # "===" or "---" alone would underline the line above
        stripped = escaped.lstrip()
        return escaped[: len(escaped) - len(stripped)] + "\\" + stripped
    return _LINE_START.sub(start, escaped, count=1)


def _cell(text: str) -> str:
    return _INLINE.sub(r"\\\1", text)


def write_markdown(document: Document) -> str:
    """The document; a bilingual one as its two languages one after the other, the prevailing
    language first, separated by a rule."""
    if document.bilingual is not None:
        return (_markdown(document) + "\n---\n\n" + _markdown(document.bilingual.other))
    return _markdown(document)


def _markdown(document: Document) -> str:
    out: list[str] = [f"# {escape(document.title)}", ""]
    if document.subtitle:
        out += [f"**{escape(document.subtitle)}**", ""]
    out += [escape(document.parties_between), ""]
    for index, party in enumerate(document.parties):
        if index:
            out += [escape(document.parties_and), ""]
        out += ["  \n".join(escape(line) for line in party.lines), "", escape(party.caption), ""]
    for paragraph in document.preamble:
        out += _paragraph(paragraph)
    if document.overview:
        out += [f"## {escape(document.overview_title)}", "", "| | |", "|---|---|"]
        # inside a table cell only inline syntax matters (a cell never starts a list)
        out += [f"| {_cell(row.label)} | {_cell(row.value)} |" for row in document.overview]
        out.append("")
    for section in document.body_sections:
        out += [f"## {escape(section.heading)}", ""]
        for paragraph in section.paragraphs:
            out += _paragraph(paragraph)
    for paragraph in (*document.annex_list, *document.conclusion):
        out += _paragraph(paragraph)
    for signature in document.signatures:
        out += [
            f"{escape(signature.place_date) if signature.place_date else '_' * 20}  ",
            escape(signature.place_date_caption),
            "",
            "_" * 30 + "  ",
            escape(f"{signature.name} ({signature.role})"),
            "",
        ]
    for annex in document.annexes:
        out += [f"## {escape(annex.heading)}", ""]
        for paragraph in annex.paragraphs:
            out += _paragraph(paragraph)
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraph(paragraph: Paragraph) -> list[str]:
    lines: list[str] = []
    if paragraph.content:
        prefix = f"({paragraph.number}) " if paragraph.number is not None else ""
        lines += [prefix + _inlines(paragraph.content, at_line_start=not prefix), ""]
    for item_list in paragraph.lists:
        for number, item in enumerate(item_list.items, start=1):
            marker = f"{number}." if item_list.ordered else "-"
            lines.append(f"{marker} {_inlines(item, at_line_start=True)}")
        lines.append("")
    return lines


def _inlines(nodes: tuple[Inline, ...], at_line_start: bool = False) -> str:
    parts: list[str] = []
    for index, node in enumerate(nodes):
        if isinstance(node, Text):
            text = escape(node.text) if index == 0 and at_line_start else _INLINE.sub(r"\\\1", node.text)
            parts.append(text)
        elif isinstance(node, Strong):
            parts.append(f"**{_inlines(node.children)}**")
        elif isinstance(node, Ref):
            parts.append(node.text)
        elif isinstance(node, Term):
            parts.append(f"{node.quotes[0]}**{escape(node.text)}**{node.quotes[1]}"
                         if node.definition else escape(node.text))
    return "".join(parts)


def write(document: Document, options: WriterOptions) -> bytes:
    """The registry's entry point (writers/__init__.py)."""
    return write_markdown(document).encode("utf-8")
