"""The one place that layers answers (copier's AnswersMap.combined), highest first:

    --set  >  the file (an answers file, a batch row, or the earlier answers of `new --from`)
           >  a base (a batch's common answers, or the framework's values an order starts from)
           >  the freelancer's profile  >  the questionnaire's defaults (applied by validation)

`generate`, `check`, the interview, `batch` and individual orders all call `layer_answers`; a
value keeps the file and line it came from, whichever layer that is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AnswersError
from .answers import Answers, validate
from .profile import read_profile_raw
from .rawyaml import Raw, apply_override, merge_raw, read_yaml_file
from .schema import Questionnaire


@dataclass(frozen=True)
class Layered:
    raw: Raw                       # the combined raw tree, to validate
    fixed: frozenset[str]          # key paths given by --set (the interview does not ask them)


def layer_answers(*, source: str, profile: Path | None = None, base: Raw | Path | None = None,
                  file: Raw | Path | None = None, file_what: str = "Antwortdatei",
                  base_what: str = "Basis-Antwortdatei", overrides: Iterable[str] = ()) -> Layered:
    """Read and combine the layers; a problem reading one is an AnswersError naming its file,
    every bad --set is reported at once."""
    top = file if isinstance(file, Raw) else (
        read_yaml_file(file, file_what) if file is not None else Raw("map", None, origin=source))
    base_raw = base if isinstance(base, Raw) or base is None else read_yaml_file(base, base_what)
    lower: Raw | None = read_profile_raw(profile) if profile is not None else None
    if base_raw is not None:
        lower = base_raw if lower is None else merge_raw(lower, base_raw)
    raw = merge_raw(lower, top) if lower is not None else top
    overrides = tuple(overrides)
    if not overrides:
        return Layered(raw, frozenset())
    raw = copy_raw(raw)  # --set changes the tree in place; the layers below stay as they were
    problems, fixed = [], set()
    for assignment in overrides:
        problem = apply_override(raw, assignment)
        if problem is not None:
            problems.append(problem)
        else:
            fixed.add(assignment.split("=", 1)[0].strip())
    if problems:
        raise AnswersError("Ungültige --set-Angabe.", tuple(problems))
    return Layered(raw, frozenset(fixed))


def copy_raw(raw: Raw) -> Raw:
    return Raw(raw.kind, raw.line, tag=raw.tag, text=raw.text,
               items={key: copy_raw(value) for key, value in raw.items.items()},
               seq=[copy_raw(item) for item in raw.seq], origin=raw.origin)


def load_answers_file(path: Path, questionnaire: Questionnaire,
                      condition: Callable[[str, Mapping[str, Any]], bool],
                      overrides: Iterable[str] = (), profile: Path | None = None,
                      what: str = "Antwortdatei") -> Answers:
    """An answers file over the profile (when given), under --set, validated."""
    layered = layer_answers(source=str(path), profile=profile, file=path, file_what=what,
                            overrides=overrides)
    return validate(layered.raw, questionnaire, str(path), condition)
