"""A disk cache for what contractgen derives from a library: compiled templates, the parsed
library and the prepared reference package.

Threat model (also in README.md): the cache is trusted with code, so only the user (and root)
may be able to change it.

- The cache directory is opened from "/" one component at a time, relative to the descriptor
  of the one before and without following links (O_NOFOLLOW, O_DIRECTORY); every directory on
  the way must belong to root or the user and may not be writable by others, unless it is
  sticky like /tmp (then others cannot rename what is in it). A link on the way is followed
  only when it lies in such a directory and belongs to root or the user. Nobody else can
  therefore swap a folder between the check and the use: there is no second lookup by path.
- Every file is opened relative to that descriptor with O_NOFOLLOW and checked with fstat: a
  regular file of the user that nobody else may write. Files are written the same way
  (O_EXCL, mode 0600) and renamed into place inside the directory.
- Compiled templates are code objects (marshal) and are only ever loaded from there. The parsed
  library and the reference package are stored as data (cachedata: JSON and blobs), never
  pickled, so even a forged file cannot run code.
- Keys are hashes of content, never of modification times: the library's files are hashed
  (fingerprint), templates by their source, plus the versions of contractgen, Jinja and Python
  and the sandbox's settings.

Where these guarantees cannot be had (no O_NOFOLLOW or dir_fd, e.g. Windows), or the directory
is not safe, nothing is cached. A damaged or unwritable cache is ignored.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from types import CodeType

import jinja2

ENV_VARIABLE = "CONTRACTGEN_CACHE_DIR"
MAX_FILE_BYTES = 64 * 1024 * 1024
_SUPPORTED = (hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "getuid")
              and os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd
              and os.mkdir in os.supports_dir_fd and os.stat in os.supports_dir_fd
              and os.stat in os.supports_follow_symlinks)
_DIRECTORIES: dict[tuple[str, int], int] = {}   # (path, pid) -> open descriptor


def configured_dir() -> Path | None:
    """Where the cache should be ($CONTRACTGEN_CACHE_DIR, else the user's cache directory);
    None when it is switched off (the variable set to an empty value)."""
    configured = os.environ.get(ENV_VARIABLE)
    if configured == "":
        return None
    if configured:
        return Path(os.path.abspath(configured))
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return None
    return Path(user_cache_dir("contractgen", appauthor=False)) / "templates"


def cache_dir() -> Path | None:
    """The cache directory when it exists and is safe to use, else None."""
    path = configured_dir()
    if path is None or _directory(create=False) is None:
        return None
    return path


def _directory(create: bool) -> int | None:
    """A descriptor of the safe cache directory (created with mode 0700 if `create`), or None."""
    if not _SUPPORTED:
        return None
    path = configured_dir()
    if path is None:
        return None
    key = (str(path), os.getpid())
    if key in _DIRECTORIES:
        try:
            if os.fstat(_DIRECTORIES[key]).st_nlink > 0:
                return _DIRECTORIES[key]
        except OSError:
            pass
        del _DIRECTORIES[key]  # removed meanwhile (the cache may be deleted at any time)
    try:
        descriptor = open_safe_directory(path, create=create)
    except OSError:
        return None
    if descriptor is not None:
        _DIRECTORIES[key] = descriptor
    return descriptor


def _trusted(info: os.stat_result, uid: int) -> bool:
    """A directory (or link) that nobody but root and the user can change."""
    if info.st_uid not in (0, uid):
        return False
    if stat.S_ISLNK(info.st_mode):
        return True  # a link's target cannot be changed, only the link replaced (by its folder)
    return not info.st_mode & 0o022 or bool(info.st_mode & stat.S_ISVTX)


def open_safe_directory(path: Path, *, create: bool = False) -> int | None:
    """Open `path` as described in the module docstring; None when it is missing (and not
    `create`) or not safe. The caller owns the descriptor."""
    uid = os.getuid()
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    parts = list(Path(os.path.abspath(path)).parts[1:])
    descriptor = os.open("/", flags)
    links = 0
    try:
        if not _trusted(os.fstat(descriptor), uid):
            return None
        while parts:
            name = parts.pop(0)
            if name in ("", "."):
                continue
            if name == "..":  # abspath has removed these; refuse rather than climb
                return None
            try:
                info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
            except FileNotFoundError:
                if not create:
                    return None
                try:
                    os.mkdir(name, 0o700, dir_fd=descriptor)
                except FileExistsError:
                    pass  # made meanwhile (by whom is checked below)
                info = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                links += 1
                if links > 40 or not _trusted(info, uid):
                    return None
                target = os.readlink(name, dir_fd=descriptor)
                if os.path.isabs(target):  # start again from "/" with the rest of the path
                    os.close(descriptor)
                    descriptor = os.open("/", flags)
                parts = [p for p in Path(target).parts if p != "/"] + parts
                if any(p == ".." for p in parts):
                    return None  # a link that climbs: not worth the risk
                continue
            following = os.open(name, flags, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = following
            info = os.fstat(descriptor)
            if not stat.S_ISDIR(info.st_mode) or not _trusted(info, uid):
                return None
        final = os.fstat(descriptor)
        if final.st_uid != uid or final.st_mode & 0o022:
            return None  # the cache itself: the user's, writable by nobody else
        result, descriptor = descriptor, -1
        return result
    finally:
        if descriptor >= 0:
            os.close(descriptor)


def _read(name: str) -> bytes | None:
    directory = _directory(create=False)
    if directory is None:
        return None
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
                         | getattr(os, "O_NONBLOCK", 0), dir_fd=directory)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid()
                or info.st_mode & 0o022 or info.st_size > MAX_FILE_BYTES):
            return None
        chunks = []
        remaining = info.st_size + 1
        while remaining > 0:
            chunk = os.read(handle, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        return data if len(data) <= info.st_size else None
    except OSError:
        return None
    finally:
        os.close(handle)


def _store(name: str, data: bytes) -> None:
    """Write one cache file atomically; a cache that cannot be written is simply not used."""
    directory = _directory(create=True)
    if directory is None:
        return
    temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(temporary, flags, 0o600, dir_fd=directory)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, name, src_dir_fd=directory, dst_dir_fd=directory)
    except OSError:
        try:
            os.unlink(temporary, dir_fd=directory)
        except OSError:
            pass


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
    key = _key(source, filename)
    kept = _KEPT_CODE
    if kept is not None and key in kept.entries:
        kept.used[key] = kept.entries[key]
        return kept.entries[key]
    data = _read(f"{key}.bin")
    if data is None:
        return None
    try:
        code = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(code, CodeType):
        return None
    if kept is not None:
        kept.used[key] = code
        kept.changed = True
    return code


def store_code(source: str, filename: str, code: CodeType) -> None:
    key = _key(source, filename)
    _store(f"{key}.bin", marshal.dumps(code))
    kept = _KEPT_CODE
    if kept is not None:
        kept.used[key] = code
        kept.changed = True


# -- the templates of one document in one file ---------------------------------------------------
MAX_KEPT_CODE = 512


class _KeptCode:
    def __init__(self, entries: dict[str, CodeType]) -> None:
        self.entries = entries
        self.used: dict[str, CodeType] = {}
        self.changed = False


_KEPT_CODE: _KeptCode | None = None


@contextmanager
def code_kept_together() -> Iterator[None]:
    """Within this block, compiled templates also come from (and go to) one file holding the
    code of the latest document's templates first, at most MAX_KEPT_CODE of them: one read
    instead of one per template. Same keys and the same trust as the single files."""
    global _KEPT_CODE
    name = f"code-{hashlib.sha256(_settings().encode('utf-8', 'surrogatepass')).hexdigest()}.bin"
    entries: dict[str, CodeType] = {}
    data = _read(name)
    if data is not None:
        try:
            loaded = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            loaded = None
        if isinstance(loaded, dict):
            entries = {k: v for k, v in loaded.items()
                       if isinstance(k, str) and isinstance(v, CodeType)}
    kept = _KEPT_CODE = _KeptCode(entries)
    try:
        yield
    finally:
        _KEPT_CODE = None
        if kept.changed:
            together = dict(kept.used)
            for key, code in entries.items():
                if len(together) >= MAX_KEPT_CODE:
                    break
                together.setdefault(key, code)
            _store(name, marshal.dumps(dict(list(together.items())[:MAX_KEPT_CODE])))


def fingerprint(paths: list[Path], *extra: str) -> str:
    """A key from the files' names and contents (plus versions in `extra`): an edit is seen even
    when it keeps the size and the modification time (git checkout, cp -p)."""
    digest = hashlib.sha256("\0".join((sys.version, jinja2.__version__, *extra)).encode())
    for path in sorted(paths):
        try:
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            content = "unreadable"
        digest.update(f"\0{path}\0{content}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def load_object(kind: str, key: str) -> object | None:
    """A cached object (cachedata format), or None."""
    from .cachedata import FormatError, loads

    data = _read(f"{kind}-{key}.data")
    if data is None:
        return None
    try:
        value: object = loads(data)
    except FormatError:
        return None
    return value


def store_object(kind: str, key: str, value: object) -> None:
    from .cachedata import dumps

    try:
        data = dumps(value)
    except (TypeError, ValueError, RecursionError):
        return
    _store(f"{kind}-{key}.data", data)
