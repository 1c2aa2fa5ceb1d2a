"""Bounds on what a hostile library or file could make contractgen do: run too long, read too
much, match too long.

A time budget for running library templates: the sandbox already refuses attribute tricks and
huge range(); loops that are merely long are stopped by a timer signal. Signals only work in
the main thread; elsewhere (thread pools) the limit is not enforced and the sandbox's other
limits still apply. Files from users are read with a byte limit (`read_limited`), patterns of
the questionnaire are restricted to a safe subset (`pattern_problem`).
"""

from __future__ import annotations

import os
import re
import signal
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .errors import ContractgenError, LibraryError


def _configured_seconds() -> float:
    try:
        return max(float(os.environ.get("CONTRACTGEN_TEMPLATE_SECONDS", "5")), 0.01)
    except ValueError:
        return 5.0


TEMPLATE_SECONDS = _configured_seconds()


class TemplateTimeout(Exception):
    """A template ran longer than its budget."""


@contextmanager
def time_limit(seconds: float = TEMPLATE_SECONDS) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # an outer limit is already running
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TemplateTimeout(f"länger als {seconds:g} Sekunden")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- files from users: a byte limit that holds for pipes and devices too ---------------------

def read_limited(path: Path, limit: int, describe: str, error: type[ContractgenError]) -> bytes:
    """At most `limit` bytes of `path`, else `error` naming the file. A regular file is judged
    by its size first; a pipe or a device (/dev/zero, <(…)) by reading one byte more than the
    limit, so neither can run until memory is gone. `describe` names it ("Die Antwortdatei")."""
    name = str(path)
    try:
        with open(path, "rb") as stream:
            info = os.fstat(stream.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise error(f"{name} ist ein Verzeichnis, keine Datei.")
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise error(f"{describe} {name} ist {_dots(info.st_size)} Bytes groß; erlaubt sind "
                            f"höchstens {_dots(limit)} Bytes.")
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise error(f"{describe} {name} gibt es nicht.") from None
    except IsADirectoryError:
        raise error(f"{name} ist ein Verzeichnis, keine Datei.") from None
    except OSError as exc:
        raise error(f"{describe} {name} kann nicht gelesen werden: {exc.strerror}.") from None
    if len(data) > limit:
        raise error(f"{describe} {name} ist größer als {_dots(limit)} Bytes; mehr ist nicht "
                    "erlaubt (gelesen wurde nur bis zu dieser Grenze).")
    return data


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


# -- regular expressions from the questionnaire: a safe subset ---------------------------------
# A backtracking matcher (Python's re) needs exponential time for nested repetition such as
# (a+)+ and polynomial time for many unbounded repetitions in a row. Patterns of a library are
# therefore restricted to a subset that matches in linear time at most quadratic: no nested
# variable repetition, no alternation inside repetition (unless every branch is one character),
# no backreferences or lookaround, at most two large repetitions. The answers they check are at
# most a few thousand characters long, so any pattern of the subset finishes at once, in every
# thread (a timer signal would work in the main thread only).

MAX_PATTERN_LENGTH = 500
LARGE_REPEAT = 20        # a repetition whose count may vary by more than this is "large"


def pattern_problem(pattern: object) -> str | None:
    """Why `pattern` is no pattern of the safe subset (German), or None."""
    if not isinstance(pattern, str):
        return "pattern muss ein Text sein."
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"pattern ist länger als {MAX_PATTERN_LENGTH} Zeichen."
    try:
        parsed = _sre_parse(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"pattern {pattern!r} ist kein gültiger regulärer Ausdruck ({exc})."
    problem, large = _walk(list(parsed), inside_repeat=False)
    if problem is None and large > 2:
        problem = ("mehr als zwei unbegrenzte Wiederholungen (*, +, {n,}); die Prüfung könnte "
                   "bei langen Eingaben sehr lange dauern")
    if problem is None:
        return None
    return (f"pattern {pattern!r}: {problem}. Erlaubt sind einfache Muster wie '^[0-9]{{5}}$' "
            "(keine verschachtelten Wiederholungen wie (a+)+, keine Rückverweise).")


def _sre_parse(pattern: str) -> Any:
    import importlib

    try:  # Python 3.11 and later; "sre_parse" before (deprecated since)
        sre_parse = importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.10
        sre_parse = importlib.import_module("sre_parse")
    return sre_parse.parse(pattern)


def _walk(items: list[Any], *, inside_repeat: bool) -> tuple[str | None, int]:
    """(problem, number of large repetitions) of a parsed pattern."""
    large = 0
    for op, value in items:
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "GROUPREF_LOC_IGNORE",
                    "GROUPREF_UNI_IGNORE"):
            return "Rückverweise (\\1, (?P=name)) sind nicht erlaubt", large
        if name in ("ASSERT", "ASSERT_NOT"):
            return "Vorausschau und Rückschau ((?=…), (?!…), (?<=…)) sind nicht erlaubt", large
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, body = value
            variable = high != low
            unbounded = high is None or high > 65535 or high - low > LARGE_REPEAT
            if inside_repeat and variable:
                return "verschachtelte Wiederholungen wie (a+)+ sind nicht erlaubt", large
            large += 1 if unbounded else 0
            problem, inner = _walk(list(body), inside_repeat=inside_repeat or high != 1)
            if problem is not None:
                return problem, large
            if high != 1 and inner:
                return "verschachtelte Wiederholungen wie (a+)+ sind nicht erlaubt", large
            large += inner
        elif name == "SUBPATTERN":
            problem, inner = _walk(list(value[-1]), inside_repeat=inside_repeat)
            if problem is not None:
                return problem, large
            large += inner
        elif name == "BRANCH":
            branches = value[1]
            if inside_repeat and not all(_one_character(list(b)) for b in branches):
                return ("Alternativen (a|ab) innerhalb einer Wiederholung sind nicht erlaubt, "
                        "außer jede ist ein einzelnes Zeichen"), large
            for branch in branches:
                problem, inner = _walk(list(branch), inside_repeat=inside_repeat)
                if problem is not None:
                    return problem, large
                large += inner
        elif name == "ATOMIC_GROUP":
            problem, inner = _walk(list(value), inside_repeat=inside_repeat)
            if problem is not None:
                return problem, large
            large += inner
    return None, large


def _one_character(items: list[Any]) -> bool:
    return len(items) == 1 and str(items[0][0]) in ("LITERAL", "NOT_LITERAL", "IN", "ANY",
                                                     "CATEGORY")


def pattern_matches(pattern: str, text: str) -> bool:
    """`re.match` for a pattern of the safe subset (checked when the questionnaire is read),
    under the template time limit where a timer can run (belt and braces)."""
    try:
        with time_limit():
            return re.match(pattern, text) is not None
    except TemplateTimeout:
        raise LibraryError(f"Das Muster {pattern!r} des Fragebogens braucht für eine Antwort zu "
                           "lange; es wurde abgebrochen. Bitte das Muster vereinfachen.") from None


# -- string formatting and padding inside templates ---------------------------------------------
# The sandbox bounds "x" * n and a ** b (templating.LimitedSandbox); these bound what else can
# make a short template produce a huge string: format widths ("%0999999999d", "{:>999999999}"),
# padding ("x".center(10**9), |center, |indent), replace and join, which multiply lengths.

MAX_FORMAT_WIDTH = 1_000          # width or precision in a format specification
MAX_STRING_LENGTH = 100_000       # one string built by padding, replace or join
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])")


class FormatLimitError(Exception):
    """A template asked for a string beyond the limits (message in German)."""


def check_percent_format(template: str) -> None:
    """Refuse a %-format with a width or precision from the arguments (*) or over the limit."""
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.group(1, 2):
            if number == "*" or (number is not None and int(number) > MAX_FORMAT_WIDTH):
                raise FormatLimitError(f"Formatbreite zu groß ({match.group()!r}; höchstens "
                                       f"{MAX_FORMAT_WIDTH})")


def check_brace_format(template: str) -> None:
    """Refuse a str.format template whose specifications are nested or too wide."""
    import string

    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format itself reports the broken template
    for _, name, spec, _ in fields:
        if name is None or not spec:
            continue
        if "{" in spec:
            raise FormatLimitError(f"verschachtelte Formatangabe ({spec!r}) ist nicht erlaubt")
        for number in re.findall(r"\d+", spec):
            if int(number) > MAX_FORMAT_WIDTH:
                raise FormatLimitError(f"Formatbreite zu groß ({spec!r}; höchstens "
                                       f"{MAX_FORMAT_WIDTH})")


def _too_long(length: int, what: str) -> None:
    if length > MAX_STRING_LENGTH:
        raise FormatLimitError(f"{what} ergäbe {length:,} Zeichen; höchstens "
                               f"{MAX_STRING_LENGTH:,}".replace(",", "."))


def bounded_str_method(value: Any) -> Any:
    """A bounded stand-in for an amplifying method of a str (center, ljust, rjust, zfill,
    expandtabs, replace, join), or None for any other value."""
    name = getattr(value, "__name__", "")
    owner = getattr(value, "__self__", None)
    if not isinstance(owner, str) or name not in _BOUNDED:
        return None
    return _BOUNDED[name](owner, value)


def _pad(owner: str, method: Any) -> Any:
    def padded(width: Any, *args: Any) -> Any:
        if isinstance(width, int):
            _too_long(max(width, len(owner)), f"{method.__name__}({width})")
        return method(width, *args)
    return padded


def _expandtabs(owner: str, method: Any) -> Any:
    def expanded(tabsize: Any = 8) -> Any:
        if isinstance(tabsize, int):
            _too_long(len(owner) + owner.count("\t") * max(tabsize, 0), "expandtabs")
        return method(tabsize)
    return expanded


def _replace(owner: str, method: Any) -> Any:
    def replaced(old: Any, new: Any, count: Any = -1) -> Any:
        if isinstance(old, str) and isinstance(new, str) and isinstance(count, int):
            _too_long(replaced_length(owner, old, new, count), "replace")
        return method(old, new, count)
    return replaced


def _join(owner: str, method: Any) -> Any:
    def joined(items: Any) -> Any:
        items = list(items)
        _too_long(len(owner) * max(len(items) - 1, 0)
                  + sum(len(item) if isinstance(item, str) else 0 for item in items), "join")
        return method(items)
    return joined


def replaced_length(text: str, old: str, new: str, count: int = -1) -> int:
    hits = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * (len(new) - len(old))


_BOUNDED = {"center": _pad, "ljust": _pad, "rjust": _pad, "zfill": _pad,
            "expandtabs": _expandtabs, "replace": _replace, "join": _join}
