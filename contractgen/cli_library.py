"""CLI commands for lawyers maintaining the clause library (issue 4): registered on the main app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer


def register(app: typer.Typer, *, guarded: Callable[[Callable[..., None]], Callable[..., None]]) -> Any:
    """Add the library commands to `app`; `guarded` turns ContractgenErrors into exit codes."""
    return None
