"""Lint findings (a Problem with a rule id) and the report of one `library check` run."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..errors import Level, Location, Problem


@dataclass(frozen=True, init=False)
class Finding(Problem):
    """One problem of the library: rule id (its code is "lint.<rule>"), level, German message,
    file and line, clause id."""

    rule: str

    def __init__(self, level: Level | str, message: str, where: Location | str = "",
                 key: str = "", *, rule: str) -> None:
        super().__init__(level, message, where, key, code=f"lint.{rule}")
        object.__setattr__(self, "rule", rule)

    def __str__(self) -> str:
        prefix = "Fehler" if self.level == "error" else "Warnung"
        parts = [p for p in (self.where, self.key) if p]
        return f"{prefix} [{self.rule}]: " + ": ".join([*parts, self.message])

    def as_dict(self) -> dict[str, str | int | None]:
        return {"rule": self.rule, "level": str(self.level), "file": self.location.file,
                "line": self.location.line, "clause": self.key or None, "message": self.message}


def split_where(where: str) -> tuple[str, int | None]:
    """`file:line` as (file, line); kept for callers that hold such a string."""
    location = Location.of(where)
    return location.file, location.line


@dataclass
class LintReport:
    library: str
    findings: list[Finding] = field(default_factory=list)
    clauses: int = 0
    combinations: int = 0          # clause renders in the exhaustive render
    documents: int = 0             # whole documents built to check cross-references
    orders: int = 0                # individual-order documents built (einzelauftrag/)
    strategy: str = ""             # "vollständig" or "paarweise" where the space was large
    seconds: float = 0.0

    def errors(self, *, strict: bool = False) -> list[Finding]:
        return [f for f in self.findings if f.level == "error" or strict]

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != "error"]

    def ok(self, *, strict: bool = False) -> bool:
        return not self.errors(strict=strict)

    def sorted(self) -> list[Finding]:
        def key(f: Finding) -> tuple[int, str, int, str]:
            return (0 if f.level == "error" else 1, f.location.file, f.location.line or 0, f.rule)

        return sorted(self.findings, key=key)

    def to_json(self, *, strict: bool = False) -> str:
        data = {
            "library": self.library,
            "ok": self.ok(strict=strict),
            "strict": strict,
            "clauses": self.clauses,
            "combinations": self.combinations,
            "documents": self.documents,
            "strategy": self.strategy,
            "seconds": round(self.seconds, 3),
            "errors": len([f for f in self.findings if f.level == "error"]),
            "warnings": len(self.warnings()),
            "findings": [f.as_dict() for f in self.sorted()],
        }
        return json.dumps(data, ensure_ascii=False, indent=2)
