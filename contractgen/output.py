"""Writing files without losing anything: atomic, never overwriting without force."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError

_REASONS = {
    errno.EACCES: "keine Schreibberechtigung", errno.EPERM: "nicht erlaubt",
    errno.ENOSPC: "kein Speicherplatz mehr", errno.EROFS: "das Dateisystem ist schreibgeschützt",
    errno.ENOENT: "Pfad nicht vorhanden oder nicht beschreibbar", errno.EXDEV: "anderes Laufwerk",
}


def describe_os_error(exc: OSError) -> str:
    """A German reason for an OS error (the common ones), else the system text."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
             *(f"lpt{i}" for i in range(1, 10))}


def write_atomic(path: Path, data: bytes, *, force: bool = False, durable: bool = True,
                 tag: str = "") -> None:
    """Write to a temporary file beside the target, then link or rename it into place.

    Without `force` the final step is a hard link, which fails if the target appeared meanwhile;
    either the old file or the complete new one exists at every moment, also when the process is
    killed. `durable` also flushes the data to disk before the rename (power loss); a batch
    skips that per file, because a re-run regenerates whatever is missing.
    """
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"{target} ist ein Verzeichnis; bitte einen Dateinamen angeben.")
    if not directory.is_dir():
        if directory.exists():
            raise OutputError(f"{directory} ist eine Datei, kein Verzeichnis; {target.name} kann "
                              "dort nicht gespeichert werden.")
        raise OutputError(f"Das Verzeichnis {directory} für {target.name} gibt es nicht. "
                          "Bitte zuerst anlegen.")
    if target.exists() and not force:
        raise OutputError(f"{target} gibt es schon. Mit --force wird die Datei ersetzt.")
    try:
        # `tag`: the batch's token (batchtemp), so that only its own batch or a later one after
        # it has ended ever removes the file
        prefix = f".{target.name}.{tag}." if tag else f".{target.name}."
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"In {directory} kann nicht geschrieben werden: "
                          f"{describe_os_error(exc)}.") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if durable:
                os.fsync(stream.fileno())
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temporary, 0o666 & ~mask)
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise OutputError(f"{target} gibt es schon. Mit --force wird die Datei "
                                  "ersetzt.") from None
            except OSError:
                if target.exists():
                    raise OutputError(f"{target} gibt es schon.") from None
                os.replace(temporary, target)  # file systems without hard links
    except OSError as exc:
        raise OutputError(f"{target} kann nicht geschrieben werden: {describe_os_error(exc)}.") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def safe_file_stem(text: str, limit: int = 60) -> str:
    """A file name part from user text: no separators, no dots at the start, no reserved names."""
    text = text.translate(_GERMAN)  # Bücher -> Buecher, not Bucher
    normalised = unicodedata.normalize("NFKD", text)
    ascii_text = normalised.encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()
    if len(stem) > limit:  # cut at a word boundary where there is one
        cut = stem[:limit + 1].rfind("-")
        stem = stem[:cut] if cut >= limit // 2 else stem[:limit]
    stem = stem.strip("-")
    if not stem or stem in _RESERVED:
        stem = f"vertrag-{stem}" if stem else "vertrag"
    return stem
