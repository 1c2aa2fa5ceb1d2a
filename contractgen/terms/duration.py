"""Term and notice (Laufzeit und Kündigung): one entry per kind of contract term.

`laufzeit.art` chooses the kind: a contract that ends with its project (`projekt`), runs until
terminated (`unbefristet`), ends on a fixed date (`befristet`) or has a minimum term that then
renews (`mindestlaufzeit`: by fixed periods, or into an indefinite contract). Without an answer
the kind follows from the agreement as it always has: a framework agreement runs until it is
terminated, an agreement about a single job ends with it.

Each entry declares its condition twice: as a predicate for the code and as an expression over
the answers for programs that read the questionnaire as JSON (a test keeps them in step). The
notice period comes in one shape (`kuendigungsfrist`: number, unit, effective date) whichever
answers state it; `kuendigung.frist` with `kuendigung.einheit` takes precedence over the older
`kuendigung.frist_wochen`, and answers that state both differently are refused (rules.py).

Whatever the kind, the clauses keep termination for cause (§§ 314, 626, 648a BGB), the client's
rights under § 627 and § 648 BGB untouched; only the ordinary termination is shaped here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

TERM_KEY = "laufzeit.art"
# kuendigung.einheit -> a key of begriffe.einheiten
NOTICE_UNITS: dict[str, str] = {"tage": "tag", "wochen": "woche", "monate": "monat"}
# effective dates of a notice (kuendigung.zum); "laufzeitende" only for a renewing minimum term
EFFECTIVE = ("jederzeit", "monatsende", "quartalsende", "laufzeitende")
DEFAULT_WEEKS = 4                                   # the questionnaire's default since 1.0


@dataclass(frozen=True)
class Notice:
    """A notice period: the answer that holds the number and the unit it counts in."""

    amount: str                 # answer key path, e.g. "kuendigung.frist_wochen"
    unit: str                   # a key of begriffe.einheiten: "tag", "woche", "monat"


@dataclass(frozen=True)
class TermType:
    key: str                                        # the answer value of laufzeit.art
    label: str                                      # how messages name it
    flags: frozenset[str]                           # for `when:` of clauses and questions
    applies: Callable[[Mapping[str, Any]], bool]    # is this the term of these answers?
    condition: str                                  # the same as a condition (questionnaire JSON)
    sources: tuple[str, ...]                        # the answers `applies` reads
    questions: tuple[str, ...]                      # answers this term type uses
    notice: Notice | None                           # the legacy notice answer (weeks)
    ordinary_notice: str                            # "immer", "dienst" (only a service
                                                    # contract can be terminated before its
                                                    # end) or "nie" (a fixed term)


def _section(values: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    section = values.get(key)
    return section if isinstance(section, Mapping) else {}


def _chosen(values: Mapping[str, Any]) -> Any:
    return _section(values, "laufzeit").get("art")


def _framework(values: Mapping[str, Any]) -> bool:
    return values.get("vertragsart") == "rahmenvertrag"


_SOURCES = ("laufzeit.art", "vertragsart")
_WEEKS = Notice("kuendigung.frist_wochen", "woche")
_NOTICE_QUESTIONS = ("kuendigung.frist_wochen", "kuendigung.frist", "kuendigung.einheit",
                     "kuendigung.zum")

TERM_TYPES: tuple[TermType, ...] = (
    TermType(key="unbefristet", label="unbefristet", flags=frozenset({"unbefristet"}),
             applies=lambda v: _chosen(v) == "unbefristet" or (not _chosen(v) and _framework(v)),
             condition='laufzeit.art == "unbefristet" or (not laufzeit.art and '
                       'vertragsart == "rahmenvertrag")',
             sources=_SOURCES, questions=_NOTICE_QUESTIONS, notice=_WEEKS,
             ordinary_notice="immer"),
    TermType(key="projekt", label="bis zum Abschluss des Projekts",
             flags=frozenset({"projektlaufzeit"}),
             applies=lambda v: _chosen(v) == "projekt" or (not _chosen(v) and not _framework(v)),
             condition='laufzeit.art == "projekt" or (not laufzeit.art and '
                       'vertragsart != "rahmenvertrag")',
             sources=_SOURCES, questions=_NOTICE_QUESTIONS, notice=_WEEKS,
             ordinary_notice="dienst"),
    TermType(key="befristet", label="befristet bis zu einem festen Datum",
             flags=frozenset({"befristet"}), applies=lambda v: _chosen(v) == "befristet",
             condition='laufzeit.art == "befristet"', sources=("laufzeit.art",),
             questions=("laufzeit.beginn", "laufzeit.ende"), notice=None, ordinary_notice="nie"),
    TermType(key="mindestlaufzeit", label="mit Mindestlaufzeit", flags=frozenset({"mindestlaufzeit"}),
             applies=lambda v: _chosen(v) == "mindestlaufzeit",
             condition='laufzeit.art == "mindestlaufzeit"', sources=("laufzeit.art",),
             questions=("laufzeit.beginn", "laufzeit.mindest_monate", "laufzeit.verlaengerung",
                        "laufzeit.verlaengerung_monate", *_NOTICE_QUESTIONS),
             notice=_WEEKS, ordinary_notice="immer"),
)
TERM_FLAGS: tuple[str, ...] = tuple(dict.fromkeys(f for t in TERM_TYPES for f in sorted(t.flags)))
TERM_SOURCES: tuple[str, ...] = tuple(dict.fromkeys(s for t in TERM_TYPES for s in t.sources))
# the answers deciding whether the contract can be terminated with notice at all
NOTICE_SOURCES: tuple[str, ...] = (*TERM_SOURCES, "vertragstyp")
# ... and the answers the notice itself is read from
NOTICE_VALUES: tuple[str, ...] = ("kuendigung.frist_wochen", "kuendigung.frist",
                                  "kuendigung.einheit", "kuendigung.zum",
                                  "laufzeit.verlaengerung")


def term_type(key: Any) -> TermType | None:
    return next((term for term in TERM_TYPES if term.key == key), None)


def term_type_of(values: Mapping[str, Any]) -> TermType | None:
    """The term of a set of answers (always one: without laufzeit.art it is inferred)."""
    return next((term for term in TERM_TYPES if term.applies(values)), None)


def term_flags(term: TermType | None) -> dict[str, bool]:
    return {flag: term is not None and flag in term.flags for flag in TERM_FLAGS}


def has_notice(values: Mapping[str, Any]) -> bool:
    """Can the contract be terminated with notice (the flag `laufend`)?"""
    term = term_type_of(values)
    if term is None or term.ordinary_notice == "nie":
        return False
    return term.ordinary_notice == "immer" or values.get("vertragstyp") == "dienstvertrag"


# `laufend` as a condition over the answers (for `questions --json`)
NOTICE_CONDITION = " or ".join(
    f"({t.condition})" if t.ordinary_notice == "immer"
    else f"(({t.condition}) and vertragstyp == \"dienstvertrag\")"
    for t in TERM_TYPES if t.ordinary_notice != "nie")


def renews_by_periods(values: Mapping[str, Any]) -> bool:
    """A minimum term that renews by fixed periods: notice always to the end of a period."""
    term = term_type_of(values)
    return (term is not None and term.key == "mindestlaufzeit"
            and _section(values, "laufzeit").get("verlaengerung") == "monate")


def notice_period(values: Mapping[str, Any]) -> dict[str, Any] | None:
    """{"anzahl": 4, "einheit": "woche", "zum": "jederzeit"} for the template variable
    `kuendigungsfrist`; None when the contract cannot be terminated with notice.

    Precedence: kuendigung.frist (with kuendigung.einheit, default weeks) over
    kuendigung.frist_wochen over four weeks. A minimum term renewing by fixed periods is always
    terminated to the end of the current period."""
    if not has_notice(values):
        return None
    notice = _section(values, "kuendigung")
    if notice.get("frist") is not None:
        amount, unit = notice["frist"], NOTICE_UNITS.get(notice.get("einheit") or "wochen", "woche")
    elif notice.get("frist_wochen") is not None:
        amount, unit = notice["frist_wochen"], "woche"
    else:
        amount, unit = DEFAULT_WEEKS, "woche"
    effective = "laufzeitende" if renews_by_periods(values) else (notice.get("zum") or "jederzeit")
    return {"anzahl": amount, "einheit": unit, "zum": effective}


def notice_in_days(notice: Mapping[str, Any]) -> int:
    """The longest a notice can take in days (a month counted as 31), for comparisons."""
    per = {"tag": 1, "woche": 7, "monat": 31}
    return int(notice["anzahl"]) * per[notice["einheit"]]
