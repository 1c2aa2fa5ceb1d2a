"""Option types shared by all command modules, so every command names and explains them alike."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

LibraryOption = Annotated[
    Path | None,
    typer.Option("--library", "-l", help="Andere Klauselbibliothek (Verzeichnis). "
                 "Standard: $CONTRACTGEN_LIBRARY oder die mitgelieferte.", show_default=False),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", "-s", help="Einzelne Antwort vorgeben bzw. überschreiben, z. B. "
                 "--set honorar.betrag=5000 (mehrfach möglich).", show_default=False),
]
ForceOption = Annotated[
    bool, typer.Option("--force", "-f", help="Eine vorhandene Ausgabedatei ersetzen."),
]
