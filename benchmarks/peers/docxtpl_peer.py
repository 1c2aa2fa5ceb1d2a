"""docxtpl: a Word template with Jinja tags, rendered and saved.
Usage: python docxtpl_peer.py TEMPLATE.docx OUT.docx"""

from __future__ import annotations

import sys
from pathlib import Path


def make_template(lines: list[str], target: Path) -> None:
    from docx import Document

    document = Document()
    for line in lines:
        if line.startswith("#"):
            document.add_heading(line.lstrip("# "), level=1)
        else:
            document.add_paragraph(line)
    document.save(str(target))


def render(template: Path, out: Path | object, values: dict[str, str]) -> None:
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    document.render(values)
    document.save(out)


if __name__ == "__main__":
    values = {"kunde": "Kunde GmbH", "projekt": "Projekt", "honorar": "4.800,00 €", "beginn": "1. März 2027"}
    render(Path(sys.argv[1]), Path(sys.argv[2]), values)
