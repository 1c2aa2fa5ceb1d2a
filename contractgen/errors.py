"""One error family for everything a user can cause; the CLI is the only place that prints them.

Every exit code contractgen can end with is defined here (README: Exit-Codes). A `Problem` is
one finding with a stable `code` (what other code may branch on, never the German message), a
`Level` and a structured `Location`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

# -- exit codes (README.md, "Exit-Codes") ------------------------------------------------------
EXIT_OK = 0
EXIT_DECLINED = 1          # not confirmed (update without "j"), nothing written
EXIT_DIFFERENT = 1         # `diff`: the contracts differ (as diff(1) and cmp(1) say it)
EXIT_USAGE = 2             # the command was called wrongly (also click's own usage errors)
EXIT_ANSWERS = 3
EXIT_LIBRARY = 4
EXIT_RENDER = 5
EXIT_OUTPUT = 6
EXIT_TOOL_MISSING = 7
EXIT_BATCH_FAILED = 8      # at least one row of a batch failed (the others were written)
EXIT_INTERNAL = 70         # a bug in contractgen
EXIT_INTERRUPTED = 130     # Ctrl-C


class Level(str, Enum):
    """How bad a problem is; `--strict` turns warnings into errors, notes stay notes."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


LEVEL_NAMES = {Level.ERROR: "Fehler", Level.WARNING: "Warnung", Level.INFO: "Hinweis"}


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file (or "--set", an option, "Eingabe"), its line, the answers key
    path or clause id it concerns, and the clause it arose in."""

    file: str = ""
    line: int | None = None
    key: str = ""
    clause: str = ""

    @property
    def where(self) -> str:
        """`file:line` as the messages show it."""
        return f"{self.file}:{self.line}" if self.file and self.line is not None else self.file

    @staticmethod
    def of(where: str, key: str = "", clause: str = "") -> Location:
        """A location from the `file:line` form (kept for callers that format it themselves)."""
        head, _, tail = where.rpartition(":")
        if head and tail.isdigit():
            return Location(head, int(tail), key, clause)
        return Location(where, None, key, clause)


@dataclass(frozen=True, init=False)
class Problem:
    """One finding: a stable `code` (dotted, e.g. "answers.pattern"), a level, a German message
    and where it is. Construct with `where` as a Location (or "file:line") and `key`."""

    level: Level
    message: str
    code: str
    location: Location

    def __init__(self, level: Level | str, message: str, where: Location | str = "",
                 key: str = "", *, code: str) -> None:
        location = where if isinstance(where, Location) else Location.of(where)
        if key:
            location = replace(location, key=key)
        object.__setattr__(self, "level", Level(level))
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "location", location)

    @property
    def where(self) -> str:
        return self.location.where

    @property
    def key(self) -> str:
        return self.location.key

    def at(self, where: Location | str) -> Problem:
        """The same problem at another place (the key stays)."""
        location = where if isinstance(where, Location) else Location.of(where)
        return Problem(self.level, self.message, replace(location, key=location.key or self.key),
                       code=self.code)

    def as_level(self, level: Level) -> Problem:
        return Problem(level, self.message, self.location, code=self.code)

    def __str__(self) -> str:
        prefix = LEVEL_NAMES.get(self.level, "Warnung")
        parts = [p for p in (self.where, self.key) if p]
        return ": ".join([prefix, *parts, self.message])


class ContractgenError(Exception):
    """Base class. Each subclass has its own exit code (documented in README.md)."""

    exit_code = EXIT_DECLINED
    plain = False          # True: the CLI prints the message as it is, without "contractgen: "

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


class UsageError(ContractgenError):
    """The command was called wrongly (options that contradict each other, a bad variable)."""

    exit_code = EXIT_USAGE


class OptionError(UsageError):
    """A command-line option has a value the command cannot use; the CLI shows it as click shows
    a bad option value (exit 2)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class AnswersError(ContractgenError):
    """The answers file is missing, unreadable or invalid."""

    exit_code = EXIT_ANSWERS


class LibraryError(ContractgenError):
    """The clause library is missing or broken (YAML, Jinja, references, reference.docx)."""

    exit_code = EXIT_LIBRARY


class RenderError(ContractgenError):
    """A clause failed to render for these answers (a library problem that shows for these answers)."""

    exit_code = EXIT_RENDER


class OutputError(ContractgenError):
    """An output file cannot be written (exists without --force, missing directory, no permission)."""

    exit_code = EXIT_OUTPUT


class ToolMissingError(ContractgenError):
    """An external tool (LibreOffice) is needed but not installed."""

    exit_code = EXIT_TOOL_MISSING


class Declined(ContractgenError):
    """The user did not confirm (`update` without "j"); nothing was written."""

    exit_code = EXIT_DECLINED
    plain = True


class Interrupted(ContractgenError):
    """The user stopped an interview (Ctrl-C or end of input). The message says what was kept;
    the CLI prints it as it is, without the "contractgen:" prefix."""

    exit_code = EXIT_INTERRUPTED
    plain = True
