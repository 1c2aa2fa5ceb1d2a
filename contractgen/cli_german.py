"""German for the messages click (under Typer) prints itself: the help option, usage errors.

Click looks its texts up through module-level `gettext` aliases; pointing those at this
catalogue keeps every line a user reads in German. Texts not listed stay as click has them.
"""

from __future__ import annotations

import gettext
import sys

CATALOGUE = {
    "Show this message and exit.": "Diese Hilfe anzeigen und beenden.",
    "Show the version and exit.": "Version anzeigen und beenden.",
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Arguments": "Argumente",
    "required": "Pflichtangabe",
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe mit: {command} {option}",
    "Invalid value for {param_hint}: {message}": "Ungültiger Wert für {param_hint}: {message}",
    "Invalid value: {message}": "Ungültiger Wert: {message}",
    "Missing argument": "Es fehlt das Argument",
    "Missing option": "Es fehlt die Option",
    "Missing parameter": "Es fehlt die Angabe",
    "Missing parameter: {param_name}": "Es fehlt die Angabe {param_name}",
    "Missing command.": "Es fehlt der Befehl.",
    "No such command {name!r}.": "Den Befehl {name!r} gibt es nicht.",
    "No such option {name!r}.": "Die Option {name!r} gibt es nicht.",
    "Option {name!r} does not take a value.": "Die Option {name!r} nimmt keinen Wert.",
    "Aborted!": "Abgebrochen.",
    "default: {default}": "Standard: {default}",
    "{value!r} is not a valid {number_type}.": "{value!r} ist keine gültige Zahl ({number_type}).",
    "{value} is not in the range {range}.": "{value} liegt nicht im Bereich {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}":
        "{value!r} ist kein Ja/Nein-Wert. Erlaubt: {states}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} gibt es nicht.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} ist ein Verzeichnis.",
    "{name} {filename!r} is a file.": "{name} {filename!r} ist eine Datei.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} ist nicht lesbar.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} ist nicht beschreibbar.",
    "file": "Datei",
    "directory": "Verzeichnis",
    "path": "Pfad",
}
PLURALS = {  # singular key -> (singular, plural)
    "Got unexpected extra argument ({args})":
        ("Unerwartetes zusätzliches Argument ({args})", "Unerwartete zusätzliche Argumente ({args})"),
    "Option {name!r} requires an argument.":
        ("Die Option {name!r} braucht einen Wert.", "Die Option {name!r} braucht {nargs} Werte."),
    "Did you mean {possibility}?": ("Meinten Sie {possibility}?", "Meinten Sie eine von: {possibility}?"),
    "{value!r} is not {choice}.": ("{value!r} ist nicht {choice}.", "{value!r} ist keiner von {choices}."),
}


def translate(message: str) -> str:
    return CATALOGUE.get(message, message)


def translate_plural(singular: str, plural: str, count: int) -> str:
    if singular in PLURALS:
        one, many = PLURALS[singular]
        return one if count == 1 else many
    return singular if count == 1 else plural


def install() -> None:
    """Point click's gettext aliases (in every loaded click module) at the catalogue, and keep
    the help texts of arguments."""
    _keep_argument_help()
    for name, module in list(sys.modules.items()):
        if module is None or not (name in ("click", "typer") or name.startswith(("click.", "typer."))):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = translate  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = translate_plural  # type: ignore[attr-defined]


def _keep_argument_help() -> None:
    """Typer sets an argument's help before calling click's Argument.__init__, which (newer
    click, which documents arguments itself) sets `help` again, to None: the help of `ANSWERS`
    and the like went missing. Setting it once more after click keeps it; Typer's own
    "Arguments" section then shows it, so click's second section is left out."""
    import click
    from typer.core import TyperArgument, TyperCommand

    if hasattr(click.Command, "format_arguments"):
        TyperCommand.format_arguments = (  # type: ignore[method-assign]
            lambda self, ctx, formatter: None)

    original = TyperArgument.__init__
    if getattr(original, "_keeps_help", False):
        return

    def init(self: TyperArgument, *args: object, help: str | None = None,
             **kwargs: object) -> None:
        original(self, *args, help=help, **kwargs)  # type: ignore[arg-type]
        self.help = help

    init._keeps_help = True  # type: ignore[attr-defined]
    TyperArgument.__init__ = init  # type: ignore[method-assign]
