"""A library may use only its own files: what it names must lie inside it, and every file in it
is an ordinary file of bounded size.

A hostile library (one someone sent you) must not make contractgen read other documents, e.g.
`reference_docx: /home/you/vertraulich.docx` or a `reference.docx` that is a link to one, whose
parts (comments, media) would be copied into every contract; nor hang it with a FIFO or a
device (`clauses/x.md -> /dev/zero`). The library's tree is checked once when it is loaded
(`check_tree`), and a named file once more where it is named (`inside`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import LibraryError, Problem

MAX_FILE_BYTES = 20_000_000   # any one file of a library (reference.docx is about 30 kB)
MAX_ENTRIES = 10_000          # files and folders in a library


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "eine FIFO (benannte Pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "ein Gerät"
    if stat.S_ISSOCK(mode):
        return "ein Socket"
    return "keine gewöhnliche Datei"


def tree_problems(root: Path) -> tuple[list[Problem], list[Path]]:
    """Problems of the library's tree (links out of it, devices, FIFOs, oversized files) and its
    regular files (for the content key of the cache). Names starting with a dot are skipped:
    nothing reads them unless the library names them, and then `inside` checks them."""
    base = root.resolve()
    problems: list[Problem] = []
    files: list[Path] = []
    count = 0
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            problems.append(_problem(f"Das Verzeichnis ist nicht lesbar ({exc.strerror}).",
                                     directory, "library.unreadable"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            count += 1
            if count > MAX_ENTRIES:
                problems.append(_problem(f"Die Bibliothek hat mehr als {MAX_ENTRIES:,} Dateien "
                                         "und Ordner.".replace(",", "."), root, "library.too-many"))
                return problems, files
            path = Path(entry.path)
            try:
                info = os.stat(path, follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    problem = _link_problem(path, base)
                    if problem is not None:
                        problems.append(problem)
                        continue
                    info = os.stat(path)
            except OSError as exc:
                problems.append(_problem(f"Die Datei ist nicht lesbar ({exc.strerror}).", path,
                                         "library.unreadable"))
                continue
            if stat.S_ISDIR(info.st_mode):
                if not entry.is_symlink():  # a link to a folder inside: that folder is walked
                    pending.append(path)
            elif not stat.S_ISREG(info.st_mode):
                problems.append(_problem(f"Das ist {_kind(info.st_mode)}, keine Datei; eine "
                                         "Bibliothek darf nur gewöhnliche Dateien enthalten.",
                                         path, "library.not-a-file"))
            elif info.st_size > MAX_FILE_BYTES:
                problems.append(_problem(f"Die Datei ist {info.st_size:,} Bytes groß; erlaubt "
                                         f"sind höchstens {MAX_FILE_BYTES:,}.".replace(",", "."),
                                         path, "library.file-too-large"))
            else:
                files.append(path)
    return problems, files


def _link_problem(path: Path, base: Path) -> Problem | None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return _problem("Der Verweis (Link) führt ins Leere oder im Kreis.", path,
                        "library.broken-link")
    if not target.is_relative_to(base):
        return _problem(f"Der Verweis (Link) führt aus der Bibliothek hinaus (nach {target}); "
                        "eine Bibliothek darf nur ihre eigenen Dateien verwenden.", path,
                        "library.outside")
    return None


def check_tree(root: Path) -> list[Path]:
    """The library's regular files; LibraryError (exit 4) with every problem of its tree."""
    problems, files = tree_problems(root)
    if problems:
        raise LibraryError(f"Die Klauselbibliothek {root} verwendet Dateien, die sie nicht "
                           "verwenden darf.", tuple(problems))
    return files


def inside(root: Path, name: str, what: str) -> Path:
    """The path of a file the library names (e.g. `reference_docx:`), checked: relative, inside
    the library after following links, an ordinary file. LibraryError otherwise."""
    path = Path(name)
    where = str(root / "library.yaml")
    try:  # the line that names the file, for the message
        lines = (root / "library.yaml").read_text(encoding="utf-8").split("\n")
        where += next(f":{number}" for number, text in enumerate(lines, start=1)
                      if text.startswith(f"{what}:"))
    except (OSError, UnicodeDecodeError, StopIteration):
        pass

    def refuse(message: str, code: str) -> LibraryError:
        return LibraryError(f"Die Klauselbibliothek {root} verwendet eine Datei, die sie nicht "
                            "verwenden darf.", (_problem(f"{what}: {message}", where, code),))

    if path.is_absolute() or path.drive:
        raise refuse(f"{name!r} ist ein absoluter Pfad. Eine Bibliothek darf nur eigene Dateien "
                     "verwenden; bitte den Pfad relativ zur Bibliothek angeben.", "library.outside")
    candidate = root / path
    target = candidate.resolve()
    if not target.is_relative_to(root.resolve()):
        raise refuse(f"{name!r} liegt außerhalb der Bibliothek (führt nach {target}). Eine "
                     "Bibliothek darf nur eigene Dateien verwenden.", "library.outside")
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return candidate  # reported as missing where it is read
    except OSError as exc:
        raise refuse(f"{name!r} ist nicht lesbar ({exc.strerror}).", "library.unreadable") from None
    if not stat.S_ISREG(info.st_mode):
        raise refuse(f"{name!r} ist {_kind(info.st_mode)}, keine Datei.", "library.not-a-file")
    return candidate


def _problem(message: str, path: Path | str, code: str) -> Problem:
    return Problem("error", message, str(path), code=code)
