"""CLI commands of the questionnaire (issue 3): new, questions, check, profil.

Registered on the main app by cli.py. Heavy modules are imported inside the commands, so
`contractgen --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import ForceOption, LibraryOption, SetOption, guarded
from .cli_common import err as _stderr


def new(
    output: Annotated[Path, typer.Option("--output", "-o", help="Die Antwortdatei, die geschrieben "
                                         "wird.")] = Path("antworten.yaml"),
    vertragsart: Annotated[str | None, typer.Option(
        "--vertragsart", help="rahmenvertrag oder email-vereinbarung (wird dann nicht gefragt).",
        show_default=False)] = None,
    previous: Annotated[Path | None, typer.Option(
        "--from", help="Von einer früheren Antwortdatei ausgehen (z. B. derselbe Auftraggeber, "
        "neues Projekt): nur Geändertes und Fehlendes wird gefragt.", show_default=False)] = None,
    force: ForceOption = False,
    sets: SetOption = None,
    library: LibraryOption = None,
    auftrag: Annotated[Path | None, typer.Option(
        "--auftrag", help="Einen Einzelauftrag zu diesem Rahmenvertrag (Antwortdatei) anlegen: "
        "nur die Fragen des Einzelauftrags; was der Rahmenvertrag festlegt, wird nicht gefragt.",
        show_default=False)] = None,
) -> None:
    """Fragen im Terminal beantworten und die Antwortdatei schreiben (danach auf Wunsch den Vertrag).

    Enter übernimmt den Vorschlag in Klammern, ? zeigt eine Erklärung. Strg+C bricht ab, ohne
    etwas zu speichern. Ihr Profil (contractgen profil) liefert Ihre eigenen Angaben.
    Mit --auftrag RAHMEN-ANTWORTEN entsteht die Antwortdatei eines Einzelauftrags."""
    from .questionnaire.prompting import PromptIO
    from .workflows import new_answers, new_order

    if auftrag is not None:
        if output == Path("antworten.yaml"):
            output = Path("einzelauftrag.yaml")
        new_order(auftrag, output, io=PromptIO(), force=force, sets=tuple(sets or ()),
                  library_path=library)
        return
    new_answers(output, io=PromptIO(), vertragsart=vertragsart, previous=previous, force=force,
                sets=tuple(sets or ()), library_path=library)


def questions(
    as_json: Annotated[bool, typer.Option("--json", help="Den Fragebogen als JSON ausgeben "
                                          "(für Skripte und andere Programme).")] = False,
    library: LibraryOption = None,
) -> None:
    """Eine kommentierte Vorlage der Antwortdatei ausgeben (jeder Schlüssel mit Erklärung)."""
    from .api import load_library
    from .questionnaire.answers_yaml import answers_template
    from .questionnaire.schema import questionnaire_json

    questionnaire = load_library(library).questionnaire
    if as_json:
        import json

        sys.stdout.write(json.dumps(questionnaire_json(questionnaire), ensure_ascii=False,
                                    indent=2) + "\n")
    else:
        sys.stdout.write(answers_template(questionnaire))


def check(
    answers: Annotated[Path, typer.Argument(help="Antwortdatei (YAML).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler behandeln "
                                         "(Exit-Code 3).")] = False,
    sets: SetOption = None,
    library: LibraryOption = None,
) -> None:
    """Eine Antwortdatei prüfen, ohne etwas zu erzeugen: alle Fehler auf einmal und Warnungen
    zu riskanten Vereinbarungen (mit Schlüssel und Vorschrift). Exit 0 ohne Fehler, 3 mit."""
    from .api import clock_today, load_answers, load_library
    from .questionnaire.risks import check as run_check

    lib = load_library(library)
    loaded = load_answers(answers, library=lib, overrides=sets or ())
    found = run_check(loaded, today=clock_today(), strict=strict)
    for problem in found:
        _stderr(str(problem))
    warnings = sum(1 for p in found if p.level == "warning")
    notes = len(found) - warnings
    typer.echo(f"{answers}: keine Fehler, {_count(warnings, 'Warnung', 'Warnungen')}, "
               f"{_count(notes, 'Hinweis', 'Hinweise')}.")


def _count(number: int, singular: str, plural: str) -> str:
    from .formatting import format_number

    return f"{format_number(number)} {singular if number == 1 else plural}"


def profil(
    aktion: Annotated[str | None, typer.Argument(help="„bearbeiten“: die Angaben abfragen und "
                                                 "speichern. Ohne: das Profil anzeigen.",
                                                 show_default=False)] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Wie „bearbeiten“.")] = False,
    library: LibraryOption = None,
) -> None:
    """Ihr Profil (Ihre eigenen Angaben als Auftragnehmer) anzeigen oder bearbeiten.

    Gespeichert im Konfigurationsverzeichnis des Benutzers, oder in $CONTRACTGEN_CONFIG_DIR.
    Antwortdateien dürfen den Abschnitt auftragnehmer dann weglassen."""
    if aktion not in (None, "bearbeiten", "anzeigen"):
        raise typer.BadParameter("erlaubt sind bearbeiten und anzeigen", param_hint="AKTION")
    from .api import load_library
    from .library import evaluate_condition
    from .questionnaire.profile import SECTION, load_profile, profile_path
    from .questionnaire.summary import summary_lines

    if edit or aktion == "bearbeiten":
        from .questionnaire.prompting import PromptIO
        from .workflows import edit_profile

        edit_profile(io=PromptIO(), library_path=library)
        return
    questionnaire = load_library(library).questionnaire
    path = profile_path()
    if not path.is_file():
        typer.echo(f"Noch kein Profil ({path}). Anlegen mit: contractgen profil bearbeiten")
        return
    values, problems = load_profile(path, questionnaire, evaluate_condition)
    question = questionnaire.question(SECTION)
    typer.echo(f"Profil: {path}")
    if question is not None:
        from .questionnaire.schema import Questionnaire

        view = Questionnaire((question,), str(path))
        for line in summary_lines({SECTION: values}, view, lambda q: True):
            typer.echo(line)
    for problem in problems:
        _stderr(str(problem))


def register(app: typer.Typer) -> None:
    """Add the questionnaire commands to `app` (each behind the error wall)."""
    app.command("new")(guarded(new))
    app.command("questions")(guarded(questions))
    app.command("check")(guarded(check))
    app.command("profil")(guarded(profil))
