"""Jinja2 -> Markdown -> pandoc. Usage: python pandoc_peer.py LINES_FILE OUT.docx"""

from __future__ import annotations

import subprocess
import sys

import jinja2

if __name__ == "__main__":
    lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
    values = {"kunde": "Kunde GmbH", "projekt": "Projekt", "honorar": "4.800,00 €", "beginn": "1. März 2027"}
    markdown = "\n\n".join(jinja2.Template(line).render(values) for line in lines)
    subprocess.run(["pandoc", "-f", "markdown", "-t", "docx", "-o", sys.argv[2]], input=markdown,
                   text=True, check=True)
