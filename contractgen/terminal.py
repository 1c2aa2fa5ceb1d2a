"""What contractgen prints is shown, never obeyed: control characters are escaped.

Texts from a DOCX someone sent (`inspect`, `diff`, `update`), from a library or from a file
name could carry terminal escape sequences (ESC ] 52 writes the clipboard, ESC [ 2 J clears
the screen), a carriage return that overwrites a warning, or bidi controls that reorder a line.
`install` wraps standard output and standard error so every write is made harmless, whoever
wrote it; `printable` does the same for one text, `safe_input` for a prompt.

A terminal whose encoding cannot show a character (an ASCII or Latin-1 locale and "€"): on
standard error, messages are transliterated ("€" becomes "EUR"), so they always arrive; on
standard output, where the contract itself is printed, nothing is changed silently: that is an
OutputError (exit 6) that says how to get UTF-8.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any, TextIO

from .errors import OutputError

# C0 and C1 controls (tab and line feed stay), DEL, line and paragraph separators, and the
# bidi controls that change the order in which a line is shown
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                     "\u2066-\u2069]")
_FALLBACK = {"€": "EUR", "§": "Par.", "„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'",
             "–": "-", "—": "-", "…": "...", "\u00a0": " ", "\u202f": " ", "ä": "ae", "ö": "oe",
             "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "·": "-", "×": "x"}


def printable(text: str) -> str:
    """`text` with every control character written as an escape (ESC as \\x1b)."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _encodable(text: str, encoding: str | None) -> str | None:
    """The first character `encoding` cannot write, or None."""
    if not encoding:
        return None
    try:
        text.encode(encoding)
    except UnicodeEncodeError as exc:
        return text[exc.start]
    except LookupError:
        return None
    return None


class SafeStream:
    """A text stream that escapes control characters before they reach the terminal.
    `strict`: a character the encoding lacks is an OutputError (standard output), else it is
    transliterated (standard error). `unfiltered` is the stream itself, for contractgen's own
    control output (the progress bar's carriage return)."""

    def __init__(self, stream: TextIO, *, strict: bool) -> None:
        self.unfiltered = stream
        self._strict = strict

    def write(self, text: str) -> int:
        text = printable(text)
        encoding = getattr(self.unfiltered, "encoding", None)
        missing = _encodable(text, encoding)
        if missing is not None:
            if self._strict:
                raise OutputError(
                    f"Die Ausgabe enthält das Zeichen U+{ord(missing):04X} "
                    f"({unicodedata.name(missing, 'ohne Namen')}), das dieses Terminal nicht "
                    f"darstellen kann (Zeichenkodierung {encoding}). Bitte "
                    "mit -o in eine Datei schreiben oder eine UTF-8-Umgebung einstellen, z. B. "
                    "LANG=de_DE.UTF-8 oder PYTHONIOENCODING=utf-8.")
            text = "".join(_FALLBACK.get(char, char) for char in text)
            text = text.encode(encoding or "ascii", "replace").decode(encoding or "ascii")
        self.unfiltered.write(text)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer …
        return getattr(self.unfiltered, name)


def install() -> None:
    """Wrap sys.stdout and sys.stderr (once)."""
    if not isinstance(sys.stdout, SafeStream) and sys.stdout is not None:
        sys.stdout = SafeStream(sys.stdout, strict=True)
    if not isinstance(sys.stderr, SafeStream) and sys.stderr is not None:
        sys.stderr = SafeStream(sys.stderr, strict=False)


def unfiltered(stream: Any) -> Any:
    """The stream beneath a SafeStream (for contractgen's own control characters)."""
    return getattr(stream, "unfiltered", stream)


def safe_input(prompt: str = "") -> str:
    """input() with a prompt made printable (readline writes the prompt itself)."""
    text = printable(prompt)
    encoding = getattr(unfiltered(sys.stdout), "encoding", None)
    if _encodable(text, encoding) is not None:
        text = "".join(_FALLBACK.get(char, char) for char in text)
        text = text.encode(encoding or "ascii", "replace").decode(encoding or "ascii")
    return input(text)
