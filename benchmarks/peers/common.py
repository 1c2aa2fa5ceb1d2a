"""The contract the peers render: contractgen's own Markdown of the designer sample, with the
answer values turned back into template variables, so every peer produces the same text."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "designerin-pauschal.yaml"
VALUES = {
    "kunde": "Nordlicht Kommunikation GmbH",
    "projekt": "Neugestaltung des Markenauftritts",
    "honorar": "4.800,00\u00a0€",
    "beginn": "15. Januar 2027",
}


@lru_cache(maxsize=1)
def contract_lines() -> list[str]:
    """The contract as Jinja-templated lines (headings marked with '#')."""
    markdown = subprocess.run([sys.executable, "-m", "contractgen", "generate", str(SAMPLE), "--format",
                               "md"], capture_output=True, text=True, check=True).stdout
    for name, value in VALUES.items():
        markdown = markdown.replace(value, "{{ " + name + " }}")
    lines = [line.strip() for line in markdown.splitlines()]
    return [re.sub(r"\s+", " ", line) for line in lines if line and not line.startswith("|")]


def word_count() -> int:
    return sum(len(line.split()) for line in contract_lines())
