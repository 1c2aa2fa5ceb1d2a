"""Markdown writer: previews, diffs and the golden files a lawyer reviews."""

from __future__ import annotations

from ..model import Document, Inline, Paragraph, Ref, Strong, Term, Text


def write_markdown(document: Document) -> str:
    out: list[str] = [f"# {document.title}", ""]
    if document.subtitle:
        out += [f"**{document.subtitle}**", ""]
    out += [document.parties_between, ""]
    for index, party in enumerate(document.parties):
        if index:
            out += [document.parties_and, ""]
        out += ["  \n".join(party.lines), "", party.caption, ""]
    for paragraph in document.preamble:
        out += _paragraph(paragraph)
    if document.overview:
        out += [f"## {document.overview_title}", "", "| | |", "|---|---|"]
        out += [f"| {row.label} | {row.value} |" for row in document.overview]
        out.append("")
    for section in document.body_sections:
        out += [f"## {section.heading}", ""]
        for paragraph in section.paragraphs:
            out += _paragraph(paragraph)
    for paragraph in document.conclusion:
        out += _paragraph(paragraph)
    for signature in document.signatures:
        out += [
            f"{signature.place_date or '_' * 20}  ",
            f"{signature.place_date_caption}",
            "",
            "_" * 30 + "  ",
            f"{signature.name} ({signature.role})",
            "",
        ]
    for annex in document.annexes:
        out += [f"## {annex.heading}", ""]
        for paragraph in annex.paragraphs:
            out += _paragraph(paragraph)
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraph(paragraph: Paragraph) -> list[str]:
    lines: list[str] = []
    if paragraph.content:
        prefix = f"({paragraph.number}) " if paragraph.number is not None else ""
        lines += [prefix + _inlines(paragraph.content), ""]
    for item_list in paragraph.lists:
        for number, item in enumerate(item_list.items, start=1):
            marker = f"{number}." if item_list.ordered else "-"
            lines.append(f"{marker} {_inlines(item)}")
        lines.append("")
    return lines


def _inlines(nodes: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in nodes:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, Strong):
            parts.append(f"**{_inlines(node.children)}**")
        elif isinstance(node, Ref):
            parts.append(node.text)
        elif isinstance(node, Term):
            parts.append(f"„**{node.text}**“" if node.definition else node.text)
    return "".join(parts)
