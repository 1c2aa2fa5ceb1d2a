"""What every command module shares: option types, how output and problems are printed, and the
error wall that turns a ContractgenError into its documented exit code (errors.py).

Kept free of heavy imports: `contractgen --help` imports this module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer

from .errors import (
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_OUTPUT,
    ContractgenError,
    OptionError,
    Problem,
)
from .writers import in_words, names, writers

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



# -- output formats: choices, help texts and checks all come from the writer registry ----------
def format_help(families: tuple[str, ...], default: str) -> str:
    labels = [spec.label for spec in writers(families)]
    return f"{in_words(labels, 'oder')}. Standard: nach der Endung von -o, sonst {default}."


def suffix_help(families: tuple[str, ...]) -> str:
    return in_words((s for spec in writers(families) for s in spec.suffixes), "oder")


def text_formats(families: tuple[str, ...]) -> str:
    return in_words((spec.label for spec in writers(families) if not spec.binary), "oder")


def check_format(fmt: str | None, families: tuple[str, ...]) -> None:
    """The same refusal for every command: exit 2 with the formats it can write."""
    if fmt is not None and fmt not in names(families):
        raise typer.BadParameter(f"erlaubt sind {in_words(names(families))}", param_hint="--format")


# Typer's own usage errors (bad option values) keep Typer's exit code 2; Typer vendors click in
# newer releases, so the base class is looked up instead of imported from click.
_USAGE_ERRORS: tuple[type[BaseException], ...] = (
    typer.Exit, typer.Abort,
    *(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException"),
)


def out(text: str) -> None:
    """One line on stdout."""
    sys.stdout.write(text + "\n")


def err(text: str) -> None:
    """One line on stderr (messages, warnings, "Geschrieben: …")."""
    sys.stderr.write(text + "\n")


def print_warnings(problems: Iterable[Problem]) -> None:
    for problem in problems:
        err(str(problem))


def print_result(path: Path | None, data: str | bytes, *, binary: bool = False) -> None:
    """The tail of every writing command: the text (or, with `-o -`, a DOCX or PDF) on stdout,
    or "Geschrieben: PATH" on stderr."""
    if path is not None:
        err(f"Geschrieben: {path}")
    elif binary and isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data.decode("utf-8") if isinstance(data, bytes) else data)


def stdout_output(output: Path | None) -> Path | None:
    """`-o -` is standard output: None for the commands whose text goes there without -o."""
    return None if output is not None and str(output) == "-" else output


def refuse_binary_on_terminal(output: Path | None, binary_format: bool) -> None:
    """`-o -` with DOCX or PDF on a terminal would print bytes: refuse (exit 2), as gzip does."""
    if output is not None and str(output) == "-" and binary_format and sys.stdout.isatty():
        raise typer.BadParameter("DOCX und PDF lassen sich nicht im Terminal anzeigen; bitte "
                                 "umleiten (-o - > vertrag.docx) oder -o DATEI angeben",
                                 param_hint="-o")


def report(error: ContractgenError) -> None:
    if error.plain:
        err(error.message)
        return
    err(f"contractgen: {error.message}")
    for problem in error.problems:
        err(f"  {problem}")


def guarded(function: Callable[..., None]) -> Callable[..., None]:
    """The error wall around a command: no traceback reaches a user for anything they can cause."""
    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except OptionError as error:   # shown as click shows a bad option value
            raise typer.BadParameter(error.message, param_hint=error.option) from None
        except ContractgenError as error:
            report(error)
            raise typer.Exit(error.exit_code) from None
        except BrokenPipeError:  # e.g. `contractgen email … | head`: the reader has gone
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_OK) from None
        except OSError as error:  # e.g. stdout on a full disk (`> /dev/full`)
            from .output import describe_os_error

            err(f"contractgen: Die Ausgabe lässt sich nicht schreiben: {describe_os_error(error)}.")
            raise typer.Exit(EXIT_OUTPUT) from None
        except KeyboardInterrupt:
            err("contractgen: abgebrochen. Es wurde keine Datei halb geschrieben.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except _USAGE_ERRORS:
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence: no traceback
            if os.environ.get("CONTRACTGEN_DEBUG"):
                import traceback

                traceback.print_exc()
            err(f"contractgen: interner Fehler ({type(error).__name__}). Das ist ein Fehler "
                "in contractgen, nicht in Ihren Angaben; bitte melden Sie ihn. "
                "Mit CONTRACTGEN_DEBUG=1 werden Details angezeigt.")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper
