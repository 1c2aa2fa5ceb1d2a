"""The `beispiele` command: list the sample answers files that ship inside the package, or copy
one (or all) of them out, so the README's commands work after `pip install`."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import ForceOption, err, guarded, out

WIDTH = 80


def beispiele(
    name: Annotated[str | None, typer.Argument(
        help="Name des Beispiels (z. B. designerin-pauschal) oder „alle“. Ohne Namen: die Liste.",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Ordner, in den das Beispiel kopiert wird (wird angelegt; Standard: "
        "das aktuelle Verzeichnis); -o - gibt es auf der Standardausgabe aus.",
        show_default=False)] = None,
    force: ForceOption = False,
) -> None:
    """Die mitgelieferten Beispiel-Antwortdateien auflisten oder herauskopieren.

    contractgen beispiele alle -o samples legt sie so ab, wie die Befehle im README sie nennen
    (samples/designerin-pauschal.yaml …)."""
    from .beispiele import copy_samples, find_sample, list_samples

    if name is None:
        samples = list_samples()
        out("Mitgelieferte Beispiele (kopieren: contractgen beispiele NAME -o ORDNER):")
        for sample in samples:
            out("")
            out(f"  {sample.name}")
            for line in textwrap.wrap(sample.description, WIDTH - 6):
                out(f"      {line}")
        out("")
        out("Alle, unter den Namen aus dem README: contractgen beispiele alle -o samples")
        return
    if output is not None and str(output) == "-":
        if name == "alle":
            raise typer.BadParameter("-o - gibt nur ein Beispiel aus, nicht alle", param_hint="-o")
        sys.stdout.write(find_sample(name).path.read_text(encoding="utf-8"))
        return
    for path in copy_samples(name, output or Path("."), force=force):
        err(f"Geschrieben: {path}")


def register(app: typer.Typer) -> None:
    """Add `beispiele` to `app` (behind the error wall)."""
    app.command("beispiele")(guarded(beispiele))
