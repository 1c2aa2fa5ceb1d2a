"""The YAML parser every reader uses: libyaml's when PyYAML was built with it (about ten times
faster than the pure-Python one, with the same node marks for line numbers), and the German
words for what it reports: a user never reads the parser's English."""

from __future__ import annotations

import yaml

YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAB = ("Ein Tabulatorzeichen steht in der Einrückung; YAML rückt nur mit Leerzeichen ein. "
        "Bitte die Tabulatoren durch Leerzeichen ersetzen.")
_COLON = ("Ein Doppelpunkt mit Leerzeichen („: “) steht dort, wo kein neuer Schlüssel beginnen "
          "kann: Stimmt die Einrückung? Enthält ein Wert „: “, bitte den Wert in Anführungszeichen "
          "setzen.")
_INDENT = ("Die Einrückung stimmt nicht: Ein Schlüssel oder Listeneintrag steht weiter links "
           "oder rechts als die übrigen seines Abschnitts.")
# (part of the parser's text, German) for libyaml's and the pure-Python parser's wording
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("tab character", _TAB),
    ("'\\t'", _TAB),
    ("mapping values are not allowed", _COLON),
    ("expected ',' or ']'", "Eine Liste in eckigen Klammern [ … ] ist nicht geschlossen (es fehlt "
                            "„]“ oder ein Komma zwischen den Einträgen)."),
    ("expected ',' or '}'", "Ein Abschnitt in geschweiften Klammern { … } ist nicht geschlossen "
                            "(es fehlt „}“ oder ein Komma zwischen den Einträgen)."),
    ("end of stream", "Ein Anführungszeichen oder eine Klammer wird bis zum Ende der Datei nicht "
                      "geschlossen."),
    ("undefined alias", "Ein Verweis (*name) nennt einen Anker (&name), den es nicht gibt."),
    ("duplicate anchor", "Derselbe Anker (&name) kommt zweimal vor."),
    ("expected '-' indicator", "Die Einrückung stimmt nicht: In einer Liste beginnt jeder Eintrag "
                               "mit „- “ in derselben Spalte."),
    ("expected key", _INDENT),
    ("expected <block end>", _INDENT),
    ("could not find expected ':'", "Nach einem Schlüssel fehlt der Doppelpunkt („schlüssel: "
                                    "wert“)."),
    ("unknown directive", "Eine Zeile beginnt mit „%“; bitte den Wert in Anführungszeichen "
                          "setzen."),
    ("unknown escape", "In doppelten Anführungszeichen steht ein „\\“, das YAML nicht kennt; für "
                       "einen Backslash bitte einfache Anführungszeichen verwenden."),
    ("another document", "Die Datei enthält mehrere YAML-Dokumente (eine Zeile „---“); erlaubt "
                         "ist eines."),
    ("document start", "Nach dem Ende des Inhalts folgt noch etwas (z. B. eine überzählige "
                       "Klammer oder eine Zeile „...“)."),
    ("cannot start any token", "Ein Wert beginnt mit einem Zeichen, das YAML dort nicht erlaubt "
                               "(z. B. @, ` oder %); bitte den Wert in Anführungszeichen setzen."),
    ("expected alphabetic or numeric character", "Nach „&“ oder „*“ fehlt der Name des Ankers; "
                                                 "ist „&“ oder „*“ Text, bitte den Wert in "
                                                 "Anführungszeichen setzen."),
)
_FALLBACK = ("Der Aufbau ist hier nicht lesbar (Einrückung, Doppelpunkte, Anführungszeichen und "
             "Klammern prüfen).")


def yaml_problem(error: yaml.YAMLError, text: str | None = None) -> tuple[int | None, str]:
    """The 1-based line (None when unknown) and a German sentence for a parser error. With the
    `text` that was parsed, a character the parser refuses is named with its column."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = f"{getattr(error, 'problem', '') or ''} {getattr(error, 'context', '') or ''}"
    if "cannot start any token" in problem and text is not None and mark is not None:
        lines = text.splitlines()
        row = lines[mark.line] if mark.line < len(lines) else ""
        char = row[mark.column] if mark.column < len(row) else ""
        if char == "\t":
            return line, _TAB
        if char:
            return line, (f"In Spalte {mark.column + 1} steht „{char}“ am Anfang eines Werts, was "
                          "YAML dort nicht erlaubt; bitte den Wert in Anführungszeichen setzen.")
    for needle, german in _PROBLEMS:
        if needle in problem:
            return line, german
    return line, _FALLBACK
