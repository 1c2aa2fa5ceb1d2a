"""Reading `bezeichnungen` from library.yaml: how the parties are named, form by form.

    bezeichnungen:
      pronomen:                      # per genus: the pronoun forms
        maskulin: {er: er, ihn: ihn, ihm: ihm, sein: sein, seine: seine, ...}
        feminin:  {er: sie, ihn: sie, ihm: ihr, sein: ihr, seine: ihre, ...}
      auftragnehmer:                 # {{ AN.… }}, answer auftragnehmer.bezeichnung
        auftragnehmer:               # one designation; the first is the default
          genus: maskulin
          personen: maennlich
          rolle: Auftragnehmer
          der: der Auftragnehmer
          ...

Every designation of a party must have the same forms (its own plus its genus' pronouns), so a
template that works with one works with all. A library without `bezeichnungen` has no `AN`/`AG`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import Problem
from ..model.designation import (
    PARTIES,
    PERSON_FORMS,
    Designation,
    Designations,
    PartyDesignations,
)

PRONOUNS = "pronomen"
_META = ("genus", "personen")         # keys of a designation that are not forms
_FORM_NAME = re.compile(r"^[a-zäöüß][a-zäöüß_]*$")
RESERVED = ("wahl",)                  # method names of the template object (model.designation)


def read_designations(value: Any, where: str, problems: list[Problem]) -> Designations | None:
    """The library's designations (None when it has none); every problem goes to `problems`
    with the code library.library-yaml."""
    if value is None:
        return None

    def problem(message: str) -> None:
        problems.append(Problem("error", f"bezeichnungen: {message}", where,
                                code="library.library-yaml"))

    if not isinstance(value, Mapping):
        problem("erwartet die Abschnitte pronomen, "
                + ", ".join(role.section for role in PARTIES) + ".")
        return None
    known = {PRONOUNS, *(role.section for role in PARTIES)}
    for key in value:
        if key not in known:
            problem(f"{key!r} ist unbekannt (erlaubt: {', '.join(sorted(known))}).")
    pronouns = _pronouns(value.get(PRONOUNS), problem)
    parties = []
    for role in PARTIES:
        entries = value.get(role.section)
        if not isinstance(entries, Mapping) or not entries:
            problem(f"{role.section} fehlt oder nennt keine Bezeichnung.")
            continue
        options = []
        for key, entry in entries.items():
            designation = _designation(f"{role.section}.{key}", str(key), entry, pronouns, problem)
            if designation is not None:
                options.append(designation)
        if options:
            _same_forms(role.section, options, problem)
            parties.append(PartyDesignations(role.section, tuple(options)))
    return Designations(tuple(parties)) if len(parties) == len(PARTIES) else None


def _pronouns(value: Any, problem: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping) or not value:
        problem("pronomen fehlt (je Genus die Formen, z. B. maskulin: {er: er, ...}).")
        return {}
    out: dict[str, dict[str, str]] = {}
    for genus, forms in value.items():
        if not isinstance(forms, Mapping):
            problem(f"pronomen.{genus}: erwartet Form: Wort, z. B. er: sie.")
            continue
        out[str(genus)] = {str(k): str(v) for k, v in forms.items()}
        for name in out[str(genus)]:
            _check_name(f"pronomen.{genus}", name, problem)
    names = [set(forms) for forms in out.values()]
    if names and any(n != names[0] for n in names):
        problem("pronomen: jedes Genus braucht dieselben Formen ("
                + "; ".join(f"{g}: {', '.join(sorted(f))}" for g, f in out.items()) + ").")
    return out


def _designation(path: str, key: str, entry: Any, pronouns: dict[str, dict[str, str]],
                 problem: Any) -> Designation | None:
    if not isinstance(entry, Mapping):
        problem(f"{path}: erwartet Form: Text, z. B. der: die Auftragnehmerin.")
        return None
    genus = entry.get("genus")
    if genus not in pronouns:
        problem(f"{path}: genus {genus!r} hat keine Pronomen unter pronomen "
                f"(bekannt: {', '.join(pronouns) or 'keine'}).")
    persons = entry.get("personen", PERSON_FORMS[0])
    if persons not in PERSON_FORMS:
        problem(f"{path}: personen {persons!r} ist nicht erlaubt (erlaubt: "
                f"{', '.join(PERSON_FORMS)}).")
        persons = PERSON_FORMS[0]
    forms: dict[str, str] = {}
    for name, text in entry.items():
        if name in _META:
            continue
        _check_name(path, str(name), problem)
        if not isinstance(text, str) or not text.strip():
            problem(f"{path}.{name}: erwartet einen Text.")
            continue
        forms[str(name)] = text
    if "rolle" not in forms:
        problem(f"{path}: rolle fehlt (der Begriff, der im Vertrag definiert wird).")
    for name, text in pronouns.get(str(genus), {}).items():
        if name in forms:
            problem(f"{path}.{name}: kommt schon aus pronomen.{genus}.")
        forms.setdefault(name, text)
    return Designation(key=key, forms=tuple(forms.items()), persons=str(persons))


def _check_name(path: str, name: str, problem: Any) -> None:
    if not _FORM_NAME.match(name) or name in RESERVED:
        problem(f"{path}: {name!r} taugt nicht als Name einer Form (Kleinbuchstaben, nicht "
                f"{', '.join(RESERVED)}).")


def _same_forms(party: str, options: list[Designation], problem: Any) -> None:
    first = {name for name, _ in options[0].forms}
    for designation in options[1:]:
        names = {name for name, _ in designation.forms}
        if names != first:
            missing, extra = sorted(first - names), sorted(names - first)
            problem(f"{party}.{designation.key}: hat nicht dieselben Formen wie "
                    f"{party}.{options[0].key}"
                    + (f" (es fehlen {', '.join(missing)})" if missing else "")
                    + (f" (zusätzlich {', '.join(extra)})" if extra else "") + ".")
