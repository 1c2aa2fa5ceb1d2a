"""Profession profiles (Berufsprofile): data in the library that tailors the questionnaire.

A questionnaire question marked `profiles: berufe` chooses one profile from the library folder of
that name (one YAML file per profession). A profile gives

- `vorgaben`: defaults for later questions (key path -> value), used wherever a question's own
  default would be (answers files, `contractgen new`, `contractgen web`, the template of
  `contractgen questions`); an optional section given as `ja` is only proposed in the interview
  and the web form, it is never added to an answers file that leaves it out;
- `fragen`: sections or fields the interview does not ask by default (`ask: false`) but asks
  for this profession;
- `worte`: wording the clauses read as `berufsprofil.<name>` (a text, or a list of ids that
  choose sentences in a clause, such as the cooperation duties).

Reading a profile checks every default with the answers validation of its question, so a
profile can never propose a value an answers file could not hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from ..yamlload import YAML_LOADER, yaml_problem
from .schema import Question, Questionnaire

PROFILE_KEYS = frozenset({"id", "label", "hilfe", "reihenfolge", "vorgaben", "fragen", "worte"})
YES_NO = {"ja": True, "nein": False, True: True, False: False}


@dataclass(frozen=True)
class Profession:
    id: str
    label: str
    path: str
    help: str = ""
    order: int = 50
    defaults: Mapping[str, Any] = field(default_factory=dict)      # key path -> typed value
    propose: Mapping[str, bool] = field(default_factory=dict)      # optional section -> in?
    asks: tuple[str, ...] = ()                                     # key paths asked anyway
    words: Mapping[str, Any] = field(default_factory=dict)         # berufsprofil.<name>

    def template_value(self) -> dict[str, Any]:
        """What templates see as `berufsprofil`: the words plus id and label."""
        return {**self.words, "id": self.id, "label": self.label}


def profile_question(questionnaire: Questionnaire) -> Question | None:
    """The question that chooses the profile (`profiles:` set), if the questionnaire has one."""
    return next((q for q in questionnaire.questions if q.profiles), None)


def read_professions(root: Path, questionnaire: Questionnaire,
                     out: list[Problem]) -> Questionnaire:
    """The questionnaire with its profiles attached and the profile question's choices filled
    in from them (label, in `reihenfolge`); every problem goes to `out`."""
    from dataclasses import replace

    question = profile_question(questionnaire)
    if question is None:
        return questionnaire
    folder = root / str(question.profiles)
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not paths:
        out.append(Problem("error", f"Die Frage {question.path} wählt ein Berufsprofil aus dem "
                           f"Ordner {folder.name}/, aber dort liegt keine Profildatei (*.yaml).",
                           str(folder), question.path, code="library.profession"))
        return questionnaire
    professions = [p for p in (_read(path, questionnaire, question, out) for path in paths) if p]
    professions.sort(key=lambda p: (p.order, p.id))
    names = set().union(*(set(p.words) for p in professions)) if professions else set()
    for profession in professions:
        missing = sorted(names - set(profession.words))
        if missing:
            out.append(Problem("error", f"worte: es fehlen {', '.join(missing)} (jedes "
                               "Berufsprofil braucht dieselben worte, die Klauseln lesen sie).",
                               Location(profession.path), "worte", code="library.profession"))
    choices = tuple((p.id, p.label) for p in professions)
    if question.default is not None and question.default not in dict(choices):
        out.append(Problem("error", f"Vorgabe {question.default!r} der Frage {question.path} ist "
                           f"kein Berufsprofil (vorhanden: {', '.join(p.id for p in professions)}).",
                           questionnaire.source, question.path, code="library.profession"))
    filled = replace(question, choices=choices)
    questions = tuple(filled if q is question else q for q in questionnaire.questions)
    return replace(questionnaire, questions=questions, professions=tuple(professions))


def _read(path: Path, questionnaire: Questionnaire, chooser: Question,
          out: list[Problem]) -> Profession | None:
    from .answers import check_value
    from .answers_yaml import scalar_text

    def problem(message: str, key: str = "") -> None:
        out.append(Problem("error", message, Location(str(path)), key, code="library.profession"))

    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=YAML_LOADER)
    except UnicodeDecodeError:
        problem("Das Berufsprofil ist nicht in UTF-8 gespeichert.")
        return None
    except OSError as exc:
        from ..output import describe_os_error

        problem(f"Berufsprofil nicht lesbar: {describe_os_error(exc)}.")
        return None
    except yaml.YAMLError as exc:
        number, german = yaml_problem(exc, text)
        out.append(Problem("error", f"YAML-Fehler: {german}", Location(str(path), number or 1),
                           code="library.profession"))
        return None
    if not isinstance(data, dict):
        problem("Ein Berufsprofil besteht aus Schlüsseln (id, label, vorgaben, fragen, worte).")
        return None
    for key in data:
        if key not in PROFILE_KEYS:
            problem(f"unbekannter Schlüssel {key!r} (erlaubt: {', '.join(sorted(PROFILE_KEYS))}).",
                    str(key))
    profession_id = str(data.get("id", ""))
    if profession_id != path.stem:
        problem(f"id {profession_id!r} passt nicht zum Dateinamen {path.name}.", "id")
    if not data.get("label"):
        problem("label fehlt (so heißt der Beruf in der Auswahl).", "label")
    position = {q.path: index for index, q in enumerate(questionnaire.walk())}
    by_path = {q.path: q for q in questionnaire.walk()}
    defaults: dict[str, Any] = {}
    propose: dict[str, bool] = {}
    for key, value in (data.get("vorgaben") or {}).items():
        key = str(key)
        target = by_path.get(key)
        if target is None:
            problem(f"vorgaben: Frage {key!r} gibt es im Fragebogen nicht.", f"vorgaben.{key}")
            continue
        if position[key] <= position[chooser.path]:
            problem(f"vorgaben: {key} wird vor {chooser.path} gefragt; ein Berufsprofil kann nur "
                    "spätere Fragen vorbelegen.", f"vorgaben.{key}")
            continue
        if target.is_group:
            if not target.optional or value not in YES_NO:
                problem(f"vorgaben: {key} ist ein Abschnitt; vorschlagen lässt sich nur ein "
                        "freiwilliger Abschnitt, mit ja oder nein.", f"vorgaben.{key}")
                continue
            propose[key] = YES_NO[value]
            continue
        if target.is_list:
            problem(f"vorgaben: {key} ist eine Liste; Listen lassen sich nicht vorbelegen.",
                    f"vorgaben.{key}")
            continue
        typed, message = check_value(target, scalar_text(value), origin=str(path))
        if message is not None or typed is None:
            problem(f"vorgaben: {key}: {message or 'leer'}", f"vorgaben.{key}")
            continue
        defaults[key] = typed
    asks = tuple(str(a) for a in data.get("fragen") or ())
    for key in asks:
        if key not in by_path:
            problem(f"fragen: {key!r} gibt es im Fragebogen nicht.", "fragen")
    words = data.get("worte") or {}
    if not isinstance(words, dict):
        problem("worte besteht aus Schlüsseln mit Texten oder Listen.", "worte")
        words = {}
    for name, value in words.items():
        if not (isinstance(value, str) or (isinstance(value, list)
                                            and all(isinstance(v, str) for v in value))):
            problem(f"worte.{name} muss ein Text oder eine Liste von Texten sein.", f"worte.{name}")
    order = data.get("reihenfolge", 50)
    return Profession(id=profession_id, label=str(data.get("label", profession_id)),
                      path=str(path), help=str(data.get("hilfe", "") or ""),
                      order=order if isinstance(order, int) else 50, defaults=defaults,
                      propose=propose, asks=asks,
                      words={str(k): (list(v) if isinstance(v, list) else v)
                             for k, v in words.items()})


def word_names(questionnaire: Questionnaire) -> set[str]:
    """Every name under `worte` in any profile (what `berufsprofil.<name>` may be)."""
    return {name for p in questionnaire.professions for name in p.words}
