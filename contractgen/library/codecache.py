"""A disk cache for compiled clause templates, so a CLI run does not compile Jinja every time.

Keyed by the template source, its file name and line, and the Jinja and Python versions; a
damaged or unwritable cache is ignored (the template is then simply compiled).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType

import jinja2

ENV_VARIABLE = "CONTRACTGEN_CACHE_DIR"


def cache_dir() -> Path | None:
    configured = os.environ.get(ENV_VARIABLE)
    if configured == "":
        return None  # explicitly disabled
    if configured:
        return Path(configured)
    try:
        from platformdirs import user_cache_dir
    except ImportError:
        return None
    return Path(user_cache_dir("contractgen", appauthor=False)) / "templates"


def _key(source: str, filename: str) -> str:
    text = f"{jinja2.__version__}\0{sys.version}\0{filename}\0{source}"
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
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(marshal.dumps(code))
        os.replace(temporary, directory / f"{_key(source, filename)}.bin")
    except OSError:
        return
