"""Loading a clause library: where it is, the parsed copy in the disk cache, every problem at
once. The reading itself is reader.py's; the loaded objects are in model.py."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import LibraryError
from .model import Library

ENV_VARIABLE = "CONTRACTGEN_LIBRARY"
# part of the cache key of a parsed library (stored with its conditions' names): raise it when
# Library or Clause change shape
FORMAT = "library-7"


def default_library_path() -> Path:
    configured = os.environ.get(ENV_VARIABLE)
    if configured:
        return Path(configured)
    package = Path(__file__).resolve().parent.parent
    installed = package / "clause_library"
    if installed.is_dir():
        return installed
    return package.parent / "clause_library"  # a source checkout


def load_library(path: Path | str | None = None, *, compile_all: bool = True) -> Library:
    """Load a library; every problem at once as a LibraryError (exit 4). `compile_all=False`
    compiles templates only when first used (a syntax error then surfaces when that clause is
    rendered) and reuses a parsed copy from the disk cache while no file of it has changed."""
    root = Path(path) if path is not None else default_library_path()
    if not root.is_dir():
        raise LibraryError(f"Die Klauselbibliothek {root} gibt es nicht (oder sie ist kein "
                           "Verzeichnis). Prüfen Sie --library bzw. CONTRACTGEN_LIBRARY.")
    from ..libfiles import check_tree

    files = check_tree(root)  # no links out of the library, no devices, FIFOs or huge files
    message = f"Die Klauselbibliothek {root} ist fehlerhaft."
    if compile_all:
        from .reader import raise_problems, read_library

        return raise_problems(read_library(root, compile_templates=True), message)
    from .._version import __version__
    from ..cache import fingerprint, load_object, store_object

    # cachedata builds instances only of classes whose module is imported: the modules of
    # every class a Library holds that the loader's own imports do not bring
    from ..questionnaire import professions  # noqa: F401
    from .selection import condition_names, remember_condition_names

    key = fingerprint(files, str(root.resolve()), __version__, FORMAT)
    cached = load_object("library", key)
    if (isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Library)
            and cached[0].root == root and isinstance(cached[1], dict)):
        remember_condition_names(cached[1])
        return cached[0]
    from .reader import raise_problems, read_library  # only when the cache cannot answer

    library = raise_problems(read_library(root, compile_templates=False), message)
    names = condition_names(library)
    remember_condition_names(names)
    store_object("library", key, (library, names))
    return library
