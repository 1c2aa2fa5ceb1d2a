"""Follow-up e-mails (gespraechsnotiz, korrekturschleifen, ...) from the contract's answers.

Each kind is a template in the clause library (mails/<kind>.md): front matter with the subject,
the clause it quotes (`klausel`, optionally labelled paragraphs `absaetze`), its inputs
(`eingaben`, typed like questionnaire questions) and a body in the clauses' Markdown subset.
The § numbers come from building the contract document for the same answers; amounts are
computed here from the answers, never typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from .errors import AnswersError, LibraryError, Location, Problem, RenderError
from .formatting import format_date, format_money, format_number, locale_of
from .library import Library
from .model import Document, FollowUpMail, Paragraph, Quote, Ref, Wording, plain_text, resolve_paragraphs
from .questionnaire.answers import Answers, check_value, validate_partial
from .questionnaire.rawyaml import Raw, raw_from_data
from .questionnaire.schema import Question, Questionnaire
from .terms import fee_model_of

MAIL_DIR = "mails"
KINDS = ("gespraechsnotiz", "korrekturschleifen", "abstimmungsaufwand", "ausfallhonorar",
         "projektabschluss", "abnahme", "vertragsbestaetigung")
# § 640 Abs. 2 BGB: the contract's minimum period for the Abnahme (clause abnahme: "mindestens
# zehn Werktage", the default of abnahme.pruefung_werktage; the contract's own answer wins); the
# mail adds one Werktag for regional holidays it cannot know
ACCEPTANCE_WERKTAGE = 10
ACCEPTANCE_MARGIN = 1
# names each kind's template may use under `berechnet` (checked by `library check`)
COMPUTED: dict[str, tuple[str, ...]] = {
    "gespraechsnotiz": (),
    "korrekturschleifen": ("inklusive", "erledigt", "weitere", "preis_runde", "stundensatz"),
    "abstimmungsaufwand": ("inklusive", "verbraucht", "rest", "ueber", "stundensatz"),
    "ausfallhonorar": ("nicht_erschienen", "tage_vorher", "stunden_vorher", "prozent",
                       "verguetung", "rechnung", "betrag", "angerechnet", "einheiten"),
    "projektabschluss": ("rechnungen", "summe"),
    "abnahme": ("frist",),
    "vertragsbestaetigung": ("vorzeitig", "frist_ende", "uebersicht"),
}
# names every mail template may use besides the answers: `vertrag`, `titel`, `eingabe`, `berechnet`
MAIL_VARIABLES = ("vertrag", "titel", "eingabe", "berechnet")
_KEYS = frozenset({"id", "title", "version", "betreff", "klausel", "absaetze", "legal", "hinweis",
                   "eingaben", "zitat_einleitung", "reviewed", "anhang"})
# what a mail may carry as its attachment (`anhang`): the contract as DOCX
ATTACHMENTS = ("vertrag",)
_CENT = Decimal("0.01")
# an open invoice's amount: read exactly like a money answer (the one rule of amounts.py:
# 1.440,50 or 1440.50, at most two decimals, finite), within the bounds of the fee
_INVOICE_AMOUNT = Question(key="offene_rechnung", path="--offene-rechnung", type="money",
                           label="Betrag der offenen Rechnung", min=_CENT,
                           max=Decimal("10000000"))


@dataclass(frozen=True)
class MailTemplate:
    id: str
    path: Path
    title: str
    version: str
    subject: str
    clause: str
    labels: tuple[str, ...]
    inputs: Questionnaire
    quote_intro: str
    body: str
    body_line: int
    meta: Mapping[str, Any]
    key_lines: Mapping[str, int]
    attachment: str = ""          # "vertrag": the e-mail draft carries the contract as DOCX


def mail_dir(library: Library) -> Path:
    return library.root / MAIL_DIR


def read_mail_template(path: Path, problems: list[Problem]) -> MailTemplate | None:
    """One template; problems (with file:line) go to `problems`, None when unusable."""
    from .library.frontmatter import read_front_matter
    from .questionnaire.schema import _question

    head = read_front_matter(path, _KEYS, problems)
    if head is None:
        return None
    meta, key_lines = head.meta, head.key_lines
    for key in ("id", "title", "version", "betreff", "klausel"):
        if not meta.get(key):
            problems.append(Problem("error", f"Pflichtangabe {key!r} fehlt.", f"{path}:2",
                                    code="mail.missing-field"))
    if meta.get("id") and meta["id"] != path.stem:
        problems.append(Problem("error", f"id {meta['id']!r} passt nicht zum Dateinamen.",
                                f"{path}:{key_lines.get('id', 2)}", code="mail.id-filename"))
    input_problems: list[Problem] = []
    questions = tuple(_question(item, "", str(path), input_problems)
                      for item in meta.get("eingaben") or ())
    for problem in input_problems:
        problems.append(problem.at(f"{path}:{key_lines.get('eingaben', 2)}"))
    attachment = str(meta.get("anhang") or "")
    if attachment and attachment not in ATTACHMENTS:
        problems.append(Problem("error", f"anhang {attachment!r}: erlaubt ist "
                                f"{', '.join(ATTACHMENTS)}.", f"{path}:{key_lines.get('anhang', 2)}",
                                code="mail.attachment"))
    return MailTemplate(
        id=str(meta.get("id", path.stem)), path=path, title=str(meta.get("title", "")),
        version=str(meta.get("version", "")), subject=str(meta.get("betreff", "")),
        clause=str(meta.get("klausel", "")),
        labels=tuple(str(x) for x in meta.get("absaetze") or ()),
        inputs=Questionnaire(questions, str(path)),
        quote_intro=str(meta.get("zitat_einleitung", "") or ""),
        body=head.body, body_line=head.body_line, meta=meta, key_lines=key_lines,
        attachment=attachment)


def load_mail_template(library: Library, kind: str) -> MailTemplate:
    """The template of a mail kind; for an edition of the library the source library's
    template with the edition's translation over it (it must translate the current version)."""
    if library.source_root is not None:
        source = load_mail_template(_source_stub(library), kind)
        path = mail_dir(library) / f"{kind}.md"
        problems: list[Problem] = []
        translated = translated_mail(source, path, problems)
        if problems or translated is None:
            raise LibraryError(f"Die Übersetzung {path} der E-Mail-Vorlage fehlt, ist fehlerhaft "
                               "oder nicht aktuell.", tuple(problems))
        return translated
    path = mail_dir(library) / f"{kind}.md"
    if kind not in KINDS:
        raise AnswersError(f"Unbekannte E-Mail-Art {kind!r}. Möglich: {', '.join(KINDS)}.")
    if not path.is_file():
        raise LibraryError(f"Die Vorlage {path} fehlt in der Klauselbibliothek.")
    problems = []
    template = read_mail_template(path, problems)
    if problems or template is None:
        raise LibraryError(f"Die Vorlage {path} ist fehlerhaft.", tuple(problems))
    return template


def _source_stub(edition: Library) -> Library:
    """The edition with the root of the library it translates (only `root` is read there)."""
    from dataclasses import replace

    assert edition.source_root is not None
    return replace(edition, root=edition.source_root, source_root=None)


def translated_mail(source: MailTemplate, path: Path, problems: list[Problem]) -> MailTemplate | None:
    """A mail template's translation (subject, title, quote introduction and body in the
    edition's language) over its source: the clause it quotes, its inputs and attachment stay
    the source's. None, with the problems, when it is missing, broken or translates another
    version (`translates`)."""
    from dataclasses import replace

    from .library.edition import MAIL_KEYS
    from .library.frontmatter import read_front_matter

    if not path.is_file():
        problems.append(Problem("error", f"Die E-Mail-Vorlage hat keine Übersetzung ({path} "
                                "fehlt).", f"{source.path}:{source.key_lines.get('id', 2)}",
                                source.id, code="library.translation-missing"))
        return None
    head = read_front_matter(path, MAIL_KEYS, problems)
    if head is None:
        return None
    meta, lines = head.meta, head.key_lines
    for key in ("id", "title", "betreff", "translates"):
        if not meta.get(key):
            problems.append(Problem("error", f"Pflichtangabe {key!r} fehlt.", f"{path}:2",
                                    source.id, code="library.missing-field"))
    if meta.get("id") and meta["id"] != source.id:
        problems.append(Problem("error", f"id {meta['id']!r} passt nicht zum Dateinamen.",
                                f"{path}:{lines.get('id', 2)}", code="library.id-filename"))
    if meta.get("translates") and str(meta["translates"]) != source.version:
        problems.append(Problem("error", f"Die Übersetzung übersetzt Version {meta['translates']}, "
                                f"die deutsche Vorlage hat Version {source.version} "
                                f"({source.path}): Übersetzung angleichen, dann translates: "
                                f"{source.version}.", f"{path}:{lines.get('translates', 2)}",
                                source.id, code="library.translation-stale"))
    if bool(meta.get("zitat_einleitung")) != bool(source.quote_intro):
        problems.append(Problem("error", "zitat_einleitung: beide Fassungen brauchen dieselben "
                                "Teile.", f"{path}:{lines.get('zitat_einleitung', 2)}", source.id,
                                code="library.translation-kurzform"))
    if problems:
        return None
    return replace(source, path=path, title=str(meta["title"]), subject=str(meta["betreff"]),
                   quote_intro=str(meta.get("zitat_einleitung") or ""), body=head.body,
                   body_line=head.body_line, key_lines={**source.key_lines, **lines},
                   meta={**source.meta, **meta})


# -- inputs ---------------------------------------------------------------------------------
def option_name(key: str) -> str:
    return "--" + key.replace("_", "-")


def missing_inputs(template: MailTemplate, given: Mapping[str, Any]) -> tuple[Question, ...]:
    """Required inputs not given (the CLI asks for them when stdin is a terminal)."""
    return tuple(q for q in template.inputs.questions if q.required and _empty(given.get(q.key)))


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == ""


def check_inputs(template: MailTemplate, given: Mapping[str, Any]) -> dict[str, Any]:
    """Typed inputs; every problem at once, each naming its option (AnswersError, exit 3)."""
    known = {q.key for q in template.inputs.questions}
    problems = [Problem("error", f"gilt nicht für die E-Mail „{template.id}“ (möglich: "
                        f"{', '.join(option_name(k) for k in known) or 'keine'}).",
                        option_name(key), code="mail.input-unknown")
                for key, value in given.items() if key not in known and not _empty(value)]
    items = {key: raw_from_data(value, option_name(key))
             for key, value in given.items() if key in known and not _empty(value)}
    raw = Raw("map", None, items=items, origin="Eingabe")
    values, found, _ = validate_partial(raw, template.inputs, "Eingabe", lambda _e, _c: True)
    for problem in found:
        if problem.level != "error":
            continue
        key = problem.key.split("[")[0].split(".")[0]  # the input (an option) it belongs to
        question = template.inputs.question(key)
        label = f" ({question.label})" if question is not None else ""
        message = problem.message
        if problem.code == "answers.missing":
            message = f"fehlt{label}."
        problems.append(Problem("error", message, option_name(key), code=problem.code))
    if problems:
        raise AnswersError(f"Die Angaben für die E-Mail „{template.id}“ sind unvollständig "
                           "oder fehlerhaft.", tuple(problems))
    return values


# -- computed values ------------------------------------------------------------------------
def _fail(option: str, message: str) -> AnswersError:
    return AnswersError("Diese E-Mail passt nicht zu den Angaben.",
                        (Problem("error", message, option, code="mail.inputs"),))


def compute(kind: str, answers: Answers, inputs: Mapping[str, Any], *,
            today: dt.date, language: str = "de-DE") -> dict[str, Any]:
    values = answers.values
    model = fee_model_of(values)
    rate = model.hourly_rate(values.get("honorar") or {}) if model is not None else None
    if kind == "korrekturschleifen":
        included = (values.get("korrekturen") or {}).get("inklusive_runden") or 0
        done = inputs["runden_erledigt"]
        if done < included:
            raise _fail("--runden-erledigt", f"{_done_rounds(done, included)}; diese "
                        "Mitteilung ist erst fällig, wenn alle enthaltenen verbraucht sind.")
        return {"inklusive": included, "erledigt": done, "weitere": done - included,
                "preis_runde": (values.get("korrekturen") or {}).get("preis_runde"),
                "stundensatz": rate}
    if kind == "abstimmungsaufwand":
        included = (values.get("abstimmung") or {}).get("inklusive_stunden") or Decimal(0)
        used = inputs["stunden_verbraucht"]
        if included <= 0:
            raise _fail("--stunden-verbraucht", "Im Vertrag sind keine Abstimmungsstunden "
                        "enthalten; jede Abstimmung wird ohnehin nach Aufwand berechnet.")
        if used < included * 3 / 4:
            raise _fail("--stunden-verbraucht", f"Erst {format_number(used)} von "
                        f"{_count(included, 'Stunde', 'Stunden')} "
                        f"{'ist' if used == 1 else 'sind'} verbraucht; der Vertrag sieht "
                        "die Mitteilung vor, sobald drei Viertel verbraucht sind.")
        return {"inklusive": included, "verbraucht": used, "rest": max(included - used, 0),
                "ueber": max(used - included, 0), "stundensatz": rate}
    if kind == "ausfallhonorar":
        return _cancellation(values, inputs, language)
    if kind == "abnahme":
        period = (values.get("abnahme") or {}).get("pruefung_werktage") or ACCEPTANCE_WERKTAGE
        return {"frist": _acceptance_deadline(inputs.get("frist_bis"), today, int(period))}
    if kind == "vertragsbestaetigung":
        return _confirmation(answers, inputs)
    if kind == "projektabschluss":
        invoices = []
        problems = []
        for text in inputs.get("offene_rechnung") or []:
            number, sep, amount = text.rpartition("=")
            if not sep or not number.strip() or not amount.strip():
                problems.append(Problem("error", f"{text!r}: erwartet Nummer=Betrag, z. B. "
                                        "RE-2027-014=1440,50.", "--offene-rechnung",
                                        code="mail.invoice"))
                continue
            value, message = check_value(_INVOICE_AMOUNT, amount.strip(), "--offene-rechnung")
            if message is not None or value is None:
                problems.append(Problem("error", f"{text!r}: Betrag {message or 'fehlt.'}",
                                        "--offene-rechnung", code="mail.invoice"))
                continue
            invoices.append({"nummer": number.strip(), "betrag": value})
        if invoices and values.get("vertragstyp") == "werkvertrag" \
                and inputs.get("abnahme_am") is None:
            problems.append(Problem(
                "error", "fehlt (Datum der Abnahme): Im Werkvertrag wird die Vergütung erst mit "
                "der Abnahme fällig (§ 641 Abs. 1 BGB), bei digitalen Produkten für Verbraucher "
                "mit der Bereitstellung (§ 650 Abs. 2 BGB). Erst um Abnahme bitten "
                "(contractgen mail abnahme), dann mit --abnahme-am den Tag der Abnahme oder des "
                "Fristablaufs angeben.", "--abnahme-am", code="mail.abnahme-missing"))
        if problems:
            raise AnswersError("Die Angaben für die E-Mail „projektabschluss“ sind fehlerhaft.",
                               tuple(problems))
        return {"rechnungen": invoices, "summe": sum((i["betrag"] for i in invoices), Decimal(0))}
    return {}


def _acceptance_deadline(given: dt.date | None, today: dt.date,
                         period: int = ACCEPTANCE_WERKTAGE) -> dt.date:
    """The deadline for the Abnahme: as given, but never shorter than the contract's minimum
    (`period` Werktage) plus the margin for regional holidays; without a date, exactly that."""
    from .deadlines import add_werktage, werktage_between

    start = today
    minimum = period + ACCEPTANCE_MARGIN
    if given is None:
        return add_werktage(start, minimum)
    if werktage_between(start, given) < minimum:
        earliest = add_werktage(start, minimum)
        raise _fail("--frist-bis", f"{format_date(given)} ist zu früh: Der Vertrag verlangt "
                    f"mindestens {format_number(period)} Werktage (mit einem Tag "
                    f"Reserve für regionale Feiertage frühestens der {format_date(earliest)}).")
    return given


def _confirmation(answers: Answers, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """§ 312f BGB: only for consumers with a withdrawal right; the end of the period when no
    early start was requested, and a request before the conclusion makes no sense."""
    from .deadlines import withdrawal_period_end

    values = answers.values
    consumer = (values.get("auftraggeber") or {}).get("art") == "verbraucher"
    if not consumer or values.get("vertragsschluss") == "geschaeftsraeume":
        raise _fail("auftraggeber.art", "Die Bestätigung nach § 312f BGB gibt es nur für "
                    "Verträge mit Verbrauchern, die nicht in Ihren Geschäftsräumen geschlossen "
                    "wurden (Fernabsatz oder außerhalb von Geschäftsräumen).")
    concluded: dt.date = inputs["geschlossen_am"]
    requested: dt.date | None = inputs.get("vorzeitig_verlangt_am")
    if requested is not None and requested < concluded - dt.timedelta(days=365):
        raise _fail("--vorzeitig-verlangt-am", "liegt mehr als ein Jahr vor dem Vertragsschluss.")
    return {"vorzeitig": requested is not None, "frist_ende": withdrawal_period_end(concluded),
            "uebersicht": []}


def _count(number: Decimal | int, singular: str, plural: str) -> str:
    """'1 Tag', '2 Tage', '1,5 Stunden': the number in German, the noun in the right number."""
    return f"{format_number(number)} {singular if number == 1 else plural}"


def _done_rounds(done: int, included: int) -> str:
    if done == 0:
        return ("Die enthaltene Korrekturschleife ist noch nicht erledigt" if included == 1
                else f"Noch keine der {format_number(included)} enthaltenen Korrekturschleifen "
                "ist erledigt")
    return (f"Erst {format_number(done)} von {format_number(included)} enthaltenen "
            f"Korrekturschleifen {'ist' if done == 1 else 'sind'} erledigt")


def _clock(text: Any, option: str) -> dt.time | None:
    """'9:30' or '09:30' -> a time of day; None when not given."""
    if text in (None, ""):
        return None
    try:
        hours, minutes = (int(part) for part in str(text).strip().split(":"))
        return dt.time(hours, minutes)
    except ValueError:
        raise _fail(option, f"{text!r} ist keine Uhrzeit (erwartet HH:MM, z. B. 09:30).") from None


def _tier_hours(tier: Mapping[str, Any]) -> int:
    """A tier's threshold in hours before the appointment (days count as 24 hours each)."""
    within = tier.get("stunden_vorher")
    return int(within) if within is not None else int(tier["tage_vorher"]) * 24


def _matching_tier(tiers: list[Mapping[str, Any]], appointment: dt.date, cancelled: dt.date,
                   start: dt.time | None, received: dt.time | None) -> tuple[Any, int, Any]:
    """The tier a cancellation falls in, the calendar days before and, when both times are
    known, the hours before. Day tiers count calendar days (as the contract says), hour tiers
    the time before the agreed start; an hour tier that the dates alone cannot decide needs
    the times."""
    days = (appointment - cancelled).days
    hours = None
    if start is not None and received is not None:
        delta = dt.datetime.combine(appointment, start) - dt.datetime.combine(cancelled, received)
        hours = delta.total_seconds() / 3600
        if hours < 0:
            raise _fail("--abgesagt-uhrzeit", "Die Absage ging nach Beginn des Termins zu; dann ist "
                        "niemand erschienen: --abgesagt-am weglassen.")

    def applies(tier: Mapping[str, Any]) -> bool:
        if tier.get("stunden_vorher") is None:
            return bool(tier["tage_vorher"] > days)
        limit = int(tier["stunden_vorher"])
        if hours is not None:
            return hours < limit
        if limit <= (days - 1) * 24:      # even a late-evening call the day before
            return False
        if limit > (days + 1) * 24:
            return True
        raise _fail("--termin-uhrzeit", f"Die Staffel zählt in Stunden ({limit} Stunden vor "
                    "Beginn): bitte --termin-uhrzeit und --abgesagt-uhrzeit angeben.")

    matching = [t for t in tiers if applies(t)]
    return (matching[-1] if matching else None), days, hours


# the words of the calculation line (berechnet.rechnung) in the mail's language
_CALCULATION_WORDS = {
    "de": {"hours": "Std.", "day": ("Arbeitstag", "Arbeitstage"), "unit": ("Einheit", "Einheiten"),
           "cap": "höchstens der {rate} von", "daily": "Tagessatz", "weekly": "Wochensatz"},
    "en": {"hours": "hrs", "day": ("working day", "working days"), "unit": ("unit", "units"),
           "cap": "but no more than the {rate} of", "daily": "daily rate",
           "weekly": "weekly rate"},
}


def _cancellation(values: Mapping[str, Any], inputs: Mapping[str, Any],
                  language: str = "de-DE") -> dict[str, Any]:
    tiers = (values.get("ausfall") or {}).get("staffel") or []
    if not tiers:
        raise _fail("ausfall.staffel", "Im Vertrag ist kein Ausfallhonorar vereinbart.")
    appointment: dt.date = inputs["termin"]
    cancelled: dt.date | None = inputs.get("abgesagt_am")
    no_show = cancelled is None
    if cancelled is not None and cancelled > appointment:
        raise _fail("--abgesagt-am", f"Die Absage ({format_date(cancelled)}) liegt nach dem "
                    f"Termin ({format_date(appointment)}); dann ist niemand erschienen: "
                    "--abgesagt-am weglassen.")
    days: int | None = None
    hours_before: float | None = None
    if cancelled is None:
        tier = tiers[-1]
    else:
        tier, days, hours_before = _matching_tier(
            tiers, appointment, cancelled, _clock(inputs.get("termin_uhrzeit"), "--termin-uhrzeit"),
            _clock(inputs.get("abgesagt_uhrzeit"), "--abgesagt-uhrzeit"))
        if tier is None:
            first = tiers[0]
            free = (_count(first["stunden_vorher"], "Stunde", "Stunden") if first.get(
                "stunden_vorher") is not None else _count(first["tage_vorher"], "Tag", "Tagen"))
            raise _fail("--abgesagt-am", f"Die Absage kam {_count(days, 'Tag', 'Tage')} vor "
                        f"dem Termin und war damit kostenfrei (kostenfrei ab {free} vorher).")
    fee = values.get("honorar") or {}
    model = fee_model_of(values)
    flat = model is not None and "pauschal" in model.flags
    if flat:
        # under a flat fee an appointment hour is worth what the contract says it is worth within
        # the flat fee (ausfall.terminwert_stunde, § 309 Nr. 5 a BGB), never the rate for extra
        # hours on top of an unchanged flat fee
        fee = {**fee, "stundensatz_zusatz": (values.get("ausfall") or {}).get("terminwert_stunde")}
    hours = inputs.get("dauer_stunden")
    day_count = inputs.get("dauer_tage")
    units = inputs.get("einheiten")
    if hours is not None and day_count is not None:
        raise _fail("--dauer-tage", "bitte nur --dauer-stunden oder --dauer-tage angeben, "
                    "nicht beides.")
    by_days = model is not None and model.appointment_by_days
    pay = (model.appointment(fee, hours=hours, days=day_count, units=units)
           if model is not None else None)
    if pay is None:
        if hours is None:
            raise _fail("--dauer-stunden", "fehlt (geplante Dauer des Termins in Stunden)"
                        + (" oder --dauer-tage (Arbeitstage)" if by_days else "") + ".")
        raise _fail("--dauer-stunden", "Im Vertrag ist kein "
                    + ("Wert einer Terminstunde (ausfall.terminwert_stunde)" if flat
                       else "Stundensatz") + " vereinbart, mit dem sich die Vergütung für den "
                    "Termin berechnen ließe.")
    words = _CALCULATION_WORDS.get(language.split("-")[0], _CALCULATION_WORDS["de"])
    locale = locale_of(language)
    unit_words = {"arbeitstag": words["day"],
                  "einheit": (str(fee.get("einheit_name") or words["unit"][0]),
                              str(fee.get("einheit_mehrzahl") or words["unit"][1]))}
    if pay.unit in unit_words:
        singular, plural = unit_words[pay.unit]
        count = (f"{format_number(pay.quantity, locale)} "
                 f"{singular if pay.quantity == 1 else plural}")
        shown = f"{count} × {format_money(pay.rate, locale)}"
    else:
        shown = (f"{format_number(pay.quantity, locale)} {words['hours']} × "
                 f"{format_money(pay.rate, locale)}")
        if pay.capped_at is not None:
            cap = str(words["cap"]).format(rate=words["daily"] if by_days else words["weekly"])
            shown += f", {cap} {format_money(pay.capped_at, locale)}"
    basis = pay.amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    amount = (basis * tier["prozent"] / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    counted = None
    included = model.included(values) if model is not None else None
    if pay.included_first and included:
        # a monthly fee: the share of the planned time counts against the hours still open this
        # month first; money only for what goes beyond them
        rest = inputs.get("stunden_rest")
        if rest is None:
            raise _fail("--stunden-rest", "fehlt: Wie viele der im Monatshonorar enthaltenen "
                        "Stunden sind in diesem Monat noch nicht abgerufen? Die ausgefallene Zeit "
                        "wird zuerst darauf angerechnet.")
        share = pay.quantity * tier["prozent"] / 100
        counted = min(share, rest)
        amount = ((share - counted) * pay.rate).quantize(_CENT, rounding=ROUND_HALF_UP)
    return {"nicht_erschienen": no_show, "tage_vorher": days,
            "stunden_vorher": (None if hours_before is None else
                               Decimal(str(hours_before)).quantize(Decimal("0.1"))),
            "prozent": tier["prozent"], "verguetung": basis, "rechnung": shown, "betrag": amount,
            "angerechnet": counted, "einheiten": pay.quantity if pay.unit == "einheit" else None}


# -- the mail -------------------------------------------------------------------------------
def build_mail(library: Library, answers: Answers, kind: str, inputs: Mapping[str, Any], *,
               contract: Document, today: dt.date) -> FollowUpMail:
    """The e-mail in the language(s) of the contract (`sprache`): for a bilingual contract
    both, the prevailing language first, the other in `FollowUpMail.translation`."""
    from dataclasses import replace

    from .model.bilingual import both
    from .render.languages import edition_for, language_of

    codes = language_of(answers.values, library)
    if library.source_root is not None or codes == (library.language.split("-")[0],):
        return _build_mail(library, answers, kind, inputs, contract=contract, today=today)
    first = _build_mail(edition_for(library, codes[0]), answers, kind, inputs,
                        contract=contract, today=today)
    if len(codes) == 1 or contract.bilingual is None:
        return first
    second = _build_mail(edition_for(library, codes[1]), answers, kind, inputs,
                         contract=contract.bilingual.other, today=today)
    return replace(first, translation=second,
                   frame=replace(first.frame, subject=both(first.frame.subject,
                                                           second.frame.subject)))


def _build_mail(library: Library, answers: Answers, kind: str, inputs: Mapping[str, Any], *,
                contract: Document, today: dt.date) -> FollowUpMail:
    """The e-mail as a model: body and quotes with § numbers resolved against `contract`."""
    from .model import EmailFrame
    from .render.clauses import parse_rendered, render_template
    from .render.context import template_context
    from .render.texts import LibraryTexts, recipient_name, signoff

    template = load_mail_template(library, kind)
    typed = check_inputs(template, inputs)
    target = next((s for s in contract.sections if s.clause_id == template.clause), None)
    if target is None:
        clause = library.clause(template.clause)
        title = clause.title if clause is not None else template.clause
        raise AnswersError(
            f"Die E-Mail „{kind}“ stützt sich auf die Klausel „{title}“, die bei diesen "
            "Antworten nicht im Vertrag steht.",
            (Problem("error", "Diese E-Mail passt nicht zu diesem Vertrag.", answers.source,
                     code="mail.clause-absent"),))
    context = template_context(library, answers)
    values = answers.values
    project = values.get("projekt") or {}
    computed = compute(kind, answers, typed, today=today, language=library.language)
    if "uebersicht" in computed:   # the contract's overview ("Honorar auf einen Blick")
        computed["uebersicht"] = [{"label": row.label, "wert": row.value}
                                  for row in contract.overview]
    signed = (values.get("unterschrift") or {}).get("datum")
    context.update(
        eingabe=typed, berechnet=computed, titel=project.get("titel"),
        vertrag=(library.wording.our_framework.replace(
                     "{datum}", format_date(signed, locale_of(library.language)))
                 if contract.kind == "rahmenvertrag" and signed else library.wording.our_agreement),
    )
    from .library.templates import compile_template

    source = str(template.path)

    def render(text: str, line: int, part: str) -> tuple[Paragraph, ...]:
        compiled = compile_template(text, template.path, line)
        return parse_rendered(render_template(compiled, context, f"{kind} ({part})"),
                              f"Mail {kind}", source, library.wording.quotes)

    body = render(template.body, template.body_line, "Text")
    subject = " ".join(plain_text(p.content) for p in render(
        template.subject, template.key_lines.get("betreff", 2), "betreff"))
    intro = render(template.quote_intro, template.key_lines.get("zitat_einleitung", 2),
                   "zitat_einleitung") if template.quote_intro else ()
    labels = template.labels or (None,)
    quoted = tuple(p for p in target.paragraphs if template.labels == () or p.label in labels)
    missing = [label for label in template.labels
               if not any(p.label == label for p in target.paragraphs)]
    if missing:
        raise LibraryError(f"Die Vorlage {template.path} zitiert den Absatz {missing[0]!r} der "
                           f"Klausel {template.clause!r}, den es nicht gibt.")
    references = Paragraph(content=tuple(Ref(template.clause, label) for label in labels))
    texts = LibraryTexts(library, context)
    resolved, broken = resolve_paragraphs(contract, (*body, *intro, references),
                                          Location(str(template.path), None, template.id))
    if broken:
        raise RenderError("Verweise in der E-Mail lassen sich nicht auflösen.", broken)
    refs = tuple(n for n in resolved[-1].content if isinstance(n, Ref))
    frame = EmailFrame(
        subject=subject, to=values["auftraggeber"]["email"],
        to_name=recipient_name(values["auftraggeber"]),
        sender=values["auftragnehmer"]["email"], sender_name=values["auftragnehmer"]["name"],
        greeting=texts.line("email_anrede"), intro=resolved[:len(body)], confirmation=(),
        closing=texts.line("email_gruss"),
        signoff=signoff(values["auftragnehmer"], locale_of(library.language)))
    return FollowUpMail(kind=kind, frame=frame,
                        quote_intro=resolved[len(body):len(body) + len(intro)],
                        quotes=(Quote(reference=_reference(refs, library.wording), title=target.title,
                                      paragraphs=quoted, refs=refs),),
                        wording=library.wording, lang=library.language)


def _reference(refs: tuple[Ref, ...], words: Wording) -> str:
    """The passage quoted, from the resolved references: "§ 6 Abs. 1 und 2" for paragraphs of
    one clause, else each reference as it reads, separated by commas."""
    first = refs[0] if refs else None
    if first is not None and first.number is not None and all(
            r.paragraph is not None and r.number == first.number for r in refs):
        return words.reference(first.number, first.annex,
                               tuple(r.paragraph for r in refs if r.paragraph is not None))
    return ", ".join(r.text for r in refs)

