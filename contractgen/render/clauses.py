"""Render clause bodies and short forms (sandboxed Jinja) and parse them into the model."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from jinja2 import Template

from ..errors import Problem, RenderError
from ..library import Clause, Library
from ..limits import TemplateTimeout, time_limit
from ..model import Paragraph, Section, plain_text
from .parse import MarkupError, parse_blocks

MAX_RENDERED_CHARS = 200_000


def render_template(template: Template, context: Mapping[str, Any], origin: str) -> str:
    """Render one template; any failure becomes a RenderError naming file and line."""
    try:
        with time_limit():
            text = template.render(context)
    except TemplateTimeout as exc:
        raise RenderError(f"{template.filename or origin}: Die Vorlage läuft zu lange ({exc}); "
                          "sie wurde abgebrochen.") from None
    except RecursionError:
        raise RenderError(f"{origin}: Die Vorlage ist zu tief verschachtelt (Rekursion).") from None
    except MemoryError:
        raise RenderError(f"{origin}: Die Vorlage erzeugt zu viel Text.") from None
    except Exception as exc:  # noqa: BLE001 - any template failure is the library's problem
        line = _template_line(exc, template)
        where = f"{template.filename}:{line}" if line else str(template.filename or origin)
        raise RenderError(
            "Eine Klausel lässt sich mit diesen Antworten nicht erzeugen.",
            (Problem("error", f"{type(exc).__name__}: {exc}", where, origin, code="render.template"),),
        ) from None
    if len(text) > MAX_RENDERED_CHARS:
        raise RenderError(f"{origin}: Die Vorlage erzeugt mehr als {MAX_RENDERED_CHARS:,} Zeichen."
                          .replace(",", "."))
    return text


def _template_line(exc: BaseException, template: Template) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == template.filename:
            line = lineno
    return line


def parse_rendered(text: str, origin: str, where: str,
                   quotes: tuple[str, str] = ('"', '"')) -> tuple[Paragraph, ...]:
    try:
        return parse_blocks(text, quotes)
    except MarkupError as exc:
        raise RenderError("Eine Klausel verwendet nicht unterstützte Formatierung.",
                          (Problem("error", str(exc), where, origin, code="render.markup"),)) from None


def render_clause(library: Library, clause: Clause, context: Mapping[str, Any]) -> Section:
    quotes = library.wording.quotes
    body_text = render_template(library.template(clause, "body"), context, clause.id)
    paragraphs = parse_rendered(body_text, clause.id, str(clause.path), quotes)
    short: tuple[Paragraph, ...] = ()
    if clause.short is not None:
        short_text = render_template(library.template(clause, "short"), context, clause.id)
        short = parse_rendered(short_text, clause.id, str(clause.path), quotes)
    return Section(clause_id=clause.id, title=clause_title(library, clause, context),
                   paragraphs=paragraphs, short=short,
                   annex=clause.annex, full_in_email=clause.email_full)


def clause_title(library: Library, clause: Clause, context: Mapping[str, Any]) -> str:
    """The heading of a clause; a title with a template (`Mitwirkung {{ AG.des }}`) is rendered
    like the body."""
    if "{" not in clause.title:
        return clause.title
    text = render_template(library.template(clause, "title"), context, clause.id)
    blocks = parse_rendered(text, clause.id, str(clause.path), library.wording.quotes)
    return " ".join(plain_text(p.content) for p in blocks).strip()
