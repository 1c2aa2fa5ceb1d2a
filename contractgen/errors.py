"""One error family for everything a user can cause; the CLI is the only place that prints them."""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_NAMES = {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}


@dataclass(frozen=True)
class Problem:
    """One finding: a level ("error", "warning" or "info"), a German message, and where it is."""

    level: str
    message: str
    where: str = ""               # file:line, "--set", or a clause file
    key: str = ""                 # answers key path or clause id
    code: str = ""                # stable machine-readable code (e.g. "answers.pattern"); never match on message text

    def __str__(self) -> str:
        prefix = LEVEL_NAMES.get(self.level, "Warnung")
        parts = [p for p in (self.where, self.key) if p]
        return ": ".join([prefix, *parts, self.message])


class ContractgenError(Exception):
    """Base class. Each subclass has its own exit code (documented in README.md)."""

    exit_code = 1

    def __init__(self, message: str, problems: tuple[Problem, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems


class UsageError(ContractgenError):
    """The command was called wrongly (options that contradict each other, a bad variable)."""

    exit_code = 2


class AnswersError(ContractgenError):
    """The answers file is missing, unreadable or invalid."""

    exit_code = 3


class LibraryError(ContractgenError):
    """The clause library is missing or broken (YAML, Jinja, references, reference.docx)."""

    exit_code = 4


class RenderError(ContractgenError):
    """A clause failed to render for these answers (a library problem that shows for these answers)."""

    exit_code = 5


class OutputError(ContractgenError):
    """An output file cannot be written (exists without --force, missing directory, no permission)."""

    exit_code = 6


class ToolMissingError(ContractgenError):
    """An external tool (LibreOffice) is needed but not installed."""

    exit_code = 7
