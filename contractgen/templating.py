"""The one sandboxed Jinja environment, used for clause bodies, short forms, conditions and texts.

Answers are data: every value a template prints passes through `escape_markdown`, so user text is
never read as Markdown (and never as Jinja: it is only ever a value in the context).
Cross-references and paragraph labels are emitted as private-use sentinels that the parser turns
into model nodes; answers validation rejects private-use characters, so users cannot forge them.
The formatting filters take the locale and the library's words from the render context
(render/context.py puts them under LOCALE_KEY and WORDING_KEY), never from a global.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from . import formatting, limits

SENTINEL_OPEN = "\ue000"
SENTINEL_CLOSE = "\ue001"
SENTINEL_RE = re.compile("\ue000([RLDT]):([^\ue001]*)\ue001")

_MD_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
LOCALE_KEY = "_locale"      # the Babel locale of the document (render context)
WORDING_KEY = "_wording"    # the library's words, a model.Wording (render context)


class Safe(str):
    """Text produced by contractgen itself (sentinels) that must not be escaped."""


def _locale(context: Context) -> str:
    return str(context.get(LOCALE_KEY) or formatting.LOCALE)


def _words(context: Context) -> Any:
    return context.get(WORDING_KEY)


@pass_context
def escape_markdown(context: Context, value: Any) -> Any:
    """Finalize hook: backslash-escape ASCII punctuation so a value is never Markdown syntax; a
    yes/no answer prints as the library's word for it."""
    if value is None or isinstance(value, Safe):
        return "" if value is None else value
    if isinstance(value, bool):
        words = _words(context)
        return str(value) if words is None else (words.yes if value else words.no)
    text = str(value)
    text = " ".join(text.split("\n"))
    return _MD_PUNCT.sub(r"\\\1", text)


def ref(clause_id: str, label: str | None = None) -> Safe:
    """`{{ ref("kuendigung") }}` -> '§ 9'; with a label -> '§ 9 Abs. 2' (resolved after numbering)."""
    payload = clause_id if label is None else f"{clause_id}#{label}"
    return Safe(f"{SENTINEL_OPEN}R:{payload}{SENTINEL_CLOSE}")


def absatz(label: str) -> Safe:
    """`{{ absatz("staffel") }}` at the start of a paragraph makes it referable by that label."""
    return Safe(f"{SENTINEL_OPEN}L:{label}{SENTINEL_CLOSE}")


def definiere(term: str, form: str | None = None) -> Safe:
    """`{{ definiere("Briefing") }}`: the place where a clause defines a term (shown „Briefing“).
    `form` is the word as it reads in the sentence, e.g. a plural."""
    return Safe(f"{SENTINEL_OPEN}D:{term}#{form or term}{SENTINEL_CLOSE}")


def begriff(term: str, form: str | None = None) -> Safe:
    """`{{ begriff("Briefing") }}`: a use of a defined term; the contract must define it."""
    return Safe(f"{SENTINEL_OPEN}T:{term}#{form or term}{SENTINEL_CLOSE}")


def allgemein(text: str) -> str:
    """`{{ allgemein("andere Auftraggeber") }}`: a word that looks like a party's designation
    but means other people; printed as written (the library check does not ask for AN/AG)."""
    return str(text)


def family_name(name: Any) -> str:
    """`{{ "Dr. Anna von Berg"|nachname }}` -> "Dr. von Berg", for "Sehr geehrte Frau …": the
    academic titles in front, then the family name with its particle (von, van, de, zu …), else
    the last word. The first name is whatever comes between."""
    words = str(name).split()
    titles = []
    while len(words) > 1 and words[0].endswith("."):      # Dr., Prof.
        titles.append(words.pop(0))
    rest = words[1:] or words
    particle = next((i for i, w in enumerate(rest) if w[:1].islower()), None)
    family = rest[particle:] if particle is not None else rest[-1:]
    return " ".join(titles + family)


@pass_context
def du_sie(context: Context, du_text: str, sie_text: str) -> str:
    """Wording for the e-mail in the agreed form of address."""
    return du_text if context.get("anrede") == "du" else sie_text


@pass_context
def _money(context: Context, value: Any) -> str:
    return formatting.format_money(_decimal(value), _locale(context))


@pass_context
def _date(context: Context, value: Any) -> str:
    if not isinstance(value, dt.date):
        raise TypeError(f"Filter datum erwartet ein Datum, nicht {type(value).__name__}")
    return formatting.format_date(value, _locale(context))


@pass_context
def _number(context: Context, value: Any) -> str:
    return formatting.format_number(_decimal(value), _locale(context))


@pass_context
def _percent(context: Context, value: Any) -> str:
    return formatting.format_percent(_decimal(value), _locale(context))


@pass_context
def _number_word(context: Context, value: Any) -> str:
    words = _words(context)
    if isinstance(value, int) and not isinstance(value, bool) and words is not None:
        return formatting.number_word(value, words.number_words, _locale(context))
    return formatting.format_number(_decimal(value), _locale(context))


@pass_context
def _join(context: Context, value: Any) -> str:
    words = _words(context)
    items = [str(item) for item in value]
    return words.join(items) if words is not None else ", ".join(items)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"Zahl erwartet, nicht {type(value).__name__}")
    return Decimal(value)


MAX_POWER_BITS = 4096          # results of ** larger than this are refused
MAX_REPEAT_LENGTH = 100_000    # "x" * n and [..] * n longer than this are refused


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox (a template cannot call list.append, dict.update and the like, so
    a clause can never change an answer), plus limits on ** and * (huge numbers or strings
    would hang or exhaust memory). Intercepting them also stops Jinja from folding such
    constants while compiling."""

    intercepted_binops = frozenset({"**", "*", "%"})
    revision = "immutable-context-filters-1"   # part of the code cache key: how filters are called

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            _bounded(limits.check_percent_format, left)  # "%0999999999d" % 1
        if operator == "**" and _is_number(left) and _is_number(right):
            if right < 0 or _bits(left) * max(int(abs(right)), 1) > MAX_POWER_BITS:
                raise SecurityError(f"Potenz zu groß ({operator})")
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and _is_number(count) \
                        and len(sequence) * max(int(count), 0) > MAX_REPEAT_LENGTH:
                    raise SecurityError("Wiederholung zu lang (*)")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        """str.format / format_map with bounded specifications, and bounded stand-ins for the
        str methods that multiply lengths (center, ljust, rjust, zfill, expandtabs, replace,
        join); called for every attribute a template reads."""
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            template = value.__self__

            def checked(*args: Any, **kwargs: Any) -> Any:
                _bounded(limits.check_brace_format, template)
                return wrapped(*args, **kwargs)

            return checked
        bounded = limits.bounded_str_method(value)
        return None if bounded is None else _guarded(bounded)


def _bounded(check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except limits.FormatLimitError as exc:
        raise SecurityError(str(exc)) from None


def _guarded(function: Any) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        return _bounded(function, *args, **kwargs)
    return call


def _bounded_filters() -> dict[str, Any]:
    """Jinja's filters that format, pad or multiply strings, with the same limits."""
    from jinja2 import filters
    from jinja2.utils import pass_eval_context

    def format_filter(value: Any, *args: Any, **kwargs: Any) -> Any:
        _bounded(limits.check_percent_format, str(value))
        return filters.do_format(value, *args, **kwargs)

    def center(value: Any, width: Any = 80) -> Any:
        if isinstance(width, int):
            _bounded(limits._too_long, width, "center")
        return filters.do_center(value, width)

    def indent(text: Any, width: Any = 4, first: bool = False, blank: bool = False) -> Any:
        step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        _bounded(limits._too_long, len(str(text)) + (str(text).count("\n") + 1) * step, "indent")
        return filters.do_indent(text, width, first, blank)

    @pass_eval_context
    def replace(context: Any, text: Any, old: Any, new: Any, count: Any = None) -> Any:
        _bounded(limits._too_long, limits.replaced_length(str(text), str(old), str(new),
                                                          -1 if count is None else count),
                 "replace")
        return filters.do_replace(context, text, old, new, count)

    @pass_eval_context
    def join(context: Any, value: Any, d: Any = "", attribute: Any = None) -> Any:
        items = list(value)
        _bounded(limits._too_long, len(str(d)) * max(len(items) - 1, 0)
                 + sum(len(item) if isinstance(item, str) else 0 for item in items), "join")
        return filters.do_join(context, items, d, attribute)

    return {"format": format_filter, "center": center, "indent": indent, "replace": replace,
            "join": join}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _bits(value: Any) -> int:
    try:
        return max(int(abs(value)).bit_length(), 1)
    except (OverflowError, ValueError):
        return MAX_POWER_BITS + 1


def make_environment() -> SandboxedEnvironment:
    env = LimitedSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=escape_markdown,
    )
    env.filters.update(
        geld=_money,
        datum=_date,
        zahl=_number,
        prozent=_percent,
        zahlwort=_number_word,
        aufzaehlung=_join,
        nachname=family_name,
    )
    env.filters.update(_bounded_filters())
    env.globals.pop("lipsum", None)  # lipsum(10**6) would write megabytes of placeholder text
    env.globals.update(ref=ref, absatz=absatz, ds=du_sie, definiere=definiere, begriff=begriff,
                       allgemein=allgemein)
    return env


_ENVIRONMENT: SandboxedEnvironment | None = None


def environment() -> SandboxedEnvironment:
    """The shared environment (compiled templates are cached per library, not here)."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        _ENVIRONMENT = make_environment()
    return _ENVIRONMENT
