"""CLI commands for individual orders and follow-up e-mails (issue 7): registered on the main app.

`auftrag` writes an Einzelauftrag under a framework agreement; `mail` writes a follow-up e-mail.
Heavy modules are imported inside the commands, so `contractgen --help` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import (
    ForceOption,
    LibraryOption,
    SetOption,
    check_format,
    format_help,
    guarded,
    print_result,
    refuse_binary_on_terminal,
    stdout_output,
    suffix_help,
)
from .cli_common import err as _stderr
from .cli_common import print_warnings as _print_warnings
from .writers import DOCUMENT, MAIL

_ORDER = (DOCUMENT, MAIL)   # an individual order can be written in every registered format


def auftrag(
    rahmen: Annotated[Path, typer.Argument(help="Antwortdatei des Rahmenvertrags (YAML).",
                                           show_default=False)],
    einzel: Annotated[Path, typer.Argument(help="Antwortdatei des Einzelauftrags (YAML).",
                                           show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help=f"Ausgabedatei: {suffix_help(_ORDER)}. Standard: DOCX mit dem "
        "Namen der Einzelauftragsdatei; -o - schreibt auf die Standardausgabe.",
        show_default=False)] = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", help=format_help(_ORDER, "docx"), show_default=False)] = None,
    library: LibraryOption = None,
    sets: SetOption = None,
    force: ForceOption = False,
    attach_format: Annotated[str | None, typer.Option(
        "--attach-format", help="Beim E-Mail-Entwurf (-o DATEI.eml): den Einzelauftrag als docx "
        "(Standard) oder pdf (über LibreOffice) anhängen.", show_default=False)] = None,
    pdf_a: Annotated[bool, typer.Option(
        "--pdf-a", help="PDF als PDF/A-2b (zur Archivierung); nur mit PDF.")] = False,
) -> None:
    """Einzelauftrag zu einem Rahmenvertrag erzeugen (DOCX, E-Mail oder Markdown).

    Der Einzelauftrag nennt nur seine eigenen Bedingungen; alles andere gilt aus dem
    Rahmenvertrag. Widerspricht er einer Bedingung, die der Rahmenvertrag festlegt, wird er
    abgelehnt (Exit-Code 3). --set gilt für die Einzelauftragsdatei."""
    check_format(fmt, _ORDER)
    if attach_format is not None and attach_format not in ("docx", "pdf"):
        raise typer.BadParameter("erlaubt sind docx und pdf", param_hint="--attach-format")
    from .api import generate_order

    result = generate_order(rahmen, einzel, output=output, fmt=fmt, library_path=library,
                            overrides=sets or (), force=force, attach=attach_format or False,
                            pdf_a=pdf_a)
    refuse_binary_on_terminal(output, result.binary)
    _print_warnings(result.warnings)
    print_result(result.path, result.data, binary=result.binary)


def mail(
    art: Annotated[str, typer.Argument(
        help="gespraechsnotiz, korrekturschleifen, abstimmungsaufwand, ausfallhonorar, "
        "abnahme, projektabschluss oder vertragsbestaetigung.", show_default=False)],
    answers: Annotated[Path, typer.Argument(help="Antwortdatei des Vertrags (YAML).",
                                            show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help=f"Als E-Mail-Entwurf oder Textdatei ({suffix_help((MAIL,))}) "
        "speichern, statt den Text auszugeben (-o -: Standardausgabe).", show_default=False)] = None,
    datum: Annotated[str | None, typer.Option(help="gespraechsnotiz: Datum des Gesprächs.",
                                              show_default=False)] = None,
    teilnehmer: Annotated[list[str] | None, typer.Option(
        help="gespraechsnotiz: Teilnehmende (mehrfach).", show_default=False)] = None,
    vereinbart: Annotated[list[str] | None, typer.Option(
        help="gespraechsnotiz: ein vereinbarter Punkt (mehrfach).", show_default=False)] = None,
    offen: Annotated[list[str] | None, typer.Option(
        help="gespraechsnotiz: ein offener Punkt (mehrfach).", show_default=False)] = None,
    naechste_schritte: Annotated[list[str] | None, typer.Option(
        "--naechste-schritte", help="gespraechsnotiz: ein nächster Schritt (mehrfach).",
        show_default=False)] = None,
    runden_erledigt: Annotated[str | None, typer.Option(
        "--runden-erledigt", help="korrekturschleifen: erledigte Korrekturschleifen.",
        show_default=False)] = None,
    stunden_verbraucht: Annotated[str | None, typer.Option(
        "--stunden-verbraucht", help="abstimmungsaufwand: bisher verbrauchte Stunden.",
        show_default=False)] = None,
    termin: Annotated[str | None, typer.Option(help="ausfallhonorar: Datum des Termins.",
                                               show_default=False)] = None,
    abgesagt_am: Annotated[str | None, typer.Option(
        "--abgesagt-am", help="ausfallhonorar: Zugang der Absage (weglassen, wenn niemand "
        "erschienen ist).", show_default=False)] = None,
    dauer_stunden: Annotated[str | None, typer.Option(
        "--dauer-stunden", help="ausfallhonorar: geplante Dauer in Stunden.",
        show_default=False)] = None,
    dauer_tage: Annotated[str | None, typer.Option(
        "--dauer-tage", help="ausfallhonorar: geplante Arbeitstage (Tagessatz).",
        show_default=False)] = None,
    termin_uhrzeit: Annotated[str | None, typer.Option(
        "--termin-uhrzeit", help="ausfallhonorar: Beginn des Termins (HH:MM), bei einer Staffel "
        "in Stunden.", show_default=False)] = None,
    abgesagt_uhrzeit: Annotated[str | None, typer.Option(
        "--abgesagt-uhrzeit", help="ausfallhonorar: Uhrzeit, zu der die Absage zuging (HH:MM).",
        show_default=False)] = None,
    einheiten: Annotated[str | None, typer.Option(
        "--einheiten", help="ausfallhonorar: Einheiten, die der Termin umfasst (Honorar je "
        "Einheit; Standard 1).", show_default=False)] = None,
    stunden_rest: Annotated[str | None, typer.Option(
        "--stunden-rest", help="ausfallhonorar: noch nicht abgerufene Stunden des Monats "
        "(Monatshonorar).", show_default=False)] = None,
    geliefert: Annotated[list[str] | None, typer.Option(
        help="abnahme, projektabschluss: eine gelieferte Leistung (mehrfach).", show_default=False)] = None,
    offene_rechnung: Annotated[list[str] | None, typer.Option(
        "--offene-rechnung", help="projektabschluss: offene Rechnung als Nummer=Betrag, z. B. "
        "RE-2027-014=1440 (mehrfach).", show_default=False)] = None,
    abnahme_am: Annotated[str | None, typer.Option(
        "--abnahme-am", help="projektabschluss (Werkvertrag): Tag der Abnahme bzw. Bereitstellung "
        "oder des Ablaufs der Frist zur Abnahme.", show_default=False)] = None,
    frist_bis: Annotated[str | None, typer.Option(
        "--frist-bis", help="abnahme: Frist zur Abnahme (Standard und Minimum: elf Werktage ab "
        "heute).", show_default=False)] = None,
    geschlossen_am: Annotated[str | None, typer.Option(
        "--geschlossen-am", help="vertragsbestaetigung: Tag des Vertragsschlusses.",
        show_default=False)] = None,
    vorzeitig_verlangt_am: Annotated[str | None, typer.Option(
        "--vorzeitig-verlangt-am", help="vertragsbestaetigung: Tag, an dem der Verbraucher den "
        "vorzeitigen Beginn verlangt oder ihm zugestimmt hat.", show_default=False)] = None,
    library: LibraryOption = None,
    sets: SetOption = None,
    force: ForceOption = False,
) -> None:
    """Folge-E-Mail zum Vertrag: Gesprächsnotiz, Hinweis auf verbrauchte Korrekturschleifen oder
    Abstimmungsstunden, Ausfallhonorar, Bitte um Abnahme, Projektabschluss, Vertragsbestätigung
    für Verbraucher.

    Jede E-Mail zitiert die Klausel, auf die sie sich stützt, mit ihrer Nummer im Vertrag.
    Fehlende Angaben werden im Terminal abgefragt."""
    from .api import follow_up_mail
    from .followup import KINDS

    if art not in KINDS:
        raise typer.BadParameter("erlaubt sind " + ", ".join(KINDS), param_hint="ART")
    inputs: dict[str, Any] = {
        "datum": datum, "teilnehmer": teilnehmer, "vereinbart": vereinbart, "offen": offen,
        "naechste_schritte": naechste_schritte, "runden_erledigt": runden_erledigt,
        "stunden_verbraucht": stunden_verbraucht, "termin": termin, "abgesagt_am": abgesagt_am,
        "dauer_stunden": dauer_stunden, "dauer_tage": dauer_tage, "geliefert": geliefert,
        "offene_rechnung": offene_rechnung, "abnahme_am": abnahme_am, "frist_bis": frist_bis,
        "geschlossen_am": geschlossen_am, "vorzeitig_verlangt_am": vorzeitig_verlangt_am,
        "termin_uhrzeit": termin_uhrzeit, "abgesagt_uhrzeit": abgesagt_uhrzeit,
        "einheiten": einheiten, "stunden_rest": stunden_rest,
    }
    inputs = {k: v for k, v in inputs.items() if v not in (None, [])}
    if sys.stdin.isatty():  # ask the required inputs that are missing (on stderr)
        from .questionnaire.prompting import PromptIO
        from .terminal import safe_input
        from .workflows import ask_mail_inputs

        inputs = ask_mail_inputs(art, inputs, io=PromptIO(read=safe_input, write=_stderr),
                                 library_path=library)
    result = follow_up_mail(art, answers, inputs=inputs, output=stdout_output(output),
                            library_path=library,
                            overrides=sets or (), force=force)
    _print_warnings(result.warnings)
    print_result(result.path, result.text)


def register(app: typer.Typer) -> None:
    """Add the commands to `app` (each behind the error wall)."""
    app.command("auftrag")(guarded(auftrag))
    app.command("mail")(guarded(mail))
