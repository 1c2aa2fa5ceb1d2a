"""Temporary files of one batch, and the clean-up of those a killed batch left behind.

Two batches may write into the same folder at once. Each one holds a lock file
`.contractgen-batch-TOKEN.lock` there while it runs (an exclusive `flock`, which the system
releases when the process ends, however it ends), and every temporary file it writes carries
its TOKEN: `.NAME.SUFFIX.TOKEN.RANDOM.tmp` (output.write_atomic's `tag`). At the start a batch
removes only temporary files whose lock is free or gone, i.e. whose batch has ended (killed,
crashed) — never those of a batch still running, and never files of other programs (an
interrupted `contractgen generate` leaves `.NAME.RANDOM.tmp`, without a token).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

LOCK_PREFIX = ".contractgen-batch-"
LOCK_SUFFIX = ".lock"
_TOKEN = re.compile(r"[0-9a-f]{12}")

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no clean-up of other batches' files
    fcntl = None  # type: ignore[assignment]


class BatchLock:
    """The running batch's token and lock; `close()` (or the end of the process) frees it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.token = os.urandom(6).hex()
        self.path = directory / f"{LOCK_PREFIX}{self.token}{LOCK_SUFFIX}"
        self._handle: int | None = None
        if fcntl is None:
            return
        # locked before it appears under its name: nobody can find it unlocked
        temporary = directory / f"{LOCK_PREFIX}{self.token}.new"
        try:
            handle = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY
                             | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError:
            return  # an unwritable folder fails later, with write_atomic's message
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.replace(temporary, self.path)
        except OSError:
            os.close(handle)
            _unlink(temporary)
            return
        self._handle = handle

    def close(self) -> None:
        if self._handle is not None:
            _unlink(self.path)
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> BatchLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def remove_stale(directory: Path, pattern: re.Pattern[str]) -> list[str]:
    """Remove temporary files (names matching `pattern`, whose group "token" is a batch's token)
    and lock files of batches that have ended; their names."""
    if fcntl is None:
        return []
    by_token: dict[str, list[str]] = {}
    locks: set[str] = set()
    with os.scandir(directory) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            match = pattern.fullmatch(entry.name)
            if match is not None:
                by_token.setdefault(match.group("token"), []).append(entry.name)
            elif entry.name.startswith(LOCK_PREFIX) and entry.name.endswith(LOCK_SUFFIX):
                token = entry.name[len(LOCK_PREFIX):-len(LOCK_SUFFIX)]
                if _TOKEN.fullmatch(token):
                    locks.add(token)
    removed = []
    for token in sorted(locks):  # without its lock file, a file's batch cannot be judged: kept
        lock = directory / f"{LOCK_PREFIX}{token}{LOCK_SUFFIX}"
        handle = _take(lock)
        if handle is None:
            continue  # that batch is still running: its files are its own
        try:
            for name in by_token.get(token, ()):
                if _unlink(directory / name):
                    removed.append(name)
            if _unlink(lock):
                removed.append(lock.name)
        finally:
            os.close(handle)
    return removed


def _take(lock: Path) -> int | None:
    """The lock's descriptor, locked, if its batch has ended; None while it runs."""
    assert fcntl is not None
    try:
        handle = os.open(lock, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        return None
    return handle


def _unlink(path: Path) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True
