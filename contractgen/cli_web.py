"""The `web` command (issue 16): the questionnaire as a local web page. Registered on the main
app by cli.py; the web stack (the optional extra `contractgen[web]`) is imported only when the
command runs, so the other commands never load it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_common import LibraryOption, guarded


def web(
    previous: Annotated[Path | None, typer.Option(
        "--from", help="Mit den Angaben dieser Antwortdatei beginnen.", show_default=False)] = None,
    port: Annotated[int | None, typer.Option(
        "--port", min=1, max=65535, help="Port auf 127.0.0.1. Standard: ein freier Port.",
        show_default=False)] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Den Browser nicht öffnen (nur die Adresse ausgeben).")] = False,
    auftrag: Annotated[Path | None, typer.Option(
        "--auftrag", help="Einen Einzelauftrag zu diesem Rahmenvertrag (Antwortdatei) erstellen.",
        show_default=False)] = None,
    library: LibraryOption = None,
) -> None:
    """Den Fragebogen als Webseite auf diesem Rechner öffnen, mit Vorschau des Vertrags.

    Die erste Zeile der Ausgabe ist die Adresse (mit Zugangsschlüssel). Nur von diesem Rechner
    aus erreichbar; Strg+C beendet. Mit --library PFAD (für Juristinnen und Juristen) wird die
    Vorschau bei jeder Änderung einer Klauseldatei neu erzeugt und library check angezeigt."""
    from .web import INSTALL_HINT, missing_packages

    missing = missing_packages()
    if missing:
        from .errors import ToolMissingError

        raise ToolMissingError(f"{INSTALL_HINT} (fehlt: {', '.join(missing)}).")
    from .web.server import serve

    serve(library=library, answers=previous, framework=auftrag, port=port,
          open_browser=not no_browser, lawyer=library is not None)


def register(app: typer.Typer) -> None:
    """Add `web` to `app` (behind the error wall)."""
    app.command("web")(guarded(web))
