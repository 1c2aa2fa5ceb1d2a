"""The command line: each command parses, calls one API function, prints.

This is the only module that prints errors and chooses exit codes (see README: Exit-Codes).
Heavy modules are imported inside the commands so `contractgen --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from ._version import __version__
from .cli_common import (
    ForceOption,
    LibraryOption,
    SetOption,
    check_format,
    err,
    format_help,
    guarded,
    print_result,
    print_warnings,
    refuse_binary_on_terminal,
    stdout_output,
    suffix_help,
    text_formats,
)
from .cli_german import install as _german_click_messages
from .errors import EXIT_BATCH_FAILED, EXIT_INTERNAL
from .writers import DOCUMENT, MAIL, in_words, writers

_german_click_messages()
if "_CONTRACTGEN_COMPLETE" in os.environ:
    # shell completion (README): Typer's shell scripts, which speak Typer's instruction order
    from typer._completion_classes import completion_init  # Typer has no public name for it

    completion_init()

app = typer.Typer(
    name="contractgen",
    help="Rahmenverträge und E-Mail-Vereinbarungen für Freelancer aus einer Klauselbibliothek.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain click help: readable in any terminal or pipe, and no rich import
    suggest_commands=False,  # click suggests already, in German (cli_german)

    pretty_exceptions_show_locals=False,  # locals would leak client names and fees
)

def _version(value: bool) -> None:
    if value:
        typer.echo(f"contractgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Version anzeigen.")] = False,
) -> None:
    """Rahmenverträge und E-Mail-Vereinbarungen für Freelancer aus einer Klauselbibliothek."""


_DOCUMENT_FORMATS = in_words([spec.name.upper() for spec in writers((DOCUMENT,))], "oder")


@app.command(help=f"Vertrag aus einer Antwortdatei erzeugen ({_DOCUMENT_FORMATS}).")
@guarded
def generate(
    answers: Annotated[Path, typer.Argument(help="Antwortdatei (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help=f"Ausgabedatei ({suffix_help((DOCUMENT,))}). Standard: DOCX mit "
        "dem Namen der Antwortdatei im aktuellen Verzeichnis; "
        f"{text_formats((DOCUMENT,))} auf die Standardausgabe; -o - schreibt jedes Format auf "
        "die Standardausgabe.", show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help=format_help((DOCUMENT,), "docx"), show_default=False)] = None,
    library: LibraryOption = None,
    sets: SetOption = None,
    force: ForceOption = False,
    pdf_a: Annotated[bool, typer.Option(
        "--pdf-a", help="PDF als PDF/A-2b (zur Archivierung); nur mit PDF.")] = False,
) -> None:
    check_format(fmt, (DOCUMENT,))
    from .api import generate as run

    result = run(answers, output=output, fmt=fmt, library_path=library, overrides=sets or (),
                 force=force, pdf_a=pdf_a)
    refuse_binary_on_terminal(output, result.binary)
    print_warnings(result.warnings)
    print_result(result.path, result.data, binary=result.binary)


@app.command()
@guarded
def email(
    answers: Annotated[Path, typer.Argument(help="Antwortdatei (YAML).", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help=f"Als E-Mail-Entwurf oder Textdatei ({suffix_help((MAIL,))}) "
        "speichern, statt den Text auszugeben (-o -: Standardausgabe).", show_default=False)] = None,
    attach: Annotated[bool, typer.Option(
        "--attach", help="Den Vertrag an den .eml-Entwurf anhängen (Standard: als DOCX).")] = False,
    attach_format: Annotated[str | None, typer.Option(
        "--attach-format", help="Format des Anhangs: docx oder pdf (über LibreOffice); "
        "schließt --attach ein.", show_default=False)] = None,
    library: LibraryOption = None,
    sets: SetOption = None,
    force: ForceOption = False,
) -> None:
    """Text der E-Mail-Vereinbarung ausgeben oder als .eml-Entwurf speichern."""
    from .api import email_agreement

    if attach_format is not None and attach_format not in ("docx", "pdf"):
        raise typer.BadParameter("erlaubt sind docx und pdf", param_hint="--attach-format")
    attached: bool | str = attach_format or attach
    if attached and (output is None or output.suffix.lower() != ".eml"):
        raise typer.BadParameter("--attach braucht -o DATEI.eml", param_hint="--attach")
    output = stdout_output(output)
    result = email_agreement(answers, output=output, attach=attached, library_path=library,
                             overrides=sets or (), force=force)
    print_warnings(result.warnings)
    print_result(result.path, result.text)


@app.command()
@guarded
def batch(
    liste: Annotated[Path, typer.Argument(help="CSV (Spalten = Schlüssel wie auftraggeber.name) "
                                          "oder YAML-Liste, eine Zeile je Auftrag.", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="Ausgabeverzeichnis (wird angelegt, wenn es fehlt).",
        show_default=False)],
    base: Annotated[Path | None, typer.Option(
        "--base", "-b", help="Antwortdatei mit den gemeinsamen Angaben aller Zeilen.",
        show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", help=format_help((DOCUMENT,), "docx"))] = "docx",
    email: Annotated[bool, typer.Option("--email", help="Zu jeder Zeile auch einen .eml-Entwurf.")] = False,
    attach: Annotated[bool, typer.Option("--attach", help="Den Vertrag an die .eml anhängen.")] = False,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                                help="Parallele Prozesse (Standard: alle Kerne).",
                                                show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Keine Fortschrittsanzeige.")] = False,
    library: LibraryOption = None,
    force: ForceOption = False,
    pdf_a: Annotated[bool, typer.Option(
        "--pdf-a", help="PDF als PDF/A-2b (zur Archivierung); nur mit --format pdf.")] = False,
) -> None:
    """Viele Verträge auf einmal: eine Datei je Zeile einer CSV- oder YAML-Liste."""
    check_format(fmt, (DOCUMENT,))
    from .api import generate_batch as run

    show = not quiet and sys.stderr.isatty()
    bar = _Progress() if show else None
    report = run(liste, output_dir=output, base=base, fmt=fmt, email=email, attach=attach, jobs=jobs,
                 library_path=library, force=force, progress=bar.update if bar else None,
                 pdf_a=pdf_a, status=bar.status if bar else None)
    if bar:
        bar.finish()
    for row in report.failed:
        for problem in row.problems:
            err(f"Zeile {row.number}: {problem}")
    from .formatting import count, format_number

    err(f"{format_number(len(report.written))} geschrieben, {format_number(len(report.skipped))} "
        f"übersprungen (schon vorhanden), {format_number(len(report.failed))} fehlgeschlagen, "
        f"{count(report.total, 'Zeile', 'Zeilen')} insgesamt.")
    if report.failed:
        raise typer.Exit(EXIT_BATCH_FAILED)


class _Progress:
    """A one-line progress display on stderr: count, rate and remaining time."""

    def __init__(self) -> None:
        import time

        self._time = time.monotonic
        self.start = self._time()

    def update(self, done: int, total: int) -> None:
        elapsed = max(self._time() - self.start, 1e-6)
        rate = done / elapsed
        remaining = (total - done) / rate if rate > 0 else 0.0
        width = 30
        filled = int(width * done / total) if total else width
        from .terminal import unfiltered  # the carriage return is the bar's own

        unfiltered(sys.stderr).write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                                     f"{rate:5.1f}/s, noch {remaining:4.0f} s ")
        sys.stderr.flush()

    def status(self, text: str) -> None:
        """A line of its own under the bar (e.g. while LibreOffice converts)."""
        sys.stderr.write(f"\n{text}")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\n")


def _register_extensions() -> None:
    """Commands that live in their own modules (each module keeps heavy imports inside commands)."""
    from . import cli_beispiele, cli_followup, cli_library, cli_questionnaire, cli_web

    cli_library.register(app)
    cli_questionnaire.register(app)
    cli_followup.register(app)
    cli_web.register(app)
    cli_beispiele.register(app)


_register_extensions()


def _only_the_called_command(argv: list[str]) -> None:
    """Typer builds every command's options from its signature when the app starts; a run needs
    only the command it calls. The whole list stays for `contractgen --help`, `--version` and
    names click should suggest a correction for."""
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    commands = {(c.name or (c.callback.__name__ if c.callback else "")).replace("_", "-"): c
                for c in app.registered_commands}
    groups = {g.name: g for g in app.registered_groups}
    if name in commands:
        app.registered_commands, app.registered_groups = [commands[name]], []
    elif name in groups:
        app.registered_commands, app.registered_groups = [], [groups[name]]


def main() -> None:
    from .terminal import install

    install()  # whatever is printed: control characters escaped, unprintable ones handled
    try:
        _only_the_called_command(sys.argv[1:])
        app()
    except Exception as error:  # noqa: BLE001 - e.g. a broken command definition: still no traceback
        if os.environ.get("CONTRACTGEN_DEBUG"):
            raise
        err(f"contractgen: interner Fehler ({type(error).__name__}). Bitte melden; "
                "CONTRACTGEN_DEBUG=1 zeigt Details.")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
