"""contractgen: German framework agreements and e-mail agreements from a clause library.

Public API (imported lazily, so the CLI starts fast):
    load_library, load_answers, build_document, render_document, generate, email_agreement,
    generate_batch
"""

from __future__ import annotations

from typing import Any

from ._version import __version__

_API = ("load_library", "load_answers", "build_document", "render_document", "generate",
        "email_agreement", "generate_batch", "GenerateResult", "EmailResult")

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
