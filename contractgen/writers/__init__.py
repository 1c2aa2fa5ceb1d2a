"""Writers see only the model. A new format is one module plus one entry here."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

# format name -> (module, function); imported lazily so `contractgen --help` stays fast
_REGISTRY: dict[str, tuple[str, str]] = {
    "docx": ("contractgen.writers.docx", "write_docx"),
    "md": ("contractgen.writers.markdown", "write_markdown"),
    "text": ("contractgen.writers.text", "write_email_text"),
}

FORMATS = tuple(_REGISTRY)


def writer(name: str) -> Callable[..., Any]:
    module, function = _REGISTRY[name]
    return getattr(import_module(module), function)  # type: ignore[no-any-return]
