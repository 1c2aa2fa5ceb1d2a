"""CLI commands for lawyers maintaining the clause library (issue 4): registered on the main app.

`library check|list|catalog`, and `inspect`, `update`, `diff` for generated contracts. Each
command parses, calls one function (contractgen.lint, contractgen.provenance), prints.
Heavy modules are imported inside the commands so `contractgen --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import ForceOption, LibraryOption, guarded
from .cli_common import err as _err
from .cli_common import out as _out


def register(app: typer.Typer) -> typer.Typer:
    """Add the library commands to `app` (each behind the error wall)."""
    library_app = typer.Typer(name="library", no_args_is_help=True,
                              help="Werkzeuge für die Klauselbibliothek: prüfen, auflisten, "
                              "Katalog erzeugen.")
    app.add_typer(library_app, name="library")
    library_app.command("check")(guarded(check))
    library_app.command("list")(guarded(list_clauses))
    library_app.command("catalog")(guarded(catalog))
    app.command("inspect")(guarded(inspect))
    app.command("update")(guarded(update))
    app.command("diff")(guarded(diff))
    return library_app


PathArgument = Annotated[Path | None, typer.Argument(
    help="Verzeichnis der Klauselbibliothek. Standard: $CONTRACTGEN_LIBRARY oder die "
    "mitgelieferte.", show_default=False)]


def check(
    path: PathArgument = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler werten.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON für Werkzeuge.")] = False,
    ignore: Annotated[list[str] | None, typer.Option(
        "--ignore", help="Regel nicht prüfen, z. B. --ignore reviewed-missing (mehrfach möglich).",
        show_default=False)] = None,
) -> None:
    """Die Klauselbibliothek prüfen: alle Probleme auf einmal, mit Datei, Zeile und Regel."""
    from .lint import check_library

    report = check_library(path, ignore=tuple(ignore or ()))
    if as_json:
        _out(report.to_json(strict=strict))
    else:
        for item in report.sorted():
            _out(str(item))
        errors = len([f for f in report.findings if f.level == "error"])
        warnings = len(report.warnings())
        from decimal import Decimal

        from .formatting import count, format_number

        seconds = format_number(Decimal(str(round(report.seconds, 1))))
        _out(f"{count(report.clauses, 'Klausel', 'Klauseln')} geprüft, "
             f"{count(report.combinations, 'Kombination', 'Kombinationen')} gerendert, "
             f"{count(report.documents, 'Vertrag', 'Verträge')} und "
             f"{count(report.orders, 'Einzelauftrag', 'Einzelaufträge')} erzeugt "
             f"({report.strategy or 'nicht gerendert'}), "
             f"{seconds} s: {count(errors, 'Fehler', 'Fehler')}, "
             f"{count(warnings, 'Warnung', 'Warnungen')}.")
    if not report.ok(strict=strict):
        from .errors import EXIT_LIBRARY

        raise typer.Exit(EXIT_LIBRARY)  # the library is broken (README: Exit-Codes)


LIST_WIDTH = 80   # `library list` fits a terminal of 80 columns (also in a pipe)


def list_clauses(path: PathArgument = None) -> None:
    """Alle Klauseln als Tabelle: id, Version, Abschnitt, Prüfung, darunter die Bedingung."""
    import textwrap

    from .api import load_library
    from .lint.catalog import condition_in_words, review_in_words

    library = load_library(path)
    rows = [("id", "Version", "Abschnitt", "Prüfung")]
    conditions = [""]
    position = {name: index for index, name in enumerate(library.sections)}
    for clause in sorted(library.clauses, key=lambda c: (position.get(c.section, 0), c.order, c.id)):
        rows.append((clause.id, clause.version, clause.section, review_in_words(clause.reviewed)))
        conditions.append(condition_in_words(clause.when, library.questionnaire))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row, condition in zip(rows, conditions, strict=True):
        line = "  ".join(cell.ljust(widths[i]) if i < 3 else cell for i, cell in enumerate(row))
        for part in textwrap.wrap(line, LIST_WIDTH, subsequent_indent=" " * 4) or [""]:
            _out(part)
        if condition:   # the condition on its own lines, indented, wrapped at words
            said = "gilt immer" if condition == "immer" else f"wenn: {condition}"
            for part in textwrap.wrap(said, LIST_WIDTH - 4,
                                      subsequent_indent="      ", break_long_words=False,
                                      break_on_hyphens=False):
                _out(f"    {part}")


def catalog(
    output: Annotated[Path, typer.Option("--output", "-o", help="Ausgabedatei.",
                                         show_default=False)],
    fmt: Annotated[str | None, typer.Option(
        "--format", help="docx oder md. Standard: nach der Endung von -o, sonst docx.",
        show_default=False)] = None,
    path: PathArgument = None,
    example: Annotated[Path | None, typer.Option(
        "--beispiel", help="Antwortdatei mit Beispielwerten (Standard: Platzhalter wie [Name]).",
        show_default=False)] = None,
    force: ForceOption = False,
    sprache: Annotated[str | None, typer.Option(
        "--sprache", help="de, en oder de-en (jede Klausel in beiden Sprachen, die deutsche "
        "zuerst). Standard: die Sprache der Bibliothek.", show_default=False)] = None,
) -> None:
    """Klauselkatalog zur Prüfung erzeugen (DOCX oder Markdown)."""
    if fmt is not None and fmt not in ("docx", "md"):
        raise typer.BadParameter("erlaubt sind docx und md", param_hint="--format")
    if sprache is not None and sprache not in ("de", "en", "de-en"):
        raise typer.BadParameter("erlaubt sind de, en und de-en", param_hint="--sprache")
    from .api import write_catalog

    written = write_catalog(output, fmt=fmt, library_path=path, example_path=example, force=force,
                            sprache=sprache)
    _err(f"Geschrieben: {written}")


def inspect(
    contract: Annotated[Path, typer.Argument(help="Mit contractgen erzeugter Vertrag (DOCX).",
                                             show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Als JSON ausgeben.")] = False,
) -> None:
    """Zeigen, aus welchen Klauseln (mit Version) und Antworten ein Vertrag erzeugt wurde."""
    import json

    from .provenance import inspect_contract

    info = inspect_contract(contract)
    if as_json:
        _out(json.dumps(info.as_dict(), ensure_ascii=False, indent=2))
        return
    _out(f"Vertrag: {info.path}")
    _out(f"Erzeugt mit: {info.generator}")
    _out(f"Bibliothek: {info.library_name} {info.library_version}")
    _out(f"Antworten: {info.answers_sha256}")
    _out(f"Klauseln ({len(info.clauses)}):")
    for clause in info.clauses:
        _out(f"  {clause.id:32} {clause.version:8} {clause.sha256[:12]}")
    _out("Antworten:")
    _out(json.dumps(info.answers, ensure_ascii=False, indent=2))


def update(
    contract: Annotated[Path, typer.Argument(help="Mit contractgen erzeugter Vertrag (DOCX).",
                                             show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Neue Datei. Standard: den Vertrag selbst ersetzen (nur mit "
        "--force).", show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Ohne Rückfrage schreiben.")] = False,
    force: ForceOption = False,
    library: LibraryOption = None,
) -> None:
    """Vertrag mit der aktuellen Bibliothek und denselben Antworten neu erzeugen; vorher die
    Änderungen Klausel für Klausel zeigen."""
    from .provenance import plan_update, write_update

    plan = plan_update(contract, output=output, library_path=library)
    _print_comparison(plan.comparison, colour=_colour_wanted())
    if not plan.comparison.changed:
        _out("Keine Änderungen: Der Vertrag entspricht der aktuellen Bibliothek.")
        return
    if not yes and not _confirm(f"{plan.target} schreiben?"):
        from .errors import Declined

        raise Declined("Abgebrochen: nichts geschrieben.")
    _err(f"Geschrieben: {write_update(plan, force=force)}")


def _confirm(question: str) -> bool:
    """Ask on stderr; only j/ja (or y/yes) confirms. End of input counts as no; Strg-C goes to
    the guard (exit 130)."""
    sys.stderr.write(f"{question} [j/N] ")
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        sys.stderr.write("\n")
        return False
    return answer.strip().lower() in ("j", "ja", "y", "yes")


def diff(
    old: Annotated[Path, typer.Argument(help="Erster Vertrag (DOCX).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="Zweiter Vertrag (DOCX).", show_default=False)],
) -> None:
    """Unterschiede zweier erzeugter Verträge, Klausel für Klausel."""
    from .provenance import diff_contracts

    comparison = diff_contracts(old, new)
    _print_comparison(comparison, colour=_colour_wanted())
    if not comparison.differs:
        _out("Keine Unterschiede.")
        return
    from .errors import EXIT_DIFFERENT

    raise typer.Exit(EXIT_DIFFERENT)


def _colour_wanted() -> bool:
    """Colour on a terminal, none when NO_COLOR is set (https://no-color.org) or in a pipe."""
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_REMOVED = "\x1b[31m"   # red
_ADDED = "\x1b[32m"     # green
_RESET = "\x1b[0m"


def _paint(line: str) -> str:
    """A diff line with [-removed-] red and {+added+} green; the text itself made printable
    first, so only contractgen's own escape sequences reach the terminal."""
    import re

    from .terminal import printable

    text = printable(line)
    text = re.sub(r"\[-.*?-\]", lambda m: f"{_REMOVED}{m.group(0)}{_RESET}", text)
    return re.sub(r"\{\+.*?\+\}", lambda m: f"{_ADDED}{m.group(0)}{_RESET}", text)


def _diff_lines(text: str, colour: bool) -> None:
    from .terminal import unfiltered

    for line in text.splitlines():
        if colour:
            unfiltered(sys.stdout).write(f"    {_paint(line)}\n")
        else:
            _out(f"    {line}")


def _print_comparison(comparison: Any, *, colour: bool = False) -> None:
    old, new = comparison.old, comparison.new
    if (old.library_name, old.library_version) != (new.library_name, new.library_version):
        _out(f"Bibliothek: {old.library_name} {old.library_version} → "
             f"{new.library_name} {new.library_version}")
    if getattr(comparison, "front_diff", ""):
        _out("~ Vertragskopf und Honorar auf einen Blick (geändert)")
        _diff_lines(comparison.front_diff, colour)
    for change in comparison.changed:
        _out(change.describe())
        if change.word_diff:
            _diff_lines(change.word_diff, colour)
    if comparison.answer_changes:
        _out("Geänderte Antworten:")
        for line in comparison.answer_changes:
            _out(f"  {line}")
