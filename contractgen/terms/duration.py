"""Term and notice (Laufzeit und Kündigung): one entry per kind of contract term.

Today there is one kind: a contract that runs until it is terminated (a framework agreement or
a service contract), with a notice period in weeks. A contract for a single result (a
Werkvertrag by e-mail) has no term: it ends with the result. The next kinds (a fixed term, a
minimum term with renewal, notice in days or months) are further entries; clauses and
questions select on their flags, and `kuendigungsfrist` gives every clause the notice period
in one shape, whatever the unit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Notice:
    """A notice period: the answer that holds the number and the unit it counts in."""

    amount: str                 # answer key path, e.g. "kuendigung.frist_wochen"
    unit: str                   # a key of begriffe.einheiten: "tag", "woche", "monat"


@dataclass(frozen=True)
class TermType:
    key: str
    flags: frozenset[str]                           # for `when:` of clauses and questions
    applies: Callable[[Mapping[str, Any]], bool]    # is this the term of these answers?
    condition: str                                  # the same as a condition (questionnaire JSON)
    sources: tuple[str, ...]                        # the answers `applies` reads
    questions: tuple[str, ...]                      # answers this term type uses
    notice: Notice | None


def _runs_until_terminated(values: Mapping[str, Any]) -> bool:
    return values.get("vertragsart") == "rahmenvertrag" or values.get("vertragstyp") == "dienstvertrag"


TERM_TYPES: tuple[TermType, ...] = (
    TermType(key="unbefristet", flags=frozenset({"laufend"}), applies=_runs_until_terminated,
             condition='vertragsart == "rahmenvertrag" or vertragstyp == "dienstvertrag"',
             sources=("vertragsart", "vertragstyp"), questions=("kuendigung.frist_wochen",),
             notice=Notice("kuendigung.frist_wochen", "woche")),
)
TERM_FLAGS: tuple[str, ...] = tuple(dict.fromkeys(f for t in TERM_TYPES for f in sorted(t.flags)))
TERM_SOURCES: tuple[str, ...] = tuple(dict.fromkeys(s for t in TERM_TYPES for s in t.sources))


def term_type_of(values: Mapping[str, Any]) -> TermType | None:
    """The term of a set of answers; None for a contract that ends with its result."""
    return next((term for term in TERM_TYPES if term.applies(values)), None)


def term_flags(term: TermType | None) -> dict[str, bool]:
    return {flag: term is not None and flag in term.flags for flag in TERM_FLAGS}


def notice_period(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """{"anzahl": 4, "einheit": "woche"} for the template variable `kuendigungsfrist`."""
    term = term_type_of(values)
    if term is None or term.notice is None:
        return None
    node: Any = values
    for part in term.notice.amount.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return None if node is None else {"anzahl": node, "einheit": term.notice.unit}
