"""The interview workflows as library functions: `new`, `new --auftrag`, editing the profile and
asking the missing inputs of a follow-up e-mail. Each takes a PromptIO (questionnaire/prompting.py),
so tests and other front ends drive them without a terminal; the CLI only parses and prints.

Ctrl-C or the end of input becomes `Interrupted` (exit 130) with a message that says what was
kept; a wrong option value is an `OptionError` (exit 2). The answers file is written only after
the answers are confirmed, and every file is written atomically. In `new`, Ctrl-C offers to keep
the answers given so far in a Zwischenstand beside the answers file (at the end of input they
are kept without asking, since nobody can be asked); `new --from ZWISCHENSTAND` goes on where it
stopped. A Zwischenstand never replaces a file: it takes the next free name.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import AnswersError, Interrupted, OptionError, OutputError
from .questionnaire.prompting import Interview, PromptIO


def new_answers(output: Path, *, io: PromptIO, vertragsart: str | None = None,
                previous: Path | None = None, force: bool = False, sets: tuple[str, ...] = (),
                library_path: Path | None = None, offer_contract: bool = True) -> Path:
    """`contractgen new`: ask, confirm, write the answers file; then offer the profile (when
    there is none) and the contract. `previous`: ask only what changed or is missing."""
    from .clock import clock_today
    from .library import evaluate_condition
    from .output import write_atomic
    from .pipeline import load_library
    from .questionnaire.answers_yaml import dump_answers
    from .questionnaire.profile import existing_profile, profile_path, save_profile
    from .questionnaire.prompting import FROM_PROFILE, starting_point
    from .questionnaire.risks import assess

    if output.exists() and not force:
        raise OutputError(f"{output} gibt es schon. Mit --force wird die Datei ersetzt, "
                          f"mit --from {output} als Ausgangspunkt verwendet.")
    library = load_library(library_path)
    questionnaire = library.questionnaire
    overrides = ([f"vertragsart={vertragsart}"] if vertragsart is not None else []) + list(sets)
    profile = existing_profile()
    start, fixed = starting_point(source="Eingabe", profile=profile, previous=previous,
                                  overrides=overrides)
    today = clock_today()
    interview = Interview(questionnaire, evaluate_condition, io, start=start, fixed=fixed,
                          risks=lambda answers: assess(answers, today=today), today=today)
    resume = previous is not None and is_recovery_file(previous)
    kinds = questionnaire.question("vertragsart")
    if vertragsart is not None and interview.values.get("vertragsart") is None:
        raise OptionError("--vertragsart", "erlaubt sind " + ", ".join(
            kinds.choice_keys if kinds is not None else ()))
    saved = False
    try:
        skip: list[str] = []
        section = questionnaire.question("auftragnehmer")
        if profile is not None and previous is None and section is not None:
            mine = interview.values.get("auftragnehmer")
            if isinstance(mine, dict) and not interview.needs(section, mine):
                skip.append("auftragnehmer")
                who = ", ".join(str(v) for v in (mine.get("name"), mine.get("firma")) if v)
                interview.say(FROM_PROFILE.format(where=profile, who=who))
        answers = interview.run(review=previous is not None and not resume, resume=resume,
                                skip_sections=skip)
        text = dump_answers(answers.values, questionnaire, header=(
            f"Antworten für contractgen, erstellt mit „contractgen new“ am {today:%d.%m.%Y}.",
            f"Vertrag erzeugen: contractgen generate {output}",
            f"Prüfen:           contractgen check {output}",
        ))
        write_atomic(output, text.encode("utf-8"), force=force)
        saved = True
        interview.say(f"Gespeichert: {output}")
        if resume and previous is not None:
            interview.say(f"Der Zwischenstand {previous} wird nicht mehr gebraucht und kann "
                          "gelöscht werden.")
        if profile is None and isinstance(answers.values.get("auftragnehmer"), dict):
            if interview.yes_no(f"Ihre eigenen Angaben als Profil speichern ({profile_path()}), "
                                "damit sie nicht jedes Mal gefragt werden?", default=True):
                save_profile(answers.values["auftragnehmer"], questionnaire, profile_path())
                interview.say(f"Profil gespeichert: {profile_path()}")
        if offer_contract:
            _offer_contract(interview, output, answers.values.get("vertragsart"), library_path)
    except (KeyboardInterrupt, EOFError) as stop:
        if saved:
            raise Interrupted(f"\nAbgebrochen. Die Antworten sind vollständig gespeichert in "
                              f"{output}.") from None
        kept = _keep_answers(interview, output, today, asked=isinstance(stop, KeyboardInterrupt))
        raise Interrupted(
            f"\nAbgebrochen. Die bisherigen Antworten stehen in {kept}. Weiter mit:\n"
            f"  contractgen new --from {kept} -o {output}" if kept is not None
            else "\nAbgebrochen. Es wurde nichts gespeichert (auch keine halbe Datei). "
            f"Neu beginnen mit: contractgen new -o {output}") from None
    return output


RECOVERY_MARK = "# Zwischenstand von „contractgen new“"


def is_recovery_file(path: Path) -> bool:
    """A Zwischenstand written by `new` (its first line says so): `new --from` goes on there."""
    try:
        with path.open("rb") as stream:
            first = stream.read(len(RECOVERY_MARK.encode("utf-8")) + 3)
    except OSError:
        return False
    return first.decode("utf-8", "replace").lstrip("\ufeff").startswith(RECOVERY_MARK)


def recovery_path(output: Path) -> Path:
    """Beside the answers file: antworten.zwischenstand.yaml, or -2, -3 … when that exists."""
    candidate = output.with_name(f"{output.stem}.zwischenstand.yaml")
    number = 2
    while candidate.exists() or candidate.is_symlink():
        candidate = output.with_name(f"{output.stem}.zwischenstand-{number}.yaml")
        number += 1
    return candidate


def _keep_answers(interview: Interview, output: Path, today: Any, *, asked: bool) -> Path | None:
    """After Ctrl-C (`asked`): offer to keep what was answered; at the end of input keep it
    without asking. The path written, or None (nothing answered, or the user said no)."""
    from .output import write_atomic
    from .questionnaire.answers_yaml import dump_answers

    if not interview.answered:
        return None
    target = recovery_path(output)
    if asked:
        try:
            interview.say("")
            if not interview.yes_no(f"Abgebrochen. Die bisherigen Antworten in {target} "
                                    "aufheben, um später weiterzumachen?", default=True):
                return None
        except KeyboardInterrupt:
            return None
        except EOFError:
            pass  # nobody to ask any more: keep them, nothing is lost
    text = dump_answers(interview.answered_values(), interview.questionnaire,
                        empty=interview.answered, header=(
        RECOVERY_MARK.removeprefix("# ") + f", unterbrochen am {today:%d.%m.%Y}: noch nicht "
        "vollständig.",
        f"Weitermachen (es wird nur gefragt, was noch fehlt): contractgen new --from {target} "
        f"-o {output}",
        "Leere Einträge sind beantwortet und wurden leer gelassen.",
    ))
    try:
        write_atomic(target, text.encode("utf-8"))
    except OutputError as error:
        interview.say(f"Der Zwischenstand kann nicht gespeichert werden: {error.message}")
        return None
    return target


def _offer_contract(interview: Interview, answers_path: Path, kind: Any,
                    library_path: Path | None) -> None:
    from .api import email_agreement, generate

    if kind == "email-vereinbarung":
        target = answers_path.with_suffix(".eml")
        if not interview.yes_no(f"E-Mail-Entwurf jetzt erzeugen ({target})?", default=True):
            return
        try:
            email_agreement(answers_path, output=target, library_path=library_path)
        except OutputError as error:
            interview.say(error.message)
            return
    else:
        target = answers_path.with_suffix(".docx")
        if not interview.yes_no(f"Vertrag jetzt als DOCX erzeugen ({target})?", default=True):
            return
        try:
            generate(answers_path, output=target, library_path=library_path)
        except OutputError as error:
            interview.say(error.message)
            return
    interview.say(f"Geschrieben: {target}")


def new_order(framework_path: Path, output: Path, *, io: PromptIO, force: bool = False,
              sets: tuple[str, ...] = (), library_path: Path | None = None) -> Path:
    """`contractgen new --auftrag RAHMEN`: the interview of an individual order, starting from
    the framework's answers; what the framework fixes is not asked."""
    from .api import generate_order
    from .clock import clock_today
    from .library import evaluate_condition
    from .order import check_against_framework, interview_plan, order_questionnaire
    from .output import write_atomic
    from .pipeline import load_answers, load_library
    from .questionnaire.answers_yaml import dump_answers
    from .questionnaire.layers import layer_answers
    from .questionnaire.rawyaml import raw_from_data

    if output.exists() and not force:
        raise OutputError(f"{output} gibt es schon. Mit --force wird die Datei ersetzt.")
    library = load_library(library_path)
    framework = load_answers(framework_path, library=library)
    questionnaire, start_values, fixed = interview_plan(framework, order_questionnaire(library))
    layered = layer_answers(source="Eingabe", base=raw_from_data(start_values, "Rahmenvertrag"),
                            overrides=sets)
    interview = Interview(questionnaire, evaluate_condition, io, start=layered.raw,
                          fixed=fixed | layered.fixed)
    saved = False
    try:
        interview.say(f"Einzelauftrag zum Rahmenvertrag {framework_path}: Was der Rahmenvertrag "
                      "festlegt, wird nicht gefragt.")
        answers = interview.run(skip_sections=[k for k in fixed if "." not in k])
        problems = check_against_framework(answers, framework)
        if problems:
            raise AnswersError("Der Einzelauftrag passt nicht zum Rahmenvertrag.", problems)
        values = {k: v for k, v in answers.values.items() if k not in fixed}
        text = dump_answers(values, questionnaire, header=(
            f"Einzelauftrag zum Rahmenvertrag {framework_path}, erstellt mit „contractgen new "
            f"--auftrag“ am {clock_today():%d.%m.%Y}.",
            f"Erzeugen: contractgen auftrag {framework_path} {output}",
        ))
        write_atomic(output, text.encode("utf-8"), force=force)
        saved = True
        interview.say(f"Gespeichert: {output}")
        target = output.with_suffix(".docx")
        if interview.yes_no(f"Einzelauftrag jetzt als DOCX erzeugen ({target})?", default=True):
            try:
                generate_order(framework_path, output, output=target, library_path=library_path)
            except OutputError as error:
                interview.say(error.message)
                return output
            interview.say(f"Geschrieben: {target}")
    except (KeyboardInterrupt, EOFError):
        raise Interrupted(
            f"\nAbgebrochen. Die Antworten sind vollständig gespeichert in {output}." if saved
            else "\nAbgebrochen. Es wurde nichts gespeichert (auch keine halbe Datei).") from None
    return output


def edit_profile(*, io: PromptIO, library_path: Path | None = None) -> Path:
    """`contractgen profil bearbeiten`: ask the freelancer's own details and save them."""
    from .library import evaluate_condition
    from .pipeline import load_library
    from .questionnaire.profile import SECTION, profile_path, save_profile
    from .questionnaire.prompting import starting_point

    questionnaire = load_library(library_path).questionnaire
    path = profile_path()
    start, _ = starting_point(source=str(path), profile=path if path.is_file() else None)
    interview = Interview(questionnaire, evaluate_condition, io, start=start, source=str(path))
    try:
        section = interview.run_section(SECTION)
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("\nAbgebrochen. Das Profil ist unverändert.") from None
    save_profile(section, questionnaire, path)
    interview.say(f"Profil gespeichert: {path}")
    return path


def ask_mail_inputs(kind: str, given: Mapping[str, Any], *, io: PromptIO,
                    library_path: Path | None = None) -> dict[str, Any]:
    """The inputs of a follow-up e-mail: `given` plus the required ones that are missing, asked
    with the questionnaire's checks and messages (as text, validated again by the mail)."""
    from .followup import load_mail_template, missing_inputs
    from .library import evaluate_condition
    from .pipeline import load_library
    from .questionnaire.answers_yaml import scalar_text
    from .questionnaire.schema import Questionnaire

    template = load_mail_template(load_library(library_path), kind)
    questions = missing_inputs(template, given)
    if not questions:
        return dict(given)
    interview = Interview(Questionnaire(tuple(questions), "Eingabe"), evaluate_condition, io)
    values: dict[str, Any] = {}
    try:
        for question in questions:
            interview.ask(question, values, question.path, only_needed=False)
    except (KeyboardInterrupt, EOFError):
        raise Interrupted("\nAbgebrochen. Es wurde nichts geschrieben.") from None

    def text(value: Any) -> Any:
        return [scalar_text(v) for v in value] if isinstance(value, list) else scalar_text(value)

    return {**given, **{k: text(v) for k, v in values.items() if v is not None}}
