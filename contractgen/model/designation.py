"""How the parties are named in the text: "der Auftragnehmer", "die Auftragnehmerin" or neutral
"die auftragnehmende Partei", with every grammatical form a clause needs.

The forms are data of the library (library.yaml: `bezeichnungen`, read by library/designations.py);
the answer `auftragnehmer.bezeichnung` / `auftraggeber.bezeichnung` picks one designation per
party. Templates see it as `AN` and `AG` (PARTIES): `{{ AN.der }}`, `{{ AG.dem }}`, `{{ AN.er }}`,
`{{ AN.seine }}`; a form written with a capital letter (`{{ AN.Der }}`, `{{ AN.Er }}`) starts a
sentence; `{{ AN.wahl("Kleinunternehmer", "Kleinunternehmerin") }}` picks a word for the person.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PartyRole:
    """A party of every contract: its name in templates and the answers section it belongs to."""

    name: str          # "AN": {{ AN.der }}
    section: str       # "auftragnehmer": the answer auftragnehmer.bezeichnung, library.yaml key

    @property
    def answer_key(self) -> str:
        return f"{self.section}.{DESIGNATION_FIELD}"


DESIGNATION_FIELD = "bezeichnung"
PARTIES: tuple[PartyRole, ...] = (PartyRole("AN", "auftragnehmer"), PartyRole("AG", "auftraggeber"))
# which of the two words of wahl(männlich, weiblich) a designation uses (`personen`)
PERSON_FORMS = ("maennlich", "weiblich")


@dataclass(frozen=True)
class Designation:
    """One way to name a party, with all its forms (its own and its genus' pronouns)."""

    key: str                                   # the answer's value, e.g. "auftragnehmerin"
    forms: tuple[tuple[str, str], ...]         # form name -> text: ("der", "die Auftragnehmerin")
    persons: str = "maennlich"                 # PERSON_FORMS: the word wahl() picks

    def form(self, name: str) -> str | None:
        return dict(self.forms).get(name)

    @property
    def role(self) -> str:
        """The defined term ("nachfolgend „Auftragnehmerin“ genannt", signature lines)."""
        return self.form("rolle") or ""


@dataclass(frozen=True)
class PartyDesignations:
    party: str                                 # PartyRole.section
    options: tuple[Designation, ...]           # the first is the default

    def get(self, key: Any) -> Designation:
        """The designation answered, else the first (the library's default)."""
        return next((d for d in self.options if d.key == key), self.options[0])

    def form_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.options[0].forms) if self.options else ()


@dataclass(frozen=True)
class Designations:
    parties: tuple[PartyDesignations, ...]

    def of(self, party: str) -> PartyDesignations | None:
        return next((p for p in self.parties if p.party == party), None)


class Bezeichnung:
    """What a template sees as `AN` / `AG`: `AN.der` is the form "der" of the designation chosen;
    `AN.Der` the same with a capital first letter; `AN.wahl(m, w)` the word for the person.
    An unknown form is an AttributeError (Jinja's StrictUndefined then stops the render; the
    library check names the form and its line before that can happen)."""

    __slots__ = ("_designation",)

    def __init__(self, designation: Designation) -> None:
        object.__setattr__(self, "_designation", designation)

    def __getattr__(self, name: str) -> str:
        designation: Designation = object.__getattribute__(self, "_designation")
        text = designation.form(name)
        if text is not None:
            return text
        lower = name[:1].lower() + name[1:]
        if name[:1].isupper() and (text := designation.form(lower)) is not None:
            return text[:1].upper() + text[1:]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Bezeichnungen sind unveränderlich")

    def wahl(self, maennlich: str, weiblich: str) -> str:
        """The word for the person: `AN.wahl("Kleinunternehmer", "Kleinunternehmerin")`."""
        designation: Designation = object.__getattribute__(self, "_designation")
        return weiblich if designation.persons == "weiblich" else maennlich

    def __str__(self) -> str:
        return str(object.__getattribute__(self, "_designation").role)

    def __repr__(self) -> str:
        return f"Bezeichnung({object.__getattribute__(self, '_designation').key!r})"


def designation_context(designations: Designations | None,
                        values: Any) -> dict[str, Bezeichnung]:
    """`AN` and `AG` for a template context, from the answers (a missing or unknown answer is
    the library's default designation)."""
    if designations is None:
        return {}
    out: dict[str, Bezeichnung] = {}
    for role in PARTIES:
        party = designations.of(role.section)
        if party is None or not party.options:
            continue
        section: Any = values.get(role.section) if hasattr(values, "get") else None
        chosen = section.get(DESIGNATION_FIELD) if isinstance(section, Mapping) else None
        out[role.name] = Bezeichnung(party.get(chosen))
    return out
