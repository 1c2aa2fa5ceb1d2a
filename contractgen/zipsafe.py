"""Reading ZIP packages (DOCX) that someone else made: bounded, and with honest member names.

A `reference.docx` from a hostile library or a contract given to `inspect`, `diff` or `update`
could be a ZIP bomb (a few kilobytes that inflate to gigabytes), have thousands of members, or
carry names such as `/etc/x`, `../../x` or `word\\..\\x` that would be copied into every
generated contract. `read_members` refuses all of that before anything is used, with the error
class the caller names (LibraryError for the reference, AnswersError for a contract).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable

from .errors import ContractgenError

MAX_MEMBERS = 1_000
MAX_MEMBER_BYTES = 50_000_000          # uncompressed, one member
MAX_TOTAL_BYTES = 200_000_000          # uncompressed, all members
MAX_RATIO = 200                        # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1_000_000
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_DOCTYPES = (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))
_DECLARED = re.compile(r"""\ufeff?<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")


def name_problem(name: str) -> str | None:
    """Why a member name cannot stand in a package (German), or None."""
    if not name or "\x00" in name:
        return "ist leer oder enthält ein NUL-Zeichen"
    if "\\" in name:
        return "enthält einen Backslash"
    if name.startswith("/") or _DRIVE.match(name):
        return "ist ein absoluter Pfad"
    parts = name.split("/")
    if any(part in ("..", ".") for part in parts) or "" in parts[:-1]:
        return "enthält „..“, „.“ oder einen leeren Teil"
    if any(ord(char) < 32 for char in name):
        return "enthält ein Steuerzeichen"
    return None


def read_members(data: bytes, *, describe: str,
                 error: type[ContractgenError]) -> tuple[tuple[str, bytes], ...]:
    """Every member of the package in its order, as (name, bytes); `error` with a German
    message starting with `describe` (e.g. "Die Formatvorlage …/reference.docx") otherwise."""
    def refuse(reason: str) -> ContractgenError:
        return error(f"{describe} {reason}.")

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise refuse(f"ist kein lesbares DOCX-Paket ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise refuse(f"hat {len(infos)} Teile; erlaubt sind höchstens {MAX_MEMBERS}")
        seen: set[str] = set()
        total = 0
        for info in infos:
            problem = name_problem(info.filename)
            if problem is not None:
                raise refuse(f"enthält einen Teil mit unzulässigem Namen {info.filename!r} "
                             f"({problem})")
            if info.filename.lower() in seen:
                raise refuse(f"enthält den Teil {info.filename!r} doppelt")
            seen.add(info.filename.lower())
            if info.flag_bits & 0x1:
                raise refuse(f"enthält den verschlüsselten Teil {info.filename!r}")
            if info.file_size > MAX_MEMBER_BYTES:
                raise refuse(f"enthält den Teil {info.filename!r} mit {_dots(info.file_size)} "
                             f"Bytes; erlaubt sind höchstens {_dots(MAX_MEMBER_BYTES)}")
            if (info.file_size > RATIO_FLOOR
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise refuse(f"enthält den Teil {info.filename!r}, der sich auf mehr als das "
                             f"{MAX_RATIO}-Fache entpackt (eine ZIP-Bombe?)")
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise refuse(f"entpackt sich auf mehr als {_dots(MAX_TOTAL_BYTES)} Bytes")
        members = []
        for info in infos:
            content = _read(archive, info, refuse)
            if info.filename.endswith((".xml", ".rels")) and any(
                    mark in content for mark in _DOCTYPES):
                # OOXML parts have no document type; one could declare entities that expand
                # a few bytes into gigabytes ("billion laughs") or name outside files
                raise refuse(f"enthält im Teil {info.filename!r} eine DOCTYPE-Deklaration, die "
                             "in DOCX nicht vorkommt")
            members.append((info.filename, content))
    return tuple(members)


def require_utf8(members: tuple[tuple[str, bytes], ...], names: tuple[str, ...], *,
                 describe: str, error: type[ContractgenError]) -> None:
    """The XML parts in `names` (those present) are UTF-8, as their declaration says too."""
    for name, content in members:
        if name not in names:
            continue
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise error(f"{describe}: Der Teil {name} ist nicht in UTF-8 gespeichert.") from None
        declaration = _DECLARED.match(text)
        if declaration is not None and declaration.group(1).lower() not in ("utf-8", "utf8"):
            raise error(f"{describe}: Der Teil {name} ist als {declaration.group(1)} "
                        "gespeichert; erwartet wird UTF-8.")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo,
          refuse: Callable[[str], ContractgenError]) -> bytes:
    """One member, never more than its declared size (a header may lie about it)."""
    chunks = []
    size = 0
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > info.file_size or size > MAX_MEMBER_BYTES:
                    raise refuse(f"enthält den Teil {info.filename!r}, der größer ist als "
                                 "angegeben")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
            OSError, RuntimeError, zlib.error) as exc:
        raise refuse(f"ist beschädigt: Der Teil {info.filename!r} lässt sich nicht entpacken "
                     f"({exc})") from None
    return b"".join(chunks)


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")
