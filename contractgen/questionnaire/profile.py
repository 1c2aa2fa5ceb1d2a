"""The freelancer's profile: their own details, asked once, stored in the user's config directory.

The profile is the layer below the answers file (--set > answers file > profile > question
defaults). It holds only the `auftragnehmer` section, so it can never silently change the
terms of a contract, only fill in who the freelancer is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..errors import AnswersError, OutputError, Problem
from .rawyaml import Raw, read_yaml_file
from .schema import Questionnaire

ENV_VARIABLE = "CONTRACTGEN_CONFIG_DIR"
FILE_NAME = "profil.yaml"
SECTION = "auftragnehmer"
WHAT = "Profildatei"


def config_dir() -> Path:
    """$CONTRACTGEN_CONFIG_DIR, else the platform's user config directory (platformdirs)."""
    configured = os.environ.get(ENV_VARIABLE)
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_config_dir("contractgen", appauthor=False))


def profile_path() -> Path:
    return config_dir() / FILE_NAME


def existing_profile() -> Path | None:
    """The user's profile file if there is one (a missing profile is normal, never an error)."""
    path = profile_path()
    return path if path.is_file() else None


def read_profile_raw(path: Path) -> Raw:
    """The profile as a raw tree (lines point into the profile file); only `auftragnehmer`."""
    raw = read_yaml_file(path, what=WHAT)
    problems = [
        Problem("error", f"Im Profil ist nur der Abschnitt {SECTION!r} erlaubt; Vertragsangaben "
                "gehören in die Antwortdatei.", f"{path}:{value.line}", key, code="profile.section")
        for key, value in raw.items.items() if key != SECTION
    ]
    if problems:
        raise AnswersError(f"Die {WHAT} {path} enthält Angaben, die nicht ins Profil gehören.",
                           tuple(problems))
    return raw


def load_profile(path: Path, questionnaire: Questionnaire,
                 condition: Callable[[str, Mapping[str, Any]], bool],
                 ) -> tuple[dict[str, Any], tuple[Problem, ...]]:
    """The profile's `auftragnehmer` values (typed; None where missing) and its problems."""
    from .answers import validate_partial

    raw = read_profile_raw(path)
    values, problems, _ = validate_partial(raw, questionnaire, str(path), condition)
    own = tuple(p for p in problems if p.key == SECTION or p.key.startswith(SECTION + "."))
    section = values.get(SECTION)
    return (dict(section) if isinstance(section, Mapping) else {}), own


def save_profile(section: Mapping[str, Any], questionnaire: Questionnaire, path: Path) -> None:
    """Write the profile atomically (replacing the old one: the user asked to edit it)."""
    from ..output import write_atomic
    from .answers_yaml import dump_answers

    text = dump_answers({SECTION: dict(section)}, questionnaire, only=(SECTION,), header=(
        "Profil für contractgen: Ihre eigenen Angaben als Auftragnehmer.",
        "Wird in jeder Antwortdatei verwendet, die den Abschnitt auftragnehmer",
        "(oder einzelne Angaben daraus) weglässt. Bearbeiten: contractgen profil bearbeiten",
    ))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Das Verzeichnis {path.parent} kann nicht angelegt werden: "
                          f"{exc.strerror}.") from None
    write_atomic(path, text.encode("utf-8"), force=True)
