"""A data format for the cached library and reference package: JSON plus binary blobs.

Reading it never runs code, whatever the file holds: it builds only plain values (None,
booleans, numbers, strings, bytes, tuples, lists, dicts, sets, Decimal, dates, paths),
members of contractgen's own enums, and instances of its own dataclasses, filled field by
field without calling any constructor or method. (pickle, which the cache used before, calls
whatever the file names.)

Layout: MAGIC, the JSON's length (8 bytes, big-endian), the JSON, then the blobs; a bytes
value is {"b": [offset, length]} into the blobs. Tagged values are JSON objects of one key, so
the JSON parser hands each to the decoder as it finishes it (no second walk over the tree).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sys
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

MAGIC = b"contractgen-data-2\n"
PACKAGE = "contractgen."


class FormatError(ValueError):
    """The file is not (or no longer) in this format."""


def dumps(value: Any) -> bytes:
    """Encode `value`; TypeError for anything the format does not hold. Lists are JSON arrays;
    every other value that is not a JSON scalar is an object with one key, its tag: {"t": […]}
    a tuple, {"c": [class, [[field, value] …]]} an instance, {"b": [offset, length]} bytes …"""
    blobs: list[bytes] = []
    size = [0]

    def encode(item: Any) -> Any:
        if isinstance(item, enum.Enum):  # before str and int: Level(str, Enum) stays a Level
            kind = type(item)
            if not kind.__module__.startswith(PACKAGE):
                raise TypeError(f"not a contractgen enum: {kind!r}")
            return {"E": [f"{kind.__module__}:{kind.__qualname__}", encode(item.value)]}
        if item is None or isinstance(item, (bool, int, str)):
            return item
        if isinstance(item, float):
            return item
        if isinstance(item, (bytes, bytearray)):
            blobs.append(bytes(item))
            size[0] += len(item)
            return {"b": [size[0] - len(item), len(item)]}
        if isinstance(item, tuple) and not hasattr(item, "_fields"):
            return {"t": [encode(x) for x in item]}
        if isinstance(item, list):
            return [encode(x) for x in item]
        if isinstance(item, dict):
            return {"d": [[encode(k), encode(v)] for k, v in item.items()]}
        if isinstance(item, frozenset):
            return {"f": [encode(x) for x in item]}
        if isinstance(item, set):
            return {"s": [encode(x) for x in item]}
        if isinstance(item, Decimal):
            return {"D": str(item)}
        if isinstance(item, dt.datetime):
            return {"T": item.isoformat()}
        if isinstance(item, dt.date):
            return {"Y": item.isoformat()}
        if isinstance(item, PurePath):
            return {"p": str(item)}
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            cls = type(item)
            if not cls.__module__.startswith(PACKAGE):
                raise TypeError(f"not a contractgen dataclass: {cls!r}")
            fields = [[f.name, encode(getattr(item, f.name))]
                      for f in dataclasses.fields(item) if not f.name.startswith("_")]
            return {"c": [f"{cls.__module__}:{cls.__qualname__}", fields]}
        raise TypeError(f"cannot store {type(item).__name__}")

    text = json.dumps(encode(value), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8")
    return MAGIC + len(text).to_bytes(8, "big") + text + b"".join(blobs)


def loads(data: bytes) -> Any:
    """Decode; FormatError for anything that is not a well-formed file of this format. The JSON
    parser calls `_Decoder.tagged` for each object, innermost first (so the values inside are
    already decoded)."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 8:
        raise FormatError("not a contractgen data file")
    start = len(MAGIC) + 8
    length = int.from_bytes(data[len(MAGIC):start], "big")
    if start + length > len(data):
        raise FormatError("truncated")
    decoder = _Decoder(memoryview(data)[start + length:])
    try:
        return json.loads(data[start:start + length].decode("utf-8"),
                          object_hook=decoder.tagged)
    except FormatError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise FormatError(f"damaged: {exc!r}") from None


class _Decoder:
    def __init__(self, blobs: memoryview) -> None:
        self.blobs = blobs
        self.fields: dict[type, tuple[tuple[str, Any, Any], ...]] = {}

    def tagged(self, item: dict[str, Any]) -> Any:
        if len(item) != 1:
            raise FormatError("unknown value")
        ((tag, value),) = item.items()
        if tag == "t":
            return tuple(_list(value))
        if tag == "c":
            name, fields = _pair(value)
            return self.instance(_text(name), _list(fields))
        if tag == "d":
            return {k: v for k, v in (_pair(p) for p in _list(value))}
        if tag == "b":
            offset, length = _pair(value)
            if not (type(offset) is int and type(length) is int
                    and 0 <= offset and 0 <= length and offset + length <= len(self.blobs)):
                raise FormatError("blob out of range")
            return bytes(self.blobs[offset:offset + length])
        if tag == "f":
            return frozenset(_list(value))
        if tag == "s":
            return set(_list(value))
        if tag == "D":
            return Decimal(_text(value))
        if tag == "T":
            return dt.datetime.fromisoformat(_text(value))
        if tag == "Y":
            return dt.date.fromisoformat(_text(value))
        if tag == "p":
            return Path(_text(value))
        if tag == "E":
            name, member = _pair(value)
            cls = _class(_text(name))
            if not issubclass(cls, enum.Enum):
                raise FormatError(f"not an enum: {name!r}")
            return cls(member)
        raise FormatError(f"unknown tag {tag!r}")

    def instance(self, name: str, fields: list[Any]) -> Any:
        """An instance of a contractgen dataclass that is already imported, field by field."""
        cls: Any = _class(name)
        known = self.fields.get(cls)
        if known is None:
            if not dataclasses.is_dataclass(cls) or not isinstance(cls, type):
                raise FormatError(f"unknown class {name!r}")
            known = self.fields[cls] = tuple((f.name, f.default, f.default_factory)
                                             for f in dataclasses.fields(cls))
        given = dict(fields)      # [[field, value] …]; anything else fails here
        values: dict[str, Any] = {}
        matched = 0
        for field_name, default, factory in known:
            if field_name in given:
                values[field_name] = given[field_name]
                matched += 1
            elif default is not dataclasses.MISSING:
                values[field_name] = default
            elif factory is not dataclasses.MISSING:
                values[field_name] = factory()
            else:
                raise FormatError(f"{name}: field {field_name!r} missing")
        if matched != len(given):
            raise FormatError(f"{name}: unknown fields {sorted(map(str, set(given) - set(values)))}")
        instance = object.__new__(cls)
        try:
            instance.__dict__.update(values)   # what a frozen dataclass's __init__ does, at once
        except AttributeError:                 # a class with slots
            for field_name, value in values.items():
                object.__setattr__(instance, field_name, value)
        return instance


def _class(name: str) -> Any:
    """A class of contractgen's, from a module already imported (nothing is imported here)."""
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name)
    if not module_name.startswith(PACKAGE) or module is None:
        raise FormatError(f"unknown class {name!r}")
    cls: Any = module
    for part in qualname.split("."):
        cls = getattr(cls, part, None)
    if not isinstance(cls, type) or cls.__module__ != module_name:
        raise FormatError(f"unknown class {name!r}")
    return cls


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise FormatError("list expected")
    return value


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise FormatError("pair expected")
    return value[0], value[1]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise FormatError("text expected")
    return value
