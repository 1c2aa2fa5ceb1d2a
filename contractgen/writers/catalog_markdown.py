"""The clause catalogue as Markdown (for review in a diff or a browser)."""

from __future__ import annotations

from ..model import Paragraph, plain_text
from ..model.catalog import Catalog, CatalogEntry


def write_catalog_markdown(catalog: Catalog) -> str:
    out = [f"# {catalog.title}", "", f"Stand: {catalog.stand} · {len(catalog.entries)} "
           "Klauseln", ""]
    for entry in catalog.entries:
        out += _entry(entry)
    return "\n".join(out).rstrip("\n") + "\n"


def metadata_rows(entry: CatalogEntry) -> list[tuple[str, str]]:
    """The table of one entry (shared with the DOCX writer, so both show the same facts)."""
    rows = [
        ("id", entry.id),
        ("Version", entry.version),
        ("Abschnitt", entry.section + (" (Anlage)" if entry.annex else "")),
        ("Bedingung", entry.condition),
        ("Rechtsgrundlagen", "; ".join(entry.legal) or "keine angegeben"),
        ("Prüfung", entry.review),
    ]
    if entry.topic:
        safeguards = f" (Schutzklauseln: {', '.join(entry.safeguards)})" if entry.safeguards else ""
        rows.append(("Thema", entry.topic + safeguards))
    if entry.replaces:
        rows.append(("Ersetzt", ", ".join(entry.replaces)))
    if entry.example:
        rows.append(("Beispiel", entry.example))
    return rows


def paragraph_lines(paragraphs: tuple[Paragraph, ...]) -> list[str]:
    lines: list[str] = []
    for paragraph in paragraphs:
        if paragraph.content:
            prefix = f"({paragraph.number}) " if paragraph.number is not None else ""
            lines += [prefix + plain_text(paragraph.content), ""]
        for item_list in paragraph.lists:
            for number, item in enumerate(item_list.items, start=1):
                lines.append(f"{f'{number}.' if item_list.ordered else '-'} {plain_text(item)}")
            lines.append("")
    return lines


def _entry(entry: CatalogEntry) -> list[str]:
    out = [f"## {entry.title} (`{entry.id}`)", "", "| | |", "|---|---|"]
    out += [f"| {label} | {value.replace('|', '/')} |" for label, value in metadata_rows(entry)]
    out.append("")
    if entry.problem:
        out += [f"**Beispiel nicht darstellbar:** {entry.problem}", ""]
    out += ["### Text (mit Beispielwerten)", "", *paragraph_lines(entry.paragraphs)]
    if entry.short:
        out += ["### Kurzform (E-Mail)", "", *paragraph_lines(entry.short)]
    if entry.note:
        out += ["### Hinweis für die Prüfung", "", entry.note, ""]
    return out
