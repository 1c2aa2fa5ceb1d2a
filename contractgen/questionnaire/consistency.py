"""Cross-field rules of the engagement terms: what single questions cannot check.

Run by the validator after every single answer has been checked (answers.validate_partial), on
answers files, `--set`, the interview and the web form alike. Each rule names the answer it is
about; the validator adds file and line. Errors here are answers that would make a clause void
or contradict each other (a milestone plan that does not add up to 100 %, a consumer contract
beyond § 309 Nr. 9 BGB, two notice periods that disagree); risky but valid answers are warnings
of `contractgen check` (risks.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..formatting import format_number, format_percent
from ..paths import value_at
from ..terms import fee_model_of
from ..terms.duration import (
    DEFAULT_WEEKS,
    NOTICE_UNITS,
    notice_period,
    renews_by_periods,
    term_type_of,
)

Finding = tuple[str, str, str, str]          # (level, key, message, code)
CONSUMER_MAX_MONTHS = 24                      # § 309 Nr. 9 a BGB
CONSUMER_MAX_NOTICE = {"tag": 30, "woche": 4, "monat": 1}   # § 309 Nr. 9 c BGB: one month
_UNIT_WORDS = {"tag": ("Tag", "Tage"), "woche": ("Woche", "Wochen"), "monat": ("Monat", "Monate")}


def _consumer(values: Mapping[str, Any]) -> bool:
    return bool(value_at(values, "auftraggeber.art") == "verbraucher")


def _werk(values: Mapping[str, Any]) -> bool:
    return values.get("vertragstyp") == "werkvertrag"


def _period(amount: Any, unit: str) -> str:
    singular, plural = _UNIT_WORDS[unit]
    return f"{format_number(amount)} {singular if amount == 1 else plural}"


# -- milestone plan and instalments -------------------------------------------------------------
def _plan(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    plan = [s for s in (value_at(values, "zahlung.plan") or []) if isinstance(s, Mapping)]
    if not plan:
        return
    percents = [s.get("prozent") for s in plan]
    if all(isinstance(p, Decimal) for p in percents):
        total = sum((p for p in percents if isinstance(p, Decimal)), Decimal(0))
        if total != 100:
            yield ("error", "zahlung.plan",
                   f"Die Anteile des Zahlungsplans ergeben zusammen {format_percent(total)}, "
                   "nicht 100 %. Bitte so verteilen, dass sie das ganze Honorar abdecken.",
                   "answers.plan-sum")
    events = [s.get("ereignis") for s in plan]
    for index, event in enumerate(events, start=1):
        key = f"zahlung.plan[{index}].ereignis"
        if event == "vertragsschluss" and any(e != "vertragsschluss" for e in events[:index - 1]):
            yield ("error", key, "Ein Meilenstein „bei Vertragsschluss“ kann nur am Anfang des "
                   "Plans stehen.", "answers.plan-order")
        if event in ("abnahme", "fertigstellung") and index != len(events):
            yield ("error", key, "Der Meilenstein bei "
                   + ("Abnahme" if event == "abnahme" else "Fertigstellung")
                   + " ist der letzte des Plans; danach kann keiner mehr folgen.",
                   "answers.plan-order")
        if event == "abnahme" and not _werk(values):
            yield ("error", key, "Eine Abnahme gibt es nur beim Werkvertrag; beim Dienstvertrag "
                   "ist der letzte Teil „fertigstellung“ (nach Erbringung der Leistungen).",
                   "answers.plan-event")
    if _werk(values) and events and events[-1] != "abnahme":
        yield ("error", f"zahlung.plan[{len(events)}].ereignis",
               "Beim Werkvertrag wird die Vergütung erst mit der Abnahme fällig (§ 641 BGB): der "
               "letzte Meilenstein des Plans muss „abnahme“ sein.", "answers.plan-event")
    if _consumer(values) and _werk(values):
        for index, step in enumerate(plan, start=1):
            if step.get("ereignis") == "vertragsschluss" and step.get("prozent"):
                yield ("error", f"zahlung.plan[{index}].ereignis",
                       "Gegenüber einem Verbraucher darf ein Werkvertrag keine Zahlung vor "
                       "jeder Leistung verlangen: Abschläge höchstens in Höhe des Werts der "
                       "erbrachten Leistungen (§ 632a Abs. 1, § 309 Nr. 15 a BGB). Den ersten "
                       "Teil bitte an ein Zwischenergebnis knüpfen (ereignis: freigabe).",
                       "answers.plan-consumer")
    if value_at(values, "honorar.anzahlung_prozent"):
        yield ("error", "honorar.anzahlung_prozent",
               "Anzahlung und Zahlungsplan zugleich: bitte die Anzahlung als ersten Meilenstein "
               "des Plans angeben (ereignis: vertragsschluss) und honorar.anzahlung_prozent "
               "weglassen.", "answers.plan-deposit")
    if value_at(values, "zahlung.raten"):
        yield ("error", "zahlung.raten",
               "Raten und Zahlungsplan zugleich: bitte nur eines von beiden vereinbaren.",
               "answers.plan-instalments")


# -- term and notice ---------------------------------------------------------------------------
def _notice(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    """kuendigung.frist with kuendigung.einheit takes precedence over kuendigung.frist_wochen;
    a frist_wochen written down with another value than its default (four weeks, which every
    answers file written by `contractgen new` holds) contradicts it and is refused."""
    notice = value_at(values, "kuendigung") or {}
    amount, unit = notice.get("frist"), NOTICE_UNITS.get(notice.get("einheit") or "wochen")
    weeks = notice.get("frist_wochen")
    if (amount is not None and unit is not None and weeks is not None
            and "kuendigung.frist_wochen" in stated and weeks != DEFAULT_WEEKS
            and not (unit == "woche" and amount == weeks)):
        yield ("error", "kuendigung.frist_wochen",
               f"widerspricht kuendigung.frist und kuendigung.einheit ({_period(amount, unit)}). "
               "Bitte nur eine Angabe machen: kuendigung.frist mit kuendigung.einheit gilt vor "
               f"kuendigung.frist_wochen ({_period(weeks, 'woche')}).", "answers.notice-conflict")
    if value_at(values, "laufzeit.art") == "projekt" and not values.get("projekt"):
        yield ("error", "laufzeit.art",
               "„Bis das Projekt abgeschlossen ist“ braucht ein Projekt (Abschnitt projekt); ein "
               "Rahmenvertrag ohne Projekt läuft unbefristet, befristet oder mit Mindestlaufzeit.",
               "answers.term-project")
    effective = notice.get("zum")
    if effective == "laufzeitende" and not renews_by_periods(values):
        yield ("error", "kuendigung.zum",
               "„zum Ende der Laufzeit“ gibt es nur bei einer Mindestlaufzeit, die sich um "
               "feste Zeiträume verlängert (laufzeit.art: mindestlaufzeit, laufzeit.verlaengerung: "
               "monate).", "answers.notice-effective")
    if (renews_by_periods(values) and "kuendigung.zum" in stated
            and effective not in (None, "laufzeitende")):
        yield ("error", "kuendigung.zum",
               "Verlängert sich der Vertrag um feste Zeiträume, wirkt eine Kündigung immer zum "
               "Ende der laufenden Mindest- oder Verlängerungszeit. Bitte kuendigung.zum weglassen "
               "oder „laufzeitende“ angeben.", "answers.notice-effective")


def _start(values: Mapping[str, Any]) -> dt.date | None:
    for path in ("laufzeit.beginn", "unterschrift.datum", "projekt.beginn"):
        value = value_at(values, path)
        if isinstance(value, dt.date):
            return value
    return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:           # 29 February
        return day.replace(year=day.year + years, day=28)


def _consumer_term(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    """§ 309 Nr. 9 BGB for contracts about regular services with consumers."""
    if not _consumer(values):
        return
    term = term_type_of(values)
    key = term.key if term is not None else None
    months = value_at(values, "laufzeit.mindest_monate")
    if key == "mindestlaufzeit" and isinstance(months, int) and months > CONSUMER_MAX_MONTHS:
        yield ("error", "laufzeit.mindest_monate",
               f"Eine Mindestlaufzeit von {format_number(months)} Monaten bindet einen "
               "Verbraucher länger als zwei Jahre; die Klausel wäre unwirksam (§ 309 Nr. 9 a "
               "BGB). Höchstens 24 Monate.", "answers.consumer-term")
    if key == "mindestlaufzeit" and value_at(values, "laufzeit.verlaengerung") == "monate":
        yield ("error", "laufzeit.verlaengerung",
               "Gegenüber einem Verbraucher darf sich der Vertrag nach der Mindestlaufzeit nur "
               "auf unbestimmte Zeit verlängern, mit einer Kündigungsfrist von höchstens einem "
               "Monat (§ 309 Nr. 9 b BGB). Bitte laufzeit.verlaengerung: unbefristet.",
               "answers.consumer-term")
    end, start = value_at(values, "laufzeit.ende"), _start(values)
    if (key == "befristet" and isinstance(end, dt.date) and isinstance(start, dt.date)
            and end > _add_years(start, 2)):
        yield ("error", "laufzeit.ende",
               f"Eine feste Laufzeit bis {end:%d.%m.%Y} bindet einen Verbraucher länger als zwei "
               "Jahre ab Beginn; die Klausel wäre unwirksam (§ 309 Nr. 9 a BGB).",
               "answers.consumer-term")
    notice = value_at(values, "kuendigung") or {}
    unit = NOTICE_UNITS.get(notice.get("einheit") or "wochen")
    amount = notice.get("frist")
    if amount is not None and unit is not None and amount > CONSUMER_MAX_NOTICE[unit]:
        yield ("error", "kuendigung.frist",
               f"Eine Kündigungsfrist von {_period(amount, unit)} ist gegenüber einem "
               "Verbraucher länger als ein Monat und damit unwirksam (§ 309 Nr. 9 c BGB). "
               "Höchstens 30 Tage, vier Wochen oder ein Monat.", "answers.consumer-notice")
    period = notice_period(values)
    if key == "mindestlaufzeit" and period is not None and period["zum"] != "jederzeit":
        yield ("error", "kuendigung.zum",
               "Nach der Mindestlaufzeit muss ein Verbraucher jederzeit mit höchstens einem Monat "
               "Frist kündigen können, nicht nur zu einem Monats- oder Quartalsende "
               "(§ 309 Nr. 9 b BGB). Bitte kuendigung.zum: jederzeit.", "answers.consumer-notice")


# -- fee models ---------------------------------------------------------------------------------
def _units(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    count, free = value_at(values, "honorar.einheiten_anzahl"), value_at(values, "honorar.probe_einheiten")
    if isinstance(count, int) and isinstance(free, int) and free >= count:
        yield ("error", "honorar.probe_einheiten",
               f"{format_number(free)} kostenfreie Einheiten bei {format_number(count)} "
               "vereinbarten: Mindestens eine Einheit muss berechnet werden.",
               "answers.trial-units")


def _rhythm(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    if value_at(values, "zahlung.rhythmus") != "voraus":
        return
    model = fee_model_of(values)
    flags = model.flags if model is not None else frozenset()
    if not flags & {"wochenhonorar", "einheitshonorar"}:
        yield ("error", "zahlung.rhythmus",
               "Im Voraus lässt sich nur ein fester Betrag berechnen (Wochenhonorar oder eine "
               "vereinbarte Zahl von Einheiten); Stunden und Tage werden nach Aufwand abgerechnet.",
               "answers.rhythm")
    elif "einheitshonorar" in flags and value_at(values, "honorar.einheiten_anzahl") is None:
        yield ("error", "zahlung.rhythmus",
               "Im Voraus berechnen lässt sich nur eine vereinbarte Zahl von Einheiten: bitte "
               "honorar.einheiten_anzahl angeben.", "answers.rhythm")


def _tiers(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    """Cancellation tiers in days or in hours: each tier one of them, in descending order
    (the validator checks pure day tiers itself)."""
    tiers = [t for t in (value_at(values, "ausfall.staffel") or []) if isinstance(t, Mapping)]
    hours: list[int] = []
    for index, tier in enumerate(tiers, start=1):
        days, within = tier.get("tage_vorher"), tier.get("stunden_vorher")
        if (days is None) == (within is None):
            yield ("error", f"ausfall.staffel[{index}]",
                   "Je Stufe bitte genau eine Angabe: tage_vorher (Kalendertage) oder "
                   "stunden_vorher (Stunden vor Beginn des Termins).", "answers.tier-unit")
            return
        hours.append(int(days) * 24 if days is not None else int(within or 0))
    if not any(t.get("stunden_vorher") is not None for t in tiers):
        return
    if any(a <= b for a, b in zip(hours, hours[1:], strict=False)):
        yield ("error", "ausfall.staffel",
               "Die Stufen müssen vom frühesten zum spätesten Zeitpunkt geordnet sein, ohne "
               "doppelte (z. B. erst 7 Tage, dann 24 Stunden).", "answers.order")
    percents = [t.get("prozent") for t in tiers]
    shares = [p for p in percents if isinstance(p, Decimal)]
    if len(shares) == len(percents) and any(
            a > b for a, b in zip(shares, shares[1:], strict=False)):
        yield ("error", "ausfall.staffel",
               "Je näher der Termin, desto höher darf der Anteil sein, nicht niedriger: die "
               "Prozentwerte müssen von Stufe zu Stufe gleich bleiben oder steigen.",
               "answers.order")


def _creditor_id(values: Mapping[str, Any], stated: set[str]) -> Iterator[Finding]:
    value = value_at(values, "zahlung.glaeubiger_id")
    if isinstance(value, str) and not creditor_id_ok(value):
        yield ("error", "zahlung.glaeubiger_id",
               f"{value!r}: Die Prüfziffern der Gläubiger-Identifikationsnummer stimmen nicht "
               "(Tippfehler?). Sie steht im Schreiben der Bundesbank, z. B. DE98ZZZ09999999999.",
               "answers.creditor-id")


def creditor_id_ok(value: str) -> bool:
    """SEPA creditor identifier: check digits over the national part and the country code
    (ISO 7064 mod 97-10, the business code in positions 5-7 is not part of it)."""
    compact = value.replace(" ", "").upper()
    if len(compact) < 8 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    rearranged = compact[7:] + compact[:2] + compact[2:4]
    try:
        digits = "".join(str(int(char, 36)) for char in rearranged)
    except ValueError:
        return False
    return int(digits) % 97 == 1


RULES: tuple[Callable[[Mapping[str, Any], set[str]], Iterator[Finding]], ...] = (
    _plan, _notice, _consumer_term, _units, _rhythm, _tiers, _creditor_id,
)


def cross_field_problems(values: Mapping[str, Any], stated: set[str]) -> list[Finding]:
    """Every finding of the rules; `stated` holds the key paths the user wrote down (answers file
    or --set), as opposed to defaults and values the interview filled in."""
    return [finding for rule in RULES for finding in rule(values, stated)]
