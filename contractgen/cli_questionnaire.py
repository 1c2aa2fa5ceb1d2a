"""CLI commands of the questionnaire (issue 3): new, questions, check, profil.

Registered on the main app by cli.py. Heavy modules are imported inside the commands, so
`contractgen --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import ForceOption, LibraryOption, SetOption, guarded
from .cli_common import err as _stderr
from .errors import EXIT_INTERRUPTED


def new(
    output: Annotated[Path, typer.Option("--output", "-o", help="Die Antwortdatei, die geschrieben "
                                         "wird.")] = Path("antworten.yaml"),
    vertragsart: Annotated[str | None, typer.Option(
        "--vertragsart", help="rahmenvertrag oder email-vereinbarung (wird dann nicht gefragt).",
        show_default=False)] = None,
    previous: Annotated[Path | None, typer.Option(
        "--from", help="Von einer früheren Antwortdatei ausgehen (z. B. derselbe Auftraggeber, "
        "neues Projekt): nur Geändertes und Fehlendes wird gefragt.", show_default=False)] = None,
    force: ForceOption = False,
    sets: SetOption = None,
    library: LibraryOption = None,
    auftrag: Annotated[Path | None, typer.Option(
        "--auftrag", help="Einen Einzelauftrag zu diesem Rahmenvertrag (Antwortdatei) anlegen: "
        "nur die Fragen des Einzelauftrags; was der Rahmenvertrag festlegt, wird nicht gefragt.",
        show_default=False)] = None,
) -> None:
    """Fragen im Terminal beantworten und die Antwortdatei schreiben (danach auf Wunsch den Vertrag).

    Enter übernimmt den Vorschlag in Klammern, ? zeigt eine Erklärung. Strg+C bricht ab, ohne
    etwas zu speichern. Ihr Profil (contractgen profil) liefert Ihre eigenen Angaben.
    Mit --auftrag RAHMEN-ANTWORTEN entsteht die Antwortdatei eines Einzelauftrags."""
    if auftrag is not None:
        if output == Path("antworten.yaml"):
            output = Path("einzelauftrag.yaml")
        _new_order(auftrag, output, force=force, sets=sets or [], library=library)
        return
    from .api import clock_today, load_library
    from .errors import OutputError
    from .library import evaluate_condition
    from .output import write_atomic
    from .questionnaire.answers_yaml import dump_answers
    from .questionnaire.profile import existing_profile, profile_path, save_profile
    from .questionnaire.prompting import FROM_PROFILE, Interview, PromptIO, starting_point
    from .questionnaire.risks import assess

    if output.exists() and not force:
        raise OutputError(f"{output} gibt es schon. Mit --force wird die Datei ersetzt, "
                          "mit --from {output} als Ausgangspunkt verwendet.".replace(
                              "{output}", str(output)))
    lib = load_library(library)
    questionnaire = lib.questionnaire
    overrides = list(sets or ())
    if vertragsart is not None:
        overrides.insert(0, f"vertragsart={vertragsart}")
    profile = existing_profile()
    start, fixed = starting_point(source="Eingabe", profile=profile, previous=previous,
                                  overrides=overrides)
    today = clock_today()
    interview = Interview(questionnaire, evaluate_condition, PromptIO(), start=start, fixed=fixed,
                          risks=lambda answers: assess(answers, today=today))
    if vertragsart is not None and interview.values.get("vertragsart") is None:
        raise typer.BadParameter("erlaubt sind " + ", ".join(
            questionnaire.question("vertragsart").choice_keys  # type: ignore[union-attr]
        ), param_hint="--vertragsart")
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
        answers = interview.run(review=previous is not None, skip_sections=skip)
        text = dump_answers(answers.values, questionnaire, header=(
            f"Antworten für contractgen, erstellt mit „contractgen new“ am {today:%d.%m.%Y}.",
            f"Vertrag erzeugen: contractgen generate {output}",
            f"Prüfen:           contractgen check {output}",
        ))
        write_atomic(output, text.encode("utf-8"), force=force)
        saved = True
        interview.say(f"Gespeichert: {output}")
        if profile is None and isinstance(answers.values.get("auftragnehmer"), dict):
            if interview.yes_no(f"Ihre eigenen Angaben als Profil speichern ({profile_path()}), "
                                "damit sie nicht jedes Mal gefragt werden?", default=True):
                save_profile(answers.values["auftragnehmer"], questionnaire, profile_path())
                interview.say(f"Profil gespeichert: {profile_path()}")
        _offer_contract(interview, output, answers.values.get("vertragsart"), library)
    except (KeyboardInterrupt, EOFError):
        if saved:
            _stderr(f"\nAbgebrochen. Die Antworten sind vollständig gespeichert in {output}.")
        else:
            _stderr("\nAbgebrochen. Es wurde nichts gespeichert (auch keine halbe Datei). "
                    f"Neu beginnen mit: contractgen new -o {output}")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _new_order(framework_path: Path, output: Path, *, force: bool, sets: list[str],
               library: Path | None) -> None:
    """The interview of an individual order, starting from the framework's answers."""
    from .api import clock_today, generate_order, load_answers, load_library
    from .errors import AnswersError, OutputError
    from .library import evaluate_condition
    from .order import check_against_framework, interview_plan, order_questionnaire
    from .output import write_atomic
    from .questionnaire.answers_yaml import dump_answers
    from .questionnaire.prompting import Interview, PromptIO, starting_point
    from .questionnaire.rawyaml import merge_raw, raw_from_data

    if output.exists() and not force:
        raise OutputError(f"{output} gibt es schon. Mit --force wird die Datei ersetzt.")
    lib = load_library(library)
    framework = load_answers(framework_path, library=lib)
    questionnaire, start_values, fixed = interview_plan(framework, order_questionnaire(lib))
    raw, given = starting_point(source="Eingabe", overrides=sets)
    start = merge_raw(raw_from_data(start_values, "Rahmenvertrag"), raw)
    interview = Interview(questionnaire, evaluate_condition, PromptIO(), start=start,
                          fixed=fixed | given)
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
                generate_order(framework_path, output, output=target, library_path=library)
            except OutputError as error:
                interview.say(error.message)
                return
            interview.say(f"Geschrieben: {target}")
    except (KeyboardInterrupt, EOFError):
        _stderr(f"\nAbgebrochen. Die Antworten sind vollständig gespeichert in {output}."
                if saved else "\nAbgebrochen. Es wurde nichts gespeichert (auch keine halbe "
                "Datei).")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _offer_contract(interview: Any, answers_path: Path, kind: Any, library: Path | None) -> None:
    from .api import email_agreement, generate
    from .errors import OutputError

    if kind == "email-vereinbarung":
        target = answers_path.with_suffix(".eml")
        if not interview.yes_no(f"E-Mail-Entwurf jetzt erzeugen ({target})?", default=True):
            return
        try:
            email_agreement(answers_path, output=target, library_path=library)
        except OutputError as error:
            interview.say(error.message)
            return
    else:
        target = answers_path.with_suffix(".docx")
        if not interview.yes_no(f"Vertrag jetzt als DOCX erzeugen ({target})?", default=True):
            return
        try:
            generate(answers_path, output=target, library_path=library)
        except OutputError as error:
            interview.say(error.message)
            return
    interview.say(f"Geschrieben: {target}")


def questions(
    as_json: Annotated[bool, typer.Option("--json", help="Den Fragebogen als JSON ausgeben "
                                          "(für Skripte und andere Programme).")] = False,
    library: LibraryOption = None,
) -> None:
    """Eine kommentierte Vorlage der Antwortdatei ausgeben (jeder Schlüssel mit Erklärung)."""
    from .api import load_library
    from .questionnaire.answers_yaml import answers_template
    from .questionnaire.schema import questionnaire_json

    questionnaire = load_library(library).questionnaire
    if as_json:
        import json

        sys.stdout.write(json.dumps(questionnaire_json(questionnaire), ensure_ascii=False,
                                    indent=2) + "\n")
    else:
        sys.stdout.write(answers_template(questionnaire))


def check(
    answers: Annotated[Path, typer.Argument(help="Antwortdatei (YAML).", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Warnungen als Fehler behandeln "
                                         "(Exit-Code 3).")] = False,
    sets: SetOption = None,
    library: LibraryOption = None,
) -> None:
    """Eine Antwortdatei prüfen, ohne etwas zu erzeugen: alle Fehler auf einmal und Warnungen
    zu riskanten Vereinbarungen (mit Schlüssel und Vorschrift). Exit 0 ohne Fehler, 3 mit."""
    from .api import clock_today, load_answers, load_library
    from .questionnaire.risks import check as run_check

    lib = load_library(library)
    loaded = load_answers(answers, library=lib, overrides=sets or ())
    found = run_check(loaded, today=clock_today(), strict=strict)
    for problem in found:
        _stderr(str(problem))
    warnings = sum(1 for p in found if p.level == "warning")
    notes = len(found) - warnings
    typer.echo(f"{answers}: keine Fehler, {_count(warnings, 'Warnung', 'Warnungen')}, "
               f"{_count(notes, 'Hinweis', 'Hinweise')}.")


def _count(number: int, singular: str, plural: str) -> str:
    from .formatting import format_number

    return f"{format_number(number)} {singular if number == 1 else plural}"


def profil(
    aktion: Annotated[str | None, typer.Argument(help="„bearbeiten“: die Angaben abfragen und "
                                                 "speichern. Ohne: das Profil anzeigen.",
                                                 show_default=False)] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Wie „bearbeiten“.")] = False,
    library: LibraryOption = None,
) -> None:
    """Ihr Profil (Ihre eigenen Angaben als Auftragnehmer) anzeigen oder bearbeiten.

    Gespeichert im Konfigurationsverzeichnis des Benutzers, oder in $CONTRACTGEN_CONFIG_DIR.
    Antwortdateien dürfen den Abschnitt auftragnehmer dann weglassen."""
    if aktion not in (None, "bearbeiten", "anzeigen"):
        raise typer.BadParameter("erlaubt sind bearbeiten und anzeigen", param_hint="AKTION")
    from .api import load_library
    from .library import evaluate_condition
    from .questionnaire.profile import SECTION, load_profile, profile_path, save_profile
    from .questionnaire.prompting import Interview, PromptIO, starting_point
    from .questionnaire.summary import summary_lines

    lib = load_library(library)
    questionnaire = lib.questionnaire
    path = profile_path()
    exists = path.is_file()
    if edit or aktion == "bearbeiten":
        start, _ = starting_point(source=str(path), profile=path if exists else None)
        interview = Interview(questionnaire, evaluate_condition, PromptIO(), start=start,
                              source=str(path))
        try:
            section = interview.run_section(SECTION)
        except (KeyboardInterrupt, EOFError):
            _stderr("\nAbgebrochen. Das Profil ist unverändert.")
            raise typer.Exit(EXIT_INTERRUPTED) from None
        save_profile(section, questionnaire, path)
        typer.echo(f"Profil gespeichert: {path}")
        return
    if not exists:
        typer.echo(f"Noch kein Profil ({path}). Anlegen mit: contractgen profil bearbeiten")
        return
    values, problems = load_profile(path, questionnaire, evaluate_condition)
    question = questionnaire.question(SECTION)
    typer.echo(f"Profil: {path}")
    if question is not None:
        from .questionnaire.schema import Questionnaire

        view = Questionnaire((question,), str(path))
        for line in summary_lines({SECTION: values}, view, lambda q: True):
            typer.echo(line)
    for problem in problems:
        _stderr(str(problem))


def register(app: typer.Typer) -> None:
    """Add the questionnaire commands to `app` (each behind the error wall)."""
    app.command("new")(guarded(new))
    app.command("questions")(guarded(questions))
    app.command("check")(guarded(check))
    app.command("profil")(guarded(profil))
