"""Legal rules on rendered text and whole documents (issue 13, legal review 2026-12).

Two kinds of checks, both run by the exhaustive render of `library check`:

- clause rules on the rendered text of one clause under one combination of answers (the
  wording outside the statutory Muster: withdrawal, offers for orders, cancellation fees);
- document rules on a whole contract, e-mail agreement or individual order (the Muster word for
  word, its presence wherever a withdrawal right exists, digital products, the e-mail offer,
  data protection, trademark clearance).

Each rule's id, level and reason are listed in lint.RULES and in the authoring guide. The rules
read the German text; they cannot prove a clause right, but each one fails on the defect the
review found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..library import Library
from ..model import Document, Paragraph, Section, plain_text
from ..terms import fee_model_of
from .findings import Finding
from .sources import finding

_SENTENCE = re.compile(r"(?<=[.!?“])\s+(?=[A-ZÄÖÜ„☐])")
_QUOTE = re.compile(r"„[^“]*“")
_EXPIRY = re.compile(r"Widerrufsrecht\s+erlischt|erlischt\s+(?:das|sein|Ihr|dein|mein)\s+"
                     r"Widerrufsrecht", re.I)
_EXPIRY_CONDITION = re.compile(r"\b(verlangt|Verlangen|zugestimmt|Zustimmung|zustimmt|wenn|sofern|"
                               r"falls)\b|^Hat\b|^Haben\b")
_NOTICE_LATE = re.compile(r"Widerrufsbelehrung[^.]*(spätestens\s+(bevor|vor)|nach\s+"
                          r"Vertragsschluss|nach\s+Abschluss)", re.I)
_DURABLE = re.compile(r"dauerhaften\s+Datenträger", re.I)
_PAPER_OR_CONSENT = re.compile(r"Papier|Zustimmung|zugestimmt|einverstanden", re.I)
_ANY_PARTY_OFFER = re.compile(r"eine\s+Partei\s+der\s+anderen\s+ein\s+Angebot|der\s+Auftraggeber"
                              r"\s+(macht|unterbreitet|sendet)\s+(dem\s+Auftragnehmer\s+)?ein\s+"
                              r"Angebot", re.I)
_EXTRA_RATE_BASIS = re.compile(r"auf\s+den\s+Termin\s+entfallende\s+Vergütung\s+ist[^.]*"
                               r"zusätzlichen\s+Aufwand", re.I)
_ATTACHMENT_CONDITION = re.compile(r"(ist|sind|wird|falls|wenn)\s+(dieser|der)\s+E-Mail[^.]*"
                                   r"beigefügt[^.]*gehört", re.I)
_CHANGED_REPLY = re.compile(r"Änderung|Ergänzung", re.I)
_NEW_OFFER = re.compile(r"neues\s+Angebot|erst\s+(dann|wenn)|gesondert\s+bestätig", re.I)
_REPLY_CONCLUDES = re.compile(r"(per|durch)\s+Antwort[^.]*(verbindlich|zustande|erteilt)|"
                              r"(verbindlich|zustande|erteilt)[^.]*(per|durch)\s+Antwort|"
                              r"Mit\s+(deiner|Ihrer)\s+Bestätigung[^.]*(verbindlich|erteilt)", re.I)


# a library that writes consumer contracts with a withdrawal right has clauses on these topics
WITHDRAWAL_TOPICS = frozenset({"widerruf", "widerrufsbelehrung", "widerrufsformular"})


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def section_text(section: Section, *, short: bool = False) -> str:
    return paragraphs_text(section.short if short else section.paragraphs)


def paragraphs_text(paragraphs: Iterable[Paragraph]) -> str:
    parts = []
    for paragraph in paragraphs:
        parts.append(plain_text(paragraph.content))
        parts += [plain_text(item) for lst in paragraph.lists for item in lst.items]
    return " ".join(p for p in parts if p)


# -- clause rules (one clause, one combination) ---------------------------------------------------
def clause_findings(clause: Any, where: str, section: Section, context: Mapping[str, Any],
                    combo: str) -> list[Finding]:
    """Rules on the rendered text (contract and short form) of one clause."""
    out: list[Finding] = []
    consumer = bool(context.get("verbraucher"))
    topic = getattr(clause, "topic", None)
    texts = [section_text(section), section_text(section, short=True)]
    if consumer and topic not in ("widerrufsbelehrung", "widerrufsformular"):
        for text in texts:
            for sentence in sentences(text):
                bare = _QUOTE.sub("", sentence)
                if sentence.startswith(("Mir ist bekannt", "☐")):
                    continue     # the consumer's own acknowledgement (§ 356 Abs. 4 Nr. 2 c BGB)
                if _EXPIRY.search(bare) and not _EXPIRY_CONDITION.search(bare):
                    out.append(finding("CONS-13", "error", "Das Erlöschen des Widerrufsrechts "
                                       "steht ohne die Bedingung des Verlangens (§ 356 Abs. 4 "
                                       "Nr. 2, Abs. 5 BGB) im Vertrag: „" + _cut(sentence)
                                       + f"“ — bei {combo}", where, clause.id))
                if _NOTICE_LATE.search(bare):
                    out.append(finding("CONS-14", "error", "Die Widerrufsbelehrung muss vor der "
                                       "Vertragserklärung des Verbrauchers vorliegen (Art. 246a "
                                       "§ 4 Abs. 1 EGBGB); nur die Bestätigung nach § 312f BGB "
                                       f"darf folgen: „{_cut(sentence)}“ — bei {combo}", where,
                                       clause.id))
                if _ANY_PARTY_OFFER.search(bare):
                    out.append(finding("CONS-17", "error", "Gegenüber Verbrauchern macht der "
                                       "Auftragnehmer das Angebot für einen Einzelauftrag, mit "
                                       "Widerrufsbelehrung vor der Erklärung des Verbrauchers "
                                       f"(Art. 246a § 4 Abs. 1 EGBGB): „{_cut(sentence)}“ — bei "
                                       f"{combo}", where, clause.id))
        if context.get("vertragsschluss") == "ausserhalb" and not context.get(
                "datentraeger_zustimmung"):
            for sentence in sentences(texts[1]):
                if _DURABLE.search(sentence) and not _PAPER_OR_CONSENT.search(sentence):
                    out.append(finding("CONS-16", "error", "Außerhalb von Geschäftsräumen: "
                                       "Informationen und Bestätigung auf Papier, auf einem "
                                       "anderen dauerhaften Datenträger nur mit Zustimmung des "
                                       "Verbrauchers (Art. 246a § 4 Abs. 2 EGBGB, § 312f Abs. 1 "
                                       f"BGB): „{_cut(sentence)}“ — bei {combo}", where,
                                       clause.id))
    if topic == "ausfallhonorar" and _flat_fee(context):
        for text in texts:
            if _EXTRA_RATE_BASIS.search(text):
                out.append(finding("CXL-04", "error", "Ausfallhonorar beim Pauschalhonorar nach "
                                   "dem Stundensatz für zusätzlichen Aufwand: Das Pauschalhonorar "
                                   "bleibt geschuldet, der Termin wird nachgeholt; der typische "
                                   "Ausfall ist viel geringer (§ 309 Nr. 5 a BGB). Grundlage muss "
                                   "der Wert des Termins im Pauschalhonorar sein — bei "
                                   f"{combo}", where, clause.id))
                break
    return out


def _flat_fee(context: Mapping[str, Any]) -> bool:
    """The fee model is a flat fee: the order's own (its effective terms), else the contract's."""
    order = context.get("auftrag")
    model = fee_model_of(order if isinstance(order, Mapping) else context)
    return model is not None and "pauschal" in model.flags


def _cut(text: str) -> str:
    return text if len(text) <= 140 else text[:137] + "…"


# -- document rules ---------------------------------------------------------------------------
def document_findings(library: Library, document: Document, context: Mapping[str, Any],
                      combo: str, *, offer_by_email: bool,
                      orders: Library | None = None) -> list[Finding]:
    """Rules on one whole document. `offer_by_email`: the document is an offer the client
    accepts by replying (e-mail agreement, individual order); `orders`: the order templates
    (for an individual order)."""
    from ..statutes import form_problems, notice_contact, notice_problems

    out: list[Finding] = []
    manifest = str(orders.root / "auftrag.yaml" if orders is not None
                   else library.root / "library.yaml")
    libraries = (library, orders) if orders is not None else (library,)
    topics = {s.clause_id: _topic(libraries, s.clause_id) for s in document.sections}
    by_topic: dict[str, list[Section]] = {}
    for section in document.sections:
        by_topic.setdefault(topics[section.clause_id] or "", []).append(section)
    freelancer = context.get("auftragnehmer") or {}
    withdrawal_library = any(c.topic in WITHDRAWAL_TOPICS for lib in libraries for c in lib.clauses)
    if context.get("widerrufsrecht") and withdrawal_library:
        missing = [name for name, topic in (("Widerrufsbelehrung", "widerrufsbelehrung"),
                                            ("Muster-Widerrufsformular", "widerrufsformular"))
                   if topic not in by_topic]
        if missing:
            out.append(finding("CONS-01", "error", f"Widerrufsrecht, aber keine "
                               f"{' und kein '.join(missing)} im Dokument (§ 312d Abs. 1 BGB, "
                               f"Art. 246a § 1 Abs. 2 EGBGB) — bei {combo}", manifest))
    for section in by_topic.get("widerrufsbelehrung", []):
        problems = notice_problems(_annex_paragraphs(section), digital=bool(context.get("digital")),
                                   contact=notice_contact(dict(freelancer)))
        out += [finding("CONS-11", "error", f"Widerrufsbelehrung weicht vom amtlichen Muster ab "
                        f"(Anlage 1 EGBGB): {p} — bei {combo}", _where(libraries, section),
                        section.clause_id) for p in problems[:3]]
    for section in by_topic.get("widerrufsformular", []):
        problems = form_problems(_annex_paragraphs(section),
                                 contact=notice_contact(dict(freelancer), phone=False))
        out += [finding("CONS-11", "error", f"Muster-Widerrufsformular weicht vom amtlichen "
                        f"Muster ab (Anlage 2 EGBGB): {p} — bei {combo}", _where(libraries, section),
                        section.clause_id) for p in problems[:3]]
    if context.get("digital"):
        for topic in ("abnahme", "maengel"):
            for section in by_topic.get(topic, []):
                out.append(finding("CONS-15", "error", "Digitales Produkt für einen Verbraucher: "
                                   "statt Abnahme und Mängelrechten des Werkvertrags gelten die "
                                   "§§ 327 ff. BGB (§ 650 Abs. 2 BGB) — bei " + combo,
                                   _where(libraries, section), section.clause_id))
    if offer_by_email:
        out += _email_offer(manifest, document, context, combo)
    elif document.kind == "rahmenvertrag":
        frame = paragraphs_text((*document.email.intro, *document.email.confirmation))
        if _REPLY_CONCLUDES.search(frame):
            out.append(finding("EML-04", "error", "Die E-Mail zum Rahmenvertrag lässt einen "
                               "Auftrag schon durch Antwort zustande kommen, der Rahmenvertrag "
                               "erst mit Unterschrift: zwei Verträge auf zwei Wegen (§ 154 Abs. 2 "
                               f"BGB) — bei {combo}", manifest))
    data = context.get("datenschutz") or {}
    if data.get("auftragsverarbeitung") and "auftragsverarbeitung" not in by_topic:
        out.append(finding("DSG-01", "error", "Auftragsverarbeitung angegeben, aber kein Vertrag "
                           "nach Art. 28 Abs. 3 DSGVO im Dokument — bei " + combo, manifest))
    if context.get("verbraucher") and data.get("besondere_daten") \
            and "datenschutzhinweise" not in by_topic:
        out.append(finding("DSG-03", "error", "Besondere Kategorien personenbezogener Daten eines "
                           "Verbrauchers ohne Datenschutzhinweise (Art. 13 DSGVO) und "
                           "Einwilligung (Art. 9 Abs. 2 lit. a DSGVO) — bei " + combo, manifest))
    if "nutzungsrechte" in by_topic and "kennzeichenrecherche" not in by_topic:
        out.append(finding("URH-02", "error", "Nutzungsrechte an Gestaltungen ohne Regel zur "
                           "Marken- und Designrecherche (KG Berlin 29.3.2011): wer prüft "
                           "Kollisionen vor Verwendung oder Anmeldung? — bei " + combo,
                           _where(libraries, by_topic["nutzungsrechte"][0])))
    return out


def _email_offer(manifest: str, document: Document, context: Mapping[str, Any],
                 combo: str) -> list[Finding]:
    from ..formatting import format_date

    out: list[Finding] = []
    frame = paragraphs_text((*document.email.intro, *document.email.confirmation))
    full = paragraphs_text(document.conclusion)
    deadline = context.get("annahme_bis")
    for text, part in ((frame, "E-Mail"), (full, "ausführliche Fassung")):
        if deadline is None or format_date(deadline) not in text:
            out.append(finding("EML-01", "error", f"Angebot per E-Mail ohne Annahmefrist mit "
                               f"Datum (§§ 147, 148 BGB) in der {part} — bei {combo}", manifest))
        if not any(_CHANGED_REPLY.search(s) and _NEW_OFFER.search(s) for s in sentences(text)):
            out.append(finding("EML-02", "error", f"Keine Regel für Antworten mit Änderungen "
                               f"(§ 150 Abs. 2 BGB: neues Angebot) in der {part} — bei {combo}",
                               manifest))
    if _ATTACHMENT_CONDITION.search(frame):
        out.append(finding("EML-03", "error", "Der Inhalt der Vereinbarung hängt davon ab, ob "
                           "eine Datei beigefügt ist (§ 305c Abs. 2, § 305 Abs. 2 BGB): Die E-Mail "
                           "muss für sich stehen oder die Anlage verbindlich machen und ihren "
                           f"Vorrang sagen — bei {combo}", manifest))
    return out


def _annex_paragraphs(section: Section) -> list[str]:
    out = [section.heading]
    for paragraph in section.paragraphs:
        text = plain_text(paragraph.content)
        if text:
            out.append(text)
        out += [plain_text(item) for lst in paragraph.lists for item in lst.items]
    return out


def _clause(libraries: tuple[Library, ...], clause_id: str) -> Any:
    return next((c for lib in libraries if (c := lib.clause(clause_id)) is not None), None)


def _topic(libraries: tuple[Library, ...], clause_id: str) -> str | None:
    clause = _clause(libraries, clause_id)
    return clause.topic if clause is not None else None


def _where(libraries: tuple[Library, ...], section: Section) -> str:
    clause = _clause(libraries, section.clause_id)
    if clause is not None:
        return f"{clause.path}:{clause.body_line}"
    return str(libraries[0].root / "library.yaml")


# -- the questionnaire ----------------------------------------------------------------------
PHONE = "auftragnehmer.telefon"


def questionnaire_findings(library: Library, question_lines: Mapping[str, int]) -> list[Finding]:
    """CONS-12: where a withdrawal right exists, the freelancer's telephone number must be a
    required answer (Gestaltungshinweis 2 of the Muster, EuGH C-266/19): otherwise the notice is
    generated without it and the period may never start."""
    from ..library import evaluate_condition

    if not any(c.topic in WITHDRAWAL_TOPICS for c in library.clauses):
        return []
    path = str(library.root / "questionnaire.yaml")
    question = next((q for q in library.questionnaire.walk() if q.path == PHONE), None)
    if question is None:
        return [finding("CONS-12", "error", f"Der Fragebogen hat keine Frage {PHONE}; die "
                        "Widerrufsbelehrung muss die Telefonnummer nennen.", path, PHONE)]
    if question.required:
        return []
    concluded = next((q for q in library.questionnaire.walk() if q.path == "vertragsschluss"),
                     None)
    ways = [c for c in (concluded.choice_keys if concluded else ("fernabsatz",))
            if c != "geschaeftsraeume"]
    for way in ways:
        context = {"auftraggeber": {"art": "verbraucher"}, "vertragsschluss": way}
        try:
            required = question.required_when is not None and evaluate_condition(
                question.required_when, context)
        except Exception:  # noqa: BLE001 - a condition over other answers: not reliably required
            required = False
        if not required:
            return [finding("CONS-12", "error", f"{PHONE} ist bei einem Verbraucher mit "
                            f"Widerrufsrecht (vertragsschluss={way}) keine Pflichtangabe; die "
                            "Widerrufsbelehrung braucht die Telefonnummer (Gestaltungshinweis 2, "
                            "EuGH C-266/19): required_when: 'auftraggeber.art == \"verbraucher\"'.",
                            f"{path}:{question_lines.get(PHONE, 1)}", PHONE)]
    return []
