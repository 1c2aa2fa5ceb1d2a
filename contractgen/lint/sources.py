"""The check reads the library with the one reader (library/reader.py) in its collect-all mode and
turns every problem into a finding; the rule id is the problem's code ("library.<rule>")."""

from __future__ import annotations

from pathlib import Path

from ..errors import Level, Location, Problem
from ..library.reader import ClauseSource, LibrarySource, read_library
from .findings import Finding

__all__ = ["ClauseSource", "Sources", "finding", "read_sources", "reading_findings", "to_finding"]

Sources = LibrarySource


def finding(rule: str, level: Level | str, message: str, where: Location | str,
            clause: str = "") -> Finding:
    return Finding(level, message, where, clause, rule=rule)


def to_finding(problem: Problem, rule: str | None = None) -> Finding:
    """A problem of the reader (or of loading the order part) as a finding of `library check`."""
    name = rule or problem.code.partition(".")[2] or problem.code
    return Finding(problem.level, problem.message, problem.location, rule=name)


def read_sources(root: Path) -> Sources:
    """The library as the check sees it (only clauses that compile); what reading it found is
    in `problems` (as findings: `reading_findings`)."""
    return read_library(root, compile_templates=True)


def reading_findings(sources: Sources) -> list[Finding]:
    return [to_finding(problem) for problem in sources.problems]
