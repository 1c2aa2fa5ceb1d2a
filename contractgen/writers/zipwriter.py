"""A minimal deterministic ZIP writer that reuses compressed data for parts that never change.

Every DOCX shares most parts with the reference (styles, theme, settings, footer); compressing
them once instead of per document is most of the DOCX writer's time. Entries get a fixed
timestamp (1980-01-01), so the same input gives the same bytes.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from functools import lru_cache

_DOS_TIME = 0
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01


@dataclass(frozen=True)
class Entry:
    name: bytes
    crc: int
    size: int
    data: bytes           # raw deflate stream


def compress(name: str, data: bytes, level: int = 6) -> Entry:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return Entry(name.encode("utf-8"), zlib.crc32(data), len(data), packed)


@lru_cache(maxsize=256)
def compress_static(name: str, data: bytes) -> Entry:
    """Compressed once per process for each (name, content) pair."""
    return compress(name, data, 9)


def zip_entries(entries: list[Entry]) -> bytes:
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for entry in entries:
        flags = 0x800  # names are UTF-8
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 8, _DOS_TIME, _DOS_DATE,
                            entry.crc, len(entry.data), entry.size, len(entry.name), 0)
        out += [local, entry.name, entry.data]
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, flags, 8, _DOS_TIME,
                                   _DOS_DATE, entry.crc, len(entry.data), entry.size, len(entry.name),
                                   0, 0, 0, 0, 0o644 << 16, offset) + entry.name)
        offset += len(local) + len(entry.name) + len(entry.data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), offset, 0)
    return b"".join(out) + directory + end
