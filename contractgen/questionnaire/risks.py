"""Warnings on risky but valid answers, grounded in the legal fact sheet (legal-facts.md).

Each rule looks at the validated answers and returns Problems with level "warning" (or "info"
for a plain note), the key path, the file line and the statute. All German wording of the
rules lives here, so a lawyer can review it in one place. These are hints, not legal advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import Level, Location, Problem
from ..formatting import format_number
from ..terms import fee_model_of, term_type_of
from ..terms.duration import notice_period
from .answers import Answers

# A tier that starts this many days or more before the appointment leaves practically no free
# cancellation window (market practice: 24–48 h for sessions, up to 30 days for courses).
FREE_WINDOW_DAYS = 30
FULL_FEE_MAX_DAYS = 7                 # 100 % more than a week ahead: beyond the typical loss
CONSUMER_PAYMENT_DAYS = 30            # § 286 Abs. 3 BGB: default 30 days after invoice
BUSINESS_PAYMENT_DAYS = 60            # § 271a Abs. 1 BGB
KLEINUNTERNEHMER_LIMIT = Decimal("100000")   # § 19 Abs. 1 UStG (current year)
WITHDRAWAL_DAYS = 14                  # § 355 Abs. 2 BGB
BUSINESS_LONG_MONTHS = 24             # binding longer than this: § 307 BGB scrutiny in B2B too
SIGNING_SHARE = Decimal("30")         # more than this paid before any work (L14 of the review)
CAUSE_MIN_DAYS = 14                   # a named reason for cause shorter than this is doubtful


@dataclass(frozen=True)
class Rule:
    id: str
    check: Callable[[Answers, dt.date], Iterator[tuple[str, str, str]]]  # (level, key, message)


def _consumer(answers: Answers) -> bool:
    return bool(answers.get("auftraggeber.art") == "verbraucher")


def _tiers(answers: Answers) -> list[dict[str, Any]]:
    tiers = answers.get("ausfall.staffel") or []
    return [t for t in tiers if isinstance(t, dict)]


def _full_fee_early(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    for index, tier in enumerate(_tiers(answers), start=1):
        days, percent = tier.get("tage_vorher"), tier.get("prozent")
        if days is not None and percent is not None and percent >= 100 and days > FULL_FEE_MAX_DAYS:
            yield ("warning", f"ausfall.staffel[{index}].prozent",
                   f"100 % Ausfallhonorar schon bei Absage weniger als {days} Tage vor dem Termin: "
                   "so früh kann der Termin meist noch anders vergeben werden; die Pauschale "
                   "übersteigt dann den typischen Schaden und ist unwirksam "
                   "(§ 309 Nr. 5 a, § 308 Nr. 7 a BGB; ersparte Aufwendungen § 615 S. 2 BGB).")


def _no_free_window(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    for index, tier in enumerate(_tiers(answers), start=1):
        days = tier.get("tage_vorher")
        if days is not None and days >= FREE_WINDOW_DAYS:
            yield ("warning", f"ausfall.staffel[{index}].tage_vorher",
                   f"Ausfallhonorar schon ab {days} Tagen vor dem Termin: damit bleibt praktisch "
                   "kein kostenfreies Absagefenster. Üblich sind wenige Tage; eine zu frühe "
                   "Pauschale übersteigt den typischen Schaden "
                   "(§ 309 Nr. 5 a, § 308 Nr. 7 a BGB).")


def _flat(answers: Answers) -> bool:
    """A flat fee (the fee model's flag `pauschal`, terms/fees.py)."""
    model = fee_model_of(answers.values)
    return model is not None and "pauschal" in model.flags


def _flat_fee_no_rounds(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _flat(answers) and answers.get("korrekturen.inklusive_runden") == 0:
        yield ("warning", "korrekturen.inklusive_runden",
               "Pauschalhonorar ohne jede Korrekturschleife: jede Änderungsbitte wird extra "
               "berechnet – das führt leicht zu Streit; üblich sind zwei (Marktpraxis). "
               "Die Beseitigung von Mängeln bleibt trotzdem kostenlos geschuldet und zählt nie "
               "als Korrekturschleife (§ 635 BGB; § 309 Nr. 8 b, § 307 BGB).")


def _payment_term(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    days = answers.get("zahlung.ziel_tage")
    if days is None:
        return
    if _consumer(answers) and days > CONSUMER_PAYMENT_DAYS:
        yield ("warning", "zahlung.ziel_tage",
               f"Zahlungsziel von {days} Tagen gegenüber einem Verbraucher: ungewöhnlich lang; "
               "der Verzug tritt dann erst nach diesem Ziel ein statt spätestens 30 Tage nach "
               "Rechnungszugang (§ 286 Abs. 3 BGB). Üblich sind 14 Tage.")
    elif not _consumer(answers) and days > BUSINESS_PAYMENT_DAYS:
        yield ("warning", "zahlung.ziel_tage",
               f"Zahlungsziel von {days} Tagen gegenüber einem Unternehmer: mehr als 60 Tage "
               "sind nur wirksam, wenn sie ausdrücklich vereinbart und für Sie nicht grob "
               "unbillig sind (§ 271a Abs. 1 BGB).")


def _consumer_deposit(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    percent = answers.get("honorar.anzahlung_prozent")
    if (_consumer(answers) and answers.get("vertragstyp") == "werkvertrag"
            and _flat(answers) and percent):
        yield ("warning", "honorar.anzahlung_prozent",
               f"Anzahlung von {percent} % in einem Werkvertrag mit einem Verbraucher: "
               "Abschläge dürfen in AGB nicht wesentlich höher sein als der Wert der bereits "
               "erbrachten Leistung; eine Vorauszahlung vor Arbeitsbeginn ist riskant "
               "(§ 309 Nr. 15 a, § 632a Abs. 1 BGB).")


# words of a result meant as a mark, logo or design: § 40a Abs. 3 Nr. 3 UrhG excludes the
# ten-year right of the author for such works; and results that are typically protected works
MARK_WORDS = ("logo", "signet", "marke", "kennzeichen", "corporate design", "design",
              "geschmacksmuster", "bildmarke", "wortmarke", "markenauftritt")
WORK_WORDS = (*MARK_WORDS, "entwurf", "entwürfe", "gestaltung", "illustration", "foto",
              "grafik", "layout", "website", "webseite", "text")


def _results_text(answers: Answers) -> str:
    """What the answers say the results are for: the services, the project title and the
    stated purpose of the usage rights, in lower case."""
    parts = [str(s) for s in answers.get("projekt.leistungen") or []]
    parts += [str(answers.get("projekt.titel") or ""), str(answers.get("nutzungsrechte.zweck") or "")]
    return f" {' '.join(parts).lower()} "


def _for_a_mark(answers: Answers) -> bool:
    return any(word in _results_text(answers) for word in MARK_WORDS)


def _exclusive_lump_sum(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    # § 40a Abs. 3 Nr. 3 UrhG: not for a work meant for a mark, logo or design – no hint there
    if (answers.get("nutzungsrechte.art") == "ausschliesslich" and _flat(answers)
            and not _for_a_mark(answers)):
        yield ("info", "nutzungsrechte.art",
               "Ausschließliches Nutzungsrecht gegen ein Pauschalhonorar: Nach zehn Jahren darf "
               "der Urheber das Werk anderweitig verwerten, der Auftraggeber behält ein "
               "einfaches Recht (§ 40a Abs. 1 UrhG). Das gilt nicht für Werke, die für eine "
               "Marke, ein Logo oder ein Design bestimmt sind (§ 40a Abs. 3 Nr. 3 UrhG) – "
               "nennen Sie diesen Zweck, wenn er zutrifft.")


def _work_without_rights(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if (answers.get("vertragstyp") == "werkvertrag" and not answers.get("nutzungsrechte")
            and any(word in _results_text(answers) for word in WORK_WORDS)):
        yield ("warning", "vertragstyp",
               "Werkvertrag über ein Logo, eine Gestaltung oder ein anderes geschütztes Ergebnis "
               "ohne Nutzungsrechte: Der Vertrag sagt dann nicht, wie der Auftraggeber das "
               "Ergebnis nutzen darf; im Streit gilt nur, was der Vertragszweck unbedingt "
               "erfordert (§ 31 Abs. 5 UrhG). Geben Sie nutzungsrechte an (Art, Gebiet, Dauer, "
               "Zweck).")


RATE_FACTOR = Decimal(10)             # an order of magnitude apart: probably a typing error


def _hourly_equivalent(answers: Answers) -> tuple[Decimal, str] | None:
    """The fee per hour the model implies, with words for it (week or month with hours)."""
    model = fee_model_of(answers.values)
    fee = answers.get("honorar.betrag")
    if model is None or not isinstance(fee, Decimal):
        return None
    if "wochenhonorar" in model.flags:
        hours = answers.get("honorar.stunden_pro_woche")
        if isinstance(hours, Decimal) and hours > 0:
            return fee / hours, f"Wochensatz ÷ {format_number(hours)} Stunden"
    if "monatshonorar" in model.flags:
        hours = answers.get("honorar.inklusive_stunden")
        if isinstance(hours, Decimal) and hours > 0:
            return fee / hours, f"Monatshonorar ÷ {format_number(hours)} enthaltene Stunden"
    return None


def _implausible_rates(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    extra = answers.get("honorar.stundensatz_zusatz")
    fee = answers.get("honorar.betrag")
    if isinstance(extra, Decimal):
        implied = _hourly_equivalent(answers)
        if implied is not None:
            hourly, how = implied
            if extra > hourly * RATE_FACTOR or extra * RATE_FACTOR < hourly:
                yield ("warning", "honorar.stundensatz_zusatz",
                       f"Der Stundensatz für zusätzlichen Aufwand ({format_number(extra)} €) "
                       f"weicht um mehr als das Zehnfache vom Satz je Stunde ab, den das Honorar "
                       f"ergibt ({how} = {format_number(hourly.quantize(Decimal('0.01')))} "
                       "€): ein Tippfehler? Ein überraschend hoher Satz ist in AGB angreifbar "
                       "(§ 305c Abs. 1, § 307 BGB).")
        elif _flat(answers) and isinstance(fee, Decimal) and extra >= fee:
            yield ("warning", "honorar.stundensatz_zusatz",
                   f"Eine zusätzliche Stunde ({format_number(extra)} €) kostet so viel wie der "
                   f"ganze Auftrag ({format_number(fee)} €): ein Tippfehler? Ein überraschend "
                   "hoher Satz ist in AGB angreifbar (§ 305c Abs. 1, § 307 BGB).")
    round_price = answers.get("korrekturen.preis_runde")
    if _flat(answers) and isinstance(round_price, Decimal) and isinstance(fee, Decimal) \
            and round_price >= fee:
        yield ("warning", "korrekturen.preis_runde",
               f"Eine weitere Korrekturschleife ({format_number(round_price)} €) kostet so viel "
               f"wie der ganze Auftrag ({format_number(fee)} €): ein Tippfehler? (§ 305c Abs. 1, "
               "§ 307 BGB)")


CONSUMER_DEPOSIT_PERCENT = Decimal(50)


def _consumer_high_deposit(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    # a Werkvertrag with a consumer is warned about any deposit (anzahlung-verbraucher-werk)
    percent = answers.get("honorar.anzahlung_prozent")
    if (_consumer(answers) and answers.get("vertragstyp") != "werkvertrag"
            and isinstance(percent, Decimal) and percent > CONSUMER_DEPOSIT_PERCENT):
        yield ("warning", "honorar.anzahlung_prozent",
               f"Anzahlung von {format_number(percent)} % von einem Verbraucher: Mehr als die "
               "Hälfte vor der Leistung ist in AGB unangemessen (§ 307 Abs. 1 BGB), und nach "
               "einem Widerruf oder einer Kündigung ist das nicht Verdiente zu erstatten "
               "(§ 357 Abs. 1, § 628 Abs. 1 S. 3 BGB). Üblich sind bis zu 30 %.")


def _kleinunternehmer_limit(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    amount = answers.get("honorar.betrag")
    if (answers.get("auftragnehmer.kleinunternehmer") and _flat(answers)
            and amount is not None and amount > KLEINUNTERNEHMER_LIMIT):
        yield ("warning", "honorar.betrag",
               "Kleinunternehmer mit einem Pauschalhonorar über 100.000 €: schon mit diesem "
               "Auftrag wird die Umsatzgrenze des laufenden Jahres überschritten; die "
               "Steuerbefreiung endet bereits für diesen Umsatz (§ 19 Abs. 1 UStG). "
               "Bitte steuerlich beraten lassen.")


def _early_start(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if not _consumer(answers) or answers.get("vertragsschluss") not in ("fernabsatz", "ausserhalb"):
        return
    start = answers.get("projekt.beginn")
    signed = answers.get("unterschrift.datum") or today
    if isinstance(start, dt.date) and (start - signed).days < WITHDRAWAL_DAYS:
        yield ("warning", "projekt.beginn",
               f"Beginn am {start:%d.%m.%Y}, weniger als 14 Tage nach Vertragsschluss "
               f"({signed:%d.%m.%Y}): der Verbraucher kann noch widerrufen. Beginnen Sie erst, "
               "wenn er den vorzeitigen Beginn ausdrücklich verlangt hat (bei Verträgen "
               "außerhalb von Geschäftsräumen auf einem dauerhaften Datenträger); sonst "
               "schuldet er bei einem Widerruf keinen Wertersatz "
               "(§ 356 Abs. 4 Nr. 2, § 357a Abs. 2 BGB).")


# -- issue 13 (legal review 2026-12): minor findings that a hint can carry -----------------------
BUSINESS_DEPOSIT_PERCENT = Decimal(30)        # L14: § 309 Nr. 15 as an indication in B2B (§ 307)
DAY_RATE_TOLERANCE = Decimal("0.1")            # L15: hourly rate × hours vs day rate, ±10 %
# L6: words that name a result rather than an activity
RESULT_WORDS = ("logo", "entwurf", "entwürfe", "website", "webseite", "gestaltung von",
                "erstellung", "programmierung", " text ", " texte ", "broschüre", "flyer",
                " app ", "software", "illustration")


def _offer_deadline(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    until = answers.get("angebot_gueltig_bis")
    if not isinstance(until, dt.date):
        return
    start = answers.get("projekt.beginn")
    if until < today:
        yield ("warning", "angebot_gueltig_bis",
               f"Das Angebot gilt bis zum {until:%d.%m.%Y}, einem Tag vor heute: eine Annahme "
               "danach ist ein neues Angebot, das Sie erst bestätigen müssten (§§ 148, 150 Abs. 1 "
               "BGB).")
    elif isinstance(start, dt.date) and until > start:
        yield ("warning", "angebot_gueltig_bis",
               f"Das Angebot gilt bis zum {until:%d.%m.%Y}, länger als bis zum Beginn am "
               f"{start:%d.%m.%Y}: Ohne Annahme beginnen Sie nicht (§ 148 BGB). Frist kürzen "
               "oder Beginn verschieben.")


def _appointment_value(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    value = answers.get("ausfall.terminwert_stunde")
    extra = answers.get("honorar.stundensatz_zusatz")
    if isinstance(value, Decimal) and isinstance(extra, Decimal) and value > extra:
        yield ("warning", "ausfall.terminwert_stunde",
               "Der Wert einer Terminstunde im Pauschalhonorar liegt über Ihrem Satz für "
               "zusätzlichen Aufwand: Das ist selten plausibel, und ein Ausfallhonorar darf den "
               "typischerweise entstehenden Ausfall nicht übersteigen (§ 309 Nr. 5 a BGB).")


def _service_with_results(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if answers.get("vertragstyp") != "dienstvertrag":
        return
    for index, item in enumerate(answers.get("projekt.leistungen") or [], start=1):
        text = f" {str(item).lower()} "
        if any(word in text for word in RESULT_WORDS):
            yield ("warning", f"projekt.leistungen[{index}]",
                   f"„{item}“ klingt nach einem Ergebnis, vereinbart ist aber ein Dienstvertrag: "
                   "Ob Werk- oder Dienstvertrag, entscheidet der Inhalt, nicht die Bezeichnung "
                   "(BGH X ZR 27/01). Wird ein Ergebnis geschuldet, vertragstyp: werkvertrag wählen.")
            return


def _business_deposit(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    percent = answers.get("honorar.anzahlung_prozent")
    if (not _consumer(answers) and answers.get("vertragstyp") == "werkvertrag"
            and isinstance(percent, Decimal) and percent > BUSINESS_DEPOSIT_PERCENT):
        yield ("warning", "honorar.anzahlung_prozent",
               f"Anzahlung von {format_number(percent)} % bei Unterzeichnung: Abschläge über den "
               "Wert der erbrachten Leistung sind auch gegenüber Unternehmern angreifbar (§ 309 "
               "Nr. 15, § 307 BGB). Üblich sind höchstens 30 % oder Abschläge nach Phasen.")


def _day_rate(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    model = fee_model_of(answers.values)
    if model is None or "tageshonorar" not in model.flags:
        return
    day, hourly = answers.get("honorar.betrag"), answers.get("honorar.stundensatz_zusatz")
    hours = answers.get("honorar.stunden_pro_tag") or Decimal(8)
    if not isinstance(day, Decimal) or not isinstance(hourly, Decimal):
        return
    full = hourly * Decimal(hours)
    if abs(full - day) > day * DAY_RATE_TOLERANCE:
        yield ("warning", "honorar.stundensatz_zusatz",
               f"Stundensatz × {format_number(Decimal(hours))} Stunden ergibt {format_number(full)} "
               f"€, der Tagessatz ist {format_number(day)} €: Teilarbeitstage werden nach dem "
               "Stundensatz berechnet, dann kosten fast volle Tage viel weniger oder mehr als ein "
               "Tagessatz. Beide Sätze aufeinander abstimmen.")


def _consumer_notes(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if not _consumer(answers):
        return
    yield ("info", "auftraggeber.art",
           "Rechnungen an Verbraucher: Hinweis, dass der Verbraucher spätestens 30 Tage nach "
           "Fälligkeit und Zugang in Verzug kommt (§ 286 Abs. 3 BGB), Umsatzsteuer gesondert "
           "ausweisen (§ 14 Abs. 4 UStG). Lässt sich ein Streit nicht beilegen, nennen Sie dem "
           "Verbraucher in Textform eine zuständige Verbraucherschlichtungsstelle (§ 37 VSBG).")


def _status_note(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _consumer(answers) or answers.get("vertragsart") != "rahmenvertrag":
        return
    yield ("info", "vertragsart",
           "Rahmenvertrag mit einem Unternehmen: Maßgeblich für die Selbständigkeit ist die "
           "tatsächliche Zusammenarbeit, nicht der Vertrag. Bei Zweifeln klärt das "
           "Statusfeststellungsverfahren (§ 7a SGB IV); arbeiten Sie ohne Angestellte im "
           "Wesentlichen für einen Auftraggeber, kann Rentenversicherungspflicht bestehen "
           "(§ 2 Nr. 9 SGB VI).")


# -- the deal options (issue 11) ------------------------------------------------------------------
CONSUMER_ACCEPTANCE_DAYS = 10         # working days: below this a consumer's test period is short
SHORT_FEEDBACK_DAYS = 3               # working days to answer drafts and questions
LONG_CONFIDENTIALITY_YEARS = 5


def _cap_below_fee(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    cap, fee = answers.get("haftung.je_schadensfall"), answers.get("honorar.betrag")
    if answers.get("haftung.begrenzung") == "summe" and cap is not None and _flat(answers) \
            and fee is not None and cap < fee:
        yield ("warning", "haftung.je_schadensfall",
               f"Haftungshöchstbetrag ({format_number(cap)} €) unter dem Honorar "
               f"({format_number(fee)} €): er deckt kaum den Schaden, mit dem man bei diesem "
               "Auftrag rechnen muss. Bei wesentlichen Pflichten haften Sie dann trotzdem bis "
               "zum typischen Schaden, und ein zu niedriger Betrag kann die ganze Begrenzung "
               "unwirksam machen (§ 307 Abs. 2 Nr. 2 BGB). Üblich ist mindestens das Honorar "
               "oder die Deckungssumme Ihrer Berufshaftpflichtversicherung.")


def _cap_without_insurance(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    cap, insured = answers.get("haftung.je_schadensfall"), answers.get("haftung.versicherung_summe")
    if answers.get("haftung.begrenzung") == "summe" and cap is not None and insured is not None \
            and insured < cap:
        yield ("info", "haftung.versicherung_summe",
               f"Ihre Versicherung deckt {format_number(insured)} € je Schadensfall, der "
               f"Höchstbetrag liegt bei {format_number(cap)} €: den Rest tragen Sie selbst; Ihre "
               "Haftung folgt dem Vertrag und dem Gesetz (§§ 276, 249 BGB), nicht der "
               "Versicherung.")


def _short_acceptance(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    days = answers.get("abnahme.pruefung_werktage")
    if days is not None and _consumer(answers) and days < CONSUMER_ACCEPTANCE_DAYS \
            and answers.get("vertragstyp") == "werkvertrag":
        yield ("warning", "abnahme.pruefung_werktage",
               f"Nur {days} Werktage zur Prüfung für einen Verbraucher: Die Frist nach § 640 "
               "Abs. 2 BGB muss angemessen sein, sonst gilt das Ergebnis nach ihrem Ablauf nicht "
               "als abgenommen. Üblich und sicher sind zehn Werktage.")


def _consumer_deemed_acceptance(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _consumer(answers) and answers.get("vertragstyp") == "werkvertrag" \
            and answers.get("abnahme.fiktion"):
        yield ("info", "abnahme.fiktion",
               "Abnahmefiktion gegenüber einem Verbraucher: Sie wirkt nur, wenn Sie die Frist "
               "nach der Fertigstellung setzen und in der Bitte um Abnahme in Textform auf die "
               "Folge hinweisen, dass das Ergebnis ohne Mängelrüge als abgenommen gilt "
               "(§ 640 Abs. 2 S. 2 BGB). Ohne diesen Hinweis tritt sie nicht ein.")


def _short_feedback(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    days = answers.get("mitwirkung.rueckmeldung_arbeitstage")
    if days is not None and days < SHORT_FEEDBACK_DAYS:
        yield ("warning", "mitwirkung.rueckmeldung_arbeitstage",
               f"Nur {days} Arbeitstag(e) für Rückmeldungen: kaum zu schaffen; verschieben Sie "
               "deshalb Termine, wenn der Auftraggeber sie nicht einhält, kann eine so kurze "
               "Frist als unangemessen gelten (§ 307 BGB). Üblich sind fünf Arbeitstage.")


def _non_compete(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if answers.get("leistungserbringung.wettbewerb"):
        yield ("info", "leistungserbringung.wettbewerb",
               "Wettbewerbsverbot: Es gilt nur, solange ein Auftrag läuft, und nur für die "
               "genannten Wettbewerber. Halten Sie den Kreis eng: Wer faktisch nur für einen "
               "Auftraggeber arbeiten darf, wirkt abhängig beschäftigt (§ 7 SGB IV) und kann "
               "rentenversicherungspflichtig sein (§ 2 Nr. 9 SGB VI).")


def _in_person(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if answers.get("leistungserbringung.dritte") == "persoenlich":
        yield ("info", "leistungserbringung.dritte",
               "Persönliche Leistungspflicht: Sie dürfen nur Hilfskräfte für untergeordnete "
               "Arbeiten einsetzen. Wählen Sie das nur, wenn es auf Ihre Person ankommt (z. B. "
               "Coaching); eine streng persönliche Pflicht ist ein Merkmal abhängiger "
               "Beschäftigung (§ 7 SGB IV).")


def _no_credit(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if answers.get("nutzungsrechte.urhebervermerk") == "keine":
        yield ("info", "nutzungsrechte.urhebervermerk",
               "Keine Urhebernennung: Sie bestimmen damit, dass Sie nicht genannt werden "
               "(§ 13 S. 2 UrhG); Urheber bleiben Sie. Als Referenz zeigen dürfen Sie die "
               "Ergebnisse nur, wenn das vereinbart ist.")


def _trademark_simple(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    uses = answers.get("nutzungsrechte.nutzungsarten") or []
    if answers.get("nutzungsrechte.art") == "einfach" and any(
            isinstance(u, dict) and u.get("art") == "kennzeichen" for u in uses):
        yield ("warning", "nutzungsrechte.art",
               "Nutzung als Kennzeichen (Marke oder Design) mit nur einfachem Nutzungsrecht: "
               "Der Auftraggeber kann dann anderen die Nutzung nicht verbieten, und eine "
               "Anmeldung als Marke steht auf unsicherem Grund. Für ein Logo ist das "
               "ausschließliche Nutzungsrecht üblich (§ 31 Abs. 3 UrhG).")


def _print_run_online(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    uses = answers.get("nutzungsrechte.nutzungsarten") or []
    for index, use in enumerate(uses, start=1):
        if isinstance(use, dict) and use.get("auflage") and use.get("art") in (
                "online", "social_media", "intern", "video"):
            yield ("warning", f"nutzungsrechte.nutzungsarten[{index}].auflage",
                   "Eine Auflage begrenzt nur gedruckte oder hergestellte Stücke; bei Online- "
                   "oder interner Nutzung bleibt sie unklar. Begrenzen Sie diese Nutzung "
                   "stattdessen über die Dauer oder die Beschreibung (§ 31 Abs. 1 S. 2 UrhG).")


def _consumer_expenses(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _consumer(answers) and answers.get("auslagen.regel") == "nach_aufwand" \
            and answers.get("auslagen.freigabe_ab") is not None:
        yield ("warning", "auslagen.freigabe_ab",
               "Auslagen bis zu einem Betrag ohne vorherige Zustimmung eines Verbrauchers: "
               "Zusätzliche Kosten müssen vor Vertragsschluss genannt sein (Art. 246a § 1 Abs. 1 "
               "Nr. 5 EGBGB). Nennen Sie die zu erwartenden Auslagen im Angebot, oder lassen Sie "
               "freigabe_ab weg, dann braucht jede Auslage die Zustimmung.")


def _domain_in_own_name(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if answers.get("web.inhaber") == "auftragnehmer":
        yield ("info", "web.inhaber",
               "Domain und Hosting auf Ihren Namen: Sie sind dann Vertragspartner des Anbieters "
               "und haften ihm gegenüber, und der Auftraggeber hängt von Ihnen ab. Der Vertrag "
               "verpflichtet Sie, auf Verlangen zu übertragen (§ 667 BGB).")


def _long_confidentiality(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    years = answers.get("vertraulichkeit.dauer_jahre")
    if years is not None and years > LONG_CONFIDENTIALITY_YEARS:
        yield ("info", "vertraulichkeit.dauer_jahre",
               f"Vertraulichkeit {years} Jahre über das Ende hinaus: ungewöhnlich lang (üblich "
               "drei bis fünf Jahre); Geschäftsgeheimnisse schützt das Gesetz ohnehin weiter "
               "(§ 2 Nr. 1 GeschGehG).")


def _flags(answers: Answers) -> frozenset[str]:
    model = fee_model_of(answers.values)
    return model.flags if model is not None else frozenset()


def _term(answers: Answers) -> str | None:
    term = term_type_of(answers.values)
    return term.key if term is not None else None


def _consumer_notice_date(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    notice = notice_period(answers.values)
    if _consumer(answers) and notice is not None and notice["zum"] in ("monatsende",
                                                                       "quartalsende"):
        yield ("warning", "kuendigung.zum",
               "Kündigung gegenüber einem Verbraucher nur zum "
               + ("Monatsende" if notice["zum"] == "monatsende" else "Quartalsende")
               + ": Zusammen mit der Frist bindet das länger als einen Monat; § 309 Nr. 9 BGB "
               "lässt nach einer Verlängerung nur eine jederzeitige Kündigung mit höchstens einem "
               "Monat Frist zu, und auch sonst ist eine so lange Bindung nach § 307 BGB angreifbar. "
               "Sicher ist „jederzeit“.")


def _consumer_weeks(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    weeks = answers.get("kuendigung.frist_wochen")
    if (_consumer(answers) and answers.get("kuendigung.frist") is None and notice_period(
            answers.values) is not None and isinstance(weeks, int) and weeks > 4):
        yield ("warning", "kuendigung.frist_wochen",
               f"Kündigungsfrist von {weeks} Wochen gegenüber einem Verbraucher: Der Vertrag nennt "
               "höchstens vier Wochen, weil eine längere Frist unwirksam wäre (§ 309 Nr. 9 c BGB).")


def _business_long_term(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    months = answers.get("laufzeit.mindest_monate")
    renewal = answers.get("laufzeit.verlaengerung_monate")
    if _consumer(answers) or _term(answers) != "mindestlaufzeit":
        return
    if isinstance(months, int) and months > BUSINESS_LONG_MONTHS:
        yield ("warning", "laufzeit.mindest_monate",
               f"Mindestlaufzeit von {months} Monaten: Auch gegenüber Unternehmern muss eine so "
               "lange Bindung in AGB angemessen sein (§ 307 BGB); bei Diensten höherer Art bleibt "
               "das Kündigungsrecht nach § 627 BGB ohnehin bestehen. Üblich sind 12 bis 24 Monate.")
    if (answers.get("laufzeit.verlaengerung") == "monate" and isinstance(renewal, int)
            and renewal > 12):
        yield ("warning", "laufzeit.verlaengerung_monate",
               f"Stillschweigende Verlängerung um jeweils {renewal} Monate: länger als ein Jahr ist "
               "auch gegenüber Unternehmern riskant (§ 307 BGB, Wertung des § 309 Nr. 9 BGB).")


def _prepaid_package(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _consumer(answers) and answers.get("zahlung.rhythmus") == "voraus":
        yield ("warning", "zahlung.rhythmus",
               "Vorauszahlung gegenüber einem Verbraucher: Er trägt dann das Risiko, dass Sie nicht "
               "leisten (§ 307 BGB), und nach einem Widerruf oder einer Kündigung (§ 627 BGB) ist "
               "das nicht Verdiente zu erstatten (§ 628 Abs. 1 S. 3, § 357 BGB). Monatlich "
               "nachträglich ist unangreifbar.")


def _signing_share(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    for index, step in enumerate(answers.get("zahlung.plan") or [], start=1):
        share = step.get("prozent") if isinstance(step, dict) else None
        if (isinstance(step, dict) and step.get("ereignis") == "vertragsschluss"
                and isinstance(share, Decimal) and share > SIGNING_SHARE):
            yield ("warning", f"zahlung.plan[{index}].prozent",
                   f"{format_number(share)} % schon bei Vertragsschluss: Eine Vorauszahlung, die "
                   "deutlich über den Wert der ersten Leistungen hinausgeht, ist in AGB auch "
                   "gegenüber Unternehmern angreifbar (Wertung des § 309 Nr. 15 BGB über § 307 BGB). "
                   "Üblich sind bis zu 30 %.")


def _consumer_milestones(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    plan = answers.get("zahlung.plan") or []
    if (_consumer(answers) and answers.get("vertragstyp") == "werkvertrag"
            and any(isinstance(s, dict) and s.get("ereignis") == "freigabe" for s in plan)):
        yield ("info", "zahlung.plan",
               "Zahlungsplan in einem Werkvertrag mit einem Verbraucher: Jeder Teilbetrag vor der "
               "Abnahme darf nicht höher sein als der Wert der bis dahin erbrachten Leistungen; "
               "der Vertrag sagt das, und Ihre Rechnungen müssen die Leistungen aufführen "
               "(§ 632a Abs. 1, § 309 Nr. 15 a BGB).")


def _consumer_price_change(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if _consumer(answers) and answers.get("honorar.preisanpassung") == "jaehrlich":
        yield ("info", "honorar.preisanpassung",
               "Preisanpassung gegenüber einem Verbraucher: Der Vertrag erlaubt sie frühestens nach "
               "zwölf Monaten (§ 309 Nr. 1 BGB), begrenzt, begründet, mit sechs Wochen Vorlauf und "
               "einem Kündigungsrecht. Kündigen Sie jede Anpassung genau so an, sonst gilt sie "
               "nicht (§ 307, § 315 BGB).")


def _cause_too_short(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    for key in ("kuendigung.grund_zahlungsverzug_tage", "kuendigung.grund_mitwirkung_tage"):
        days = answers.get(key)
        if isinstance(days, int) and days < CAUSE_MIN_DAYS:
            yield ("warning", key,
                   f"Nur {days} Tage bis zur Kündigung aus wichtigem Grund: Ein wichtiger Grund "
                   "verlangt, dass die Fortsetzung unzumutbar ist (§§ 314, 626 BGB); eine kurze "
                   "Frist nach Mahnung oder Abmahnung trägt das selten und kann als "
                   "unangemessen gelten (§ 307 BGB). Üblich sind 14 bis 30 Tage.")


def _unit_undefined(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if "einheitshonorar" in _flags(answers) and not answers.get("honorar.einheit_definition"):
        yield ("warning", "honorar.einheit_definition",
               "Honorar je Einheit ohne Beschreibung, wann eine Einheit erbracht ist (z. B. Dauer "
               "einer Sitzung, Länge eines Textes, wann ein Termin „qualifiziert“ ist): Unklarheiten "
               "gehen zu Ihren Lasten (§ 305c Abs. 2, § 307 Abs. 1 S. 2 BGB).")


def _consumer_hours_lapse(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    if (_consumer(answers) and "monatshonorar" in _flags(answers)
            and answers.get("honorar.inklusive_stunden")
            and answers.get("honorar.ungenutzte_stunden") == "verfallen"):
        yield ("info", "honorar.ungenutzte_stunden",
               "Enthaltene Stunden verfallen am Monatsende – gegenüber einem Verbraucher zulässig, "
               "weil es klar im Vertrag steht (Preisabrede, § 307 Abs. 3 BGB); ein Übertrag in den "
               "Folgemonat vermeidet Streit.")


def _retainer_volume(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    monthly, once = answers.get("honorar.betrag"), answers.get("honorar.einmalbetrag") or 0
    if (answers.get("auftragnehmer.kleinunternehmer") and "monatshonorar" in _flags(answers)
            and isinstance(monthly, Decimal) and monthly * 12 + once > KLEINUNTERNEHMER_LIMIT):
        yield ("warning", "honorar.betrag",
               "Kleinunternehmer mit einem Monatshonorar, das im Jahr (zusammen mit dem einmaligen "
               "Honorar) über 100.000 € ergibt: Die Steuerbefreiung endet mit dem Umsatz, der die "
               "Grenze überschreitet (§ 19 Abs. 1 UStG). Bitte steuerlich beraten lassen.")

# -- parties abroad (issue 12) ---------------------------------------------------------------------
LUGANO_STATES = frozenset({"CH", "NO", "IS"})   # Lugano Convention 2007, besides the EU states


def _client_country(answers: Answers) -> str:
    from ..countries import HOME

    land = answers.get("auftraggeber.land")
    return land if isinstance(land, str) and land else HOME


def _consumer_abroad_vat(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    from ..countries import abroad, country_name, in_eu

    land = _client_country(answers)
    if not _consumer(answers) or not abroad(land) or answers.get("auftragnehmer.kleinunternehmer"):
        return
    if in_eu(land):
        rule = ("Für elektronisch erbrachte Leistungen (z. B. Websites, Downloads, Online-Kurse) an "
                "Verbraucher in einem anderen EU-Staat gilt die Umsatzsteuer des Wohnsitzstaats, "
                "sobald solche Umsätze in andere EU-Staaten im Jahr 10.000 € übersteigen (§ 3a "
                "Abs. 5 UStG); sie melden Sie dann über das One-Stop-Shop-Verfahren beim "
                "Bundeszentralamt für Steuern (§ 18j UStG).")
    else:
        rule = ("An Verbraucher außerhalb der EU werden Beratung, Werbung, Datenverarbeitung, die "
                "Einräumung von Urheberrechten und andere Katalogleistungen am Wohnsitz des "
                "Verbrauchers erbracht (§ 3a Abs. 4 UStG), elektronisch erbrachte Leistungen "
                "ebenso (§ 3a Abs. 5 UStG); dann fällt keine deutsche Umsatzsteuer an.")
    yield ("warning", "auftraggeber.land",
           f"Verbraucher im Ausland ({country_name(land)}): Der Vertrag nennt Preise mit deutscher "
           f"Umsatzsteuer (Leistungsort in Deutschland, § 3a Abs. 1 UStG). {rule} Lassen Sie den "
           "Leistungsort steuerlich prüfen, bevor Sie die erste Rechnung stellen.")


def _consumer_abroad_law(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    from ..countries import abroad, country_name

    land = _client_country(answers)
    if not _consumer(answers) or not abroad(land):
        return
    yield ("warning", "auftraggeber.land",
           f"Verbraucher im Ausland ({country_name(land)}): Es gilt deutsches Recht, der Verbraucher behält "
           "aber den Schutz der zwingenden Vorschriften seines Staates, wenn Sie Ihre Tätigkeit "
           "auf diesen Staat ausrichten (Art. 6 Abs. 2 Rom-I-Verordnung); der Vertrag weist "
           "darauf hin. Einen Gerichtsstand enthält er nicht: Der Verbraucher kann an seinem "
           "Wohnsitz klagen und nur dort verklagt werden (Art. 18 Brüssel-Ia-Verordnung, "
           "außerhalb der EU nach dem Recht seines Staates).")


def _court_abroad(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    from ..countries import abroad, country_name, in_eu

    land = _client_country(answers)
    if _consumer(answers) or not abroad(land) or in_eu(land) or land in LUGANO_STATES:
        return
    yield ("info", "auftraggeber.land",
           f"Auftraggeber im Ausland ({country_name(land)}): Der Gerichtsstand am Sitz des Auftragnehmers "
           "ist vereinbart (§ 38 Abs. 2 ZPO, schriftlich oder schriftlich bestätigt). Ob ein "
           "deutsches Urteil dort anerkannt und vollstreckt wird, regelt "
           "das Recht dieses Staates (für ausschließliche Gerichtsstandsvereinbarungen z. B. das Haager "
           "Übereinkommen von 2005, dem etwa das Vereinigte Königreich, nicht aber die USA "
           "beigetreten sind); bei größeren Aufträgen lohnt eine Prüfung.")


def _reverse_charge_checks(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    from ..terms.derived import vat_case

    if vat_case(answers.values) != "reverse_charge":
        return
    yield ("info", "auftraggeber.ust_id",
           "Steuerschuldnerschaft des Leistungsempfängers: Lassen Sie die USt-IdNr. des "
           "Auftraggebers vor der ersten Rechnung beim Bundeszentralamt für Steuern bestätigen "
           "(§ 18e UStG; contractgen prüft nur Format und Prüfziffer), stellen Sie die Rechnung "
           "bis zum 15. des Folgemonats aus (§ 14a Abs. 1 UStG) und melden Sie die Leistung in "
           "der Zusammenfassenden Meldung (§ 18a UStG).")


def _freelancer_abroad(answers: Answers, today: dt.date) -> Iterator[tuple[str, str, str]]:
    from ..countries import abroad, country_name

    land = answers.get("auftragnehmer.land")
    if not isinstance(land, str) or not abroad(land):
        return
    yield ("warning", "auftragnehmer.land",
           f"Sitz des Auftragnehmers im Ausland ({country_name(land)}): Die Texte zu Umsatzsteuer, "
           "Gerichtsstand und Kleinunternehmerregelung sind für Freelancer mit Sitz in "
           "Deutschland geschrieben (deutsches Umsatzsteuergesetz, § 38 ZPO). Lassen Sie den "
           "Vertrag für Ihr Land prüfen.")


RULES: tuple[Rule, ...] = (
    Rule("ausfall-100-prozent", _full_fee_early),
    Rule("ausfall-ohne-freies-fenster", _no_free_window),
    Rule("pauschal-ohne-korrektur", _flat_fee_no_rounds),
    Rule("zahlungsziel", _payment_term),
    Rule("anzahlung-verbraucher-werk", _consumer_deposit),
    Rule("ausschliesslich-pauschal", _exclusive_lump_sum),
    Rule("werk-ohne-nutzungsrechte", _work_without_rights),
    Rule("saetze-unplausibel", _implausible_rates),
    Rule("anzahlung-verbraucher-hoch", _consumer_high_deposit),
    Rule("kleinunternehmer-grenze", _kleinunternehmer_limit),
    Rule("vorzeitiger-beginn", _early_start),
    Rule("annahmefrist", _offer_deadline),
    Rule("terminwert", _appointment_value),
    Rule("dienstvertrag-ergebnis", _service_with_results),
    Rule("anzahlung-unternehmer", _business_deposit),
    Rule("tagessatz-stundensatz", _day_rate),
    Rule("verbraucher-hinweise", _consumer_notes),
    Rule("status-hinweis", _status_note),
    Rule("haftung-unter-honorar", _cap_below_fee),
    Rule("haftung-ueber-versicherung", _cap_without_insurance),
    Rule("abnahme-frist-verbraucher", _short_acceptance),
    Rule("abnahmefiktion-verbraucher", _consumer_deemed_acceptance),
    Rule("rueckmeldung-kurz", _short_feedback),
    Rule("wettbewerbsverbot", _non_compete),
    Rule("persoenliche-leistung", _in_person),
    Rule("ohne-urhebernennung", _no_credit),
    Rule("kennzeichen-einfach", _trademark_simple),
    Rule("auflage-ohne-druck", _print_run_online),
    Rule("auslagen-verbraucher", _consumer_expenses),
    Rule("domain-eigener-name", _domain_in_own_name),
    Rule("vertraulichkeit-lang", _long_confidentiality),
    Rule("kuendigung-termin-verbraucher", _consumer_notice_date),
    Rule("kuendigungsfrist-verbraucher", _consumer_weeks),
    Rule("lange-bindung", _business_long_term),
    Rule("vorauszahlung-verbraucher", _prepaid_package),
    Rule("vorauszahlung-hoch", _signing_share),
    Rule("zahlungsplan-verbraucher-werk", _consumer_milestones),
    Rule("preisanpassung-verbraucher", _consumer_price_change),
    Rule("wichtiger-grund-kurz", _cause_too_short),
    Rule("einheit-ohne-beschreibung", _unit_undefined),
    Rule("stunden-verfallen-verbraucher", _consumer_hours_lapse),
    Rule("kleinunternehmer-monatshonorar", _retainer_volume),
    Rule("verbraucher-ausland-ust", _consumer_abroad_vat),
    Rule("verbraucher-ausland-recht", _consumer_abroad_law),
    Rule("gerichtsstand-drittstaat", _court_abroad),
    Rule("reverse-charge-pflichten", _reverse_charge_checks),
    Rule("auftragnehmer-ausland", _freelancer_abroad),
)


def assess(answers: Answers, *, today: dt.date) -> tuple[Problem, ...]:
    """Every risk found in valid answers; `where` is the answer's file:line when known."""
    found: list[Problem] = []
    for rule in RULES:
        for level, key, message in rule.check(answers, today):
            where = _where(answers, key)
            found.append(Problem(level, f"{message} [{rule.id}]", where, key, code=f"risk.{rule.id}"))
    return tuple(found)


def _where(answers: Answers, key: str) -> Location:
    """The line of the key, else of its nearest enclosing entry, else the file."""
    path = key
    while path:
        if path in answers.locations:
            return answers.locations[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return Location(answers.source)


def check(answers: Answers, *, today: dt.date, strict: bool = False) -> tuple[Problem, ...]:
    """Everything `contractgen check` reports for valid answers: the validation warnings plus
    the risks. With `strict`, any warning makes it an AnswersError (exit 3); notes stay notes."""
    from ..errors import AnswersError

    found = (*answers.warnings, *assess(answers, today=today))
    warnings = [p for p in found if p.level == "warning"]
    if strict and warnings:
        count = len(warnings)
        raise AnswersError(
            f"Die Antwortdatei {answers.source}: "
            + (f"{format_number(count)} Warnungen gelten" if count > 1 else "1 Warnung gilt")
            + " mit --strict als Fehler.",
            tuple(p.as_level(Level.ERROR) if p.level == Level.WARNING else p for p in found),
        )
    return found
