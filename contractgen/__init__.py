"""contractgen: German framework agreements and e-mail agreements from a clause library.

Public API (imported lazily, so the CLI starts fast):
    load_library, load_answers, build_document, render_document, generate, email_agreement,
    generate_batch, generate_order, order_document, follow_up_mail
"""

from __future__ import annotations

from typing import Any

from ._version import __version__

_API = ("load_library", "load_answers", "build_document", "render_document", "generate",
        "email_agreement", "generate_batch", "generate_order", "order_document", "follow_up_mail",
        "GenerateResult", "EmailResult", "MailResult")

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(name)
