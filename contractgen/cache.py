"""A disk cache for what contractgen derives from a library: compiled templates (marshal), the
parsed library and the prepared reference package (pickle).

Keys include contractgen's, Jinja's and Python's versions and the sandbox's settings, so an
upgrade never reuses stale code. A damaged, unwritable or unsafe cache is ignored: a cache
directory that another user owns or that others may write to is never read, since loading a
pickle or code object from it could run their code.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from types import CodeType

import jinja2

ENV_VARIABLE = "CONTRACTGEN_CACHE_DIR"


def cache_dir() -> Path | None:
    configured = os.environ.get(ENV_VARIABLE)
    if configured == "":
        return None  # explicitly disabled
    if configured:
        directory = Path(configured)
    else:
        try:
            from platformdirs import user_cache_dir
        except ImportError:
            return None
        directory = Path(user_cache_dir("contractgen", appauthor=False)) / "templates"
    return directory if _safe(directory) else None


def _safe(directory: Path) -> bool:
    """Only the user's own directory, writable by nobody else (a missing one is created so)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        stat = directory.stat()
    except FileNotFoundError:
        return True  # created with the user's umask on first store
    except OSError:
        return False
    return stat.st_uid == os.getuid() and not stat.st_mode & 0o022


@lru_cache(maxsize=1)
def _settings() -> str:
    """What compiled code depends on besides its source: versions and the sandbox's settings."""
    from ._version import __version__
    from .templating import environment

    env = environment()
    filters = ",".join(sorted(env.filters))
    flags = (env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.autoescape,
             getattr(env.finalize, "__qualname__", ""), sorted(getattr(env, "intercepted_binops", ())),
             getattr(env, "revision", ""))  # how filters are called (templating.py)
    return f"{__version__}\0{jinja2.__version__}\0{sys.version}\0{filters}\0{flags}"


def _key(source: str, filename: str) -> str:
    text = f"{_settings()}\0{filename}\0{source}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load_code(source: str, filename: str) -> CodeType | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        data = (directory / f"{_key(source, filename)}.bin").read_bytes()
        code = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store_code(source: str, filename: str, code: CodeType) -> None:
    _store(f"{_key(source, filename)}.bin", marshal.dumps(code))


def _store(name: str, data: bytes) -> None:
    """Write one cache file atomically; a cache that cannot be written is simply not used."""
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, directory / name)
    except OSError:
        return


def fingerprint(paths: list[Path], *extra: str) -> str:
    """A key from the files' names, sizes and modification times (plus versions in `extra`)."""
    digest = hashlib.sha256("\0".join((sys.version, jinja2.__version__, *extra)).encode())
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_object(kind: str, key: str) -> object | None:
    """A pickled object from the cache, or None. The cache lies in the user's own cache
    directory; anyone who can write there can already run code as the user."""
    directory = cache_dir()
    if directory is None:
        return None
    import pickle

    try:
        with open(directory / f"{kind}-{key}.pickle", "rb") as stream:
            value: object = pickle.load(stream)
            return value
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return None


def store_object(kind: str, key: str, value: object) -> None:
    import pickle

    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    _store(f"{kind}-{key}.pickle", data)
