"""Checks for the clause library (`contractgen library check`): all problems at once, each with
its rule id, level, clause file and line.

Uses library (loading), render (the exhaustive render) and model; never the writers.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .findings import Finding, LintReport

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["Finding", "LintReport", "check_library", "sample_documents", "RULES"]

# rule id -> (level, what it checks); the guide (clause_library/README.md) lists them for lawyers
RULES: dict[str, tuple[str, str]] = {
    "yaml-syntax": ("error", "YAML-Fehler im Kopf einer Klausel oder in library.yaml"),
    "jinja-syntax": ("error", "Jinja-Syntaxfehler in Text, Kurzform oder Bedingung"),
    "library-yaml": ("error", "library.yaml fehlt oder ist unvollständig"),
    "questionnaire": ("error", "questionnaire.yaml ist fehlerhaft"),
    "unknown-key": ("error", "unbekannter Schlüssel im Kopf"),
    "missing-field": ("error", "title, section oder version fehlt"),
    "id-format": ("error", "id fehlt oder ist nicht kebab-case"),
    "id-filename": ("error", "id passt nicht zum Dateinamen"),
    "duplicate-id": ("error", "zwei Klauseln mit derselben id"),
    "unknown-section": ("error", "section steht nicht in library.yaml"),
    "replaces-unknown": ("error", "replaces nennt eine Klausel, die es nicht gibt"),
    "replaces-cycle": ("error", "replaces bildet einen Kreis"),
    "slot-conflict": ("error", "zwei Alternativen (gleiche section und order) zugleich gewählt"),
    "unknown-variable": ("error", "Variable, die der Fragebogen nicht kennt"),
    "requires-missing": ("error", "requires fehlt eine verwendete Antwort"),
    "requires-unused": ("warning", "requires nennt eine nicht verwendete Antwort"),
    "unused-question": ("warning", "Frage, die niemand verwendet"),
    "ref-unknown": ("error", "ref() auf eine Klausel, die es nicht gibt"),
    "ref-label": ("error", "ref() auf einen Absatz, den es nicht gibt"),
    "ref-deselected": ("error", "ref() auf eine Klausel, die abgewählt sein kann"),
    "legal-missing": ("warning", "keine Rechtsgrundlagen unter legal"),
    "reviewed-missing": ("warning", "kein Prüfvermerk reviewed"),
    "render-failed": ("error", "Klausel lässt sich bei einer Kombination nicht erzeugen"),
    "document-refs": ("error", "Verweise oder Begriffe im ganzen Vertrag lassen sich nicht auflösen"),
    "term-undefined": ("error", "begriff() ohne Definition (definiere) in der Bibliothek"),
    "term-unused": ("warning", "definiere() ohne Verwendung (begriff)"),
    "AGB-01": ("error", "„soweit gesetzlich zulässig“"),
    "AGB-02": ("warning", "Ersetzungsklausel „wirtschaftlich nächstkommende Regelung“"),
    "AGB-03": ("warning", "Schriftformklausel (nur Unternehmer)"),
    "FORM-01": ("error", "Schriftform gegenüber Verbrauchern"),
    "CXL-01": ("error", "Ausfallhonorar ohne Gegenbeweis (Verbraucher; sonst Warnung)"),
    "CXL-03": ("error", "Vertragsstrafe/Strafe in einer Klausel für Verbraucher"),
    "VAT-08": ("error", "Deutsche Umsatzsteuer bei Leistungsort im Ausland (§ 14c UStG)"),
    "VAT-09": ("error", "Reverse-Charge-Klausel ohne Rechnungsangabe oder ohne beide USt-IdNr."),
    "JUR-01": ("error", "Gerichtsstand ohne zwei Kaufleute (oder Unternehmer im Ausland) oder mit "
                        "Verbraucher"),
    "LIA-01": ("error", "Haftungsklausel ohne Leben, Körper, Gesundheit"),
    "LIA-02": ("error", "Haftungsklausel ohne Vorsatz und grobe Fahrlässigkeit"),
    "LIA-06": ("error", "Haftungshöchstbetrag ohne alle Ausnahmen (Leben/Körper/Gesundheit, Vorsatz, "
                        "grobe Fahrlässigkeit, Garantie, ProdHaftG, typischer Schaden)"),
    "LIA-07": ("error", "Haftungshöchstbetrag in einem Vertrag mit einem Verbraucher"),
    "WERK-02": ("error", "Abnahmefiktion ohne Hinweis in Textform mit der Bitte um Abnahme "
                         "(Verbraucher; sonst Warnung)"),
    "SSB-05": ("warning", "Ausschließlichkeit: Verbot, für andere Auftraggeber zu arbeiten"),
    "URH-01": ("error", "„Übertragung des Urheberrechts“"),
    "language-unknown": ("error", "Sprache der Bibliothek, für die es keine Rechtsregeln gibt"),
    "order-load": ("error", "Einzelauftrag-Vorlagen: Kopf, YAML, Jinja oder auftrag.yaml fehlerhaft"),
    "order-render": ("error", "Einzelauftrag lässt sich bei einer Kombination nicht erzeugen"),
    "mail-syntax": ("error", "E-Mail-Vorlage: Kopf, YAML oder Jinja fehlerhaft"),
    "mail-variable": ("error", "E-Mail-Vorlage: unbekannte Variable oder Eingabe"),
    "mail-clause": ("error", "E-Mail-Vorlage: zitierte Klausel oder Absatz gibt es nicht"),
    "mail-penalty": ("error", "E-Mail-Vorlage: „Strafe“ oder „Vertragsstrafe“"),
    "mail-gegenbeweis": ("error", "E-Mail zum Ausfallhonorar ohne Absatz zum Gegenbeweis"),
    "mail-abnahme": ("error", "E-Mail bittet um Zahlung, ohne den Tag der Abnahme zu kennen"),
    "mail-abnahme-hinweis": ("error", "Bitte um Abnahme ohne Fiktionsregel und Hinweis nach "
                             "§ 640 Abs. 2 BGB"),
    "CONS-01": ("error", "Widerrufsrecht, aber Widerrufsbelehrung oder Formular fehlt im Dokument"),
    "CONS-11": ("error", "Widerrufsbelehrung oder Formular weicht vom amtlichen Muster ab"),
    "CONS-12": ("error", "Telefonnummer des Auftragnehmers bei Widerrufsrecht nicht Pflicht"),
    "CONS-13": ("error", "Erlöschen des Widerrufsrechts ohne Bedingung des Verlangens"),
    "CONS-14": ("error", "Widerrufsbelehrung erst nach der Vertragserklärung des Verbrauchers"),
    "CONS-15": ("error", "digitales Produkt für Verbraucher mit Abnahme- oder Mängelklausel"),
    "CONS-16": ("error", "außerhalb von Geschäftsräumen: dauerhafter Datenträger ohne Zustimmung"),
    "CONS-17": ("error", "Verbraucher: Angebot für Einzelaufträge von beiden Seiten"),
    "CXL-04": ("error", "Ausfallhonorar beim Pauschalhonorar nach dem Satz für Zusatzaufwand"),
    "EML-01": ("error", "Angebot per E-Mail ohne Annahmefrist mit Datum"),
    "EML-02": ("error", "Angebot per E-Mail ohne Regel für Antworten mit Änderungen"),
    "EML-03": ("error", "Inhalt der E-Mail-Vereinbarung hängt von einer beigefügten Datei ab"),
    "EML-04": ("error", "E-Mail zum Rahmenvertrag schließt einen Auftrag schon durch Antwort"),
    "DSG-01": ("error", "Auftragsverarbeitung ohne Vertrag nach Art. 28 DSGVO"),
    "DSG-03": ("error", "besondere Daten eines Verbrauchers ohne Datenschutzhinweise"),
    "URH-02": ("error", "Nutzungsrechte ohne Regel zur Marken- und Designrecherche"),
    # language editions (lint/editions.py)
    "translation-missing": ("error", "Klausel, Text oder Honorarmodell ohne Übersetzung"),
    "translation-stale": ("error", "Übersetzung einer älteren Version der deutschen Klausel"),
    "translation-orphan": ("error", "Übersetzung ohne deutsche Klausel"),
    "translation-texts": ("error", "Texte der Übersetzung (library.yaml) fehlen oder passen nicht"),
    "translation-kurzform": ("error", "Kurzform nur in einer der beiden Fassungen"),
    "translation-ref": ("error", "ref() oder absatz() nur in einer der beiden Fassungen"),
    "translation-variable": ("error", "Variable nur in einer der beiden Fassungen"),
    "translation-term": ("error", "Begriff (definiere/begriff) nur in einer der beiden Fassungen"),
    "designation-word": ("error", "Partei als festes Wort statt {{ AN.der }}, {{ AG.dem }} …"),
    "designation-pronoun": ("warning", "Pronomen für eine Partei statt {{ AN.er }}, "
                            "{{ AG.seine }} …"),
    "designation-form": ("error", "AN/AG mit einer Form, die es nicht gibt"),
    "designation-question": ("error", "Fragebogen ohne passende Auswahl der Bezeichnung"),
}


def _designations(sources: object) -> list[Finding]:
    """The party designations in every text: clauses, order clauses, e-mails, library texts."""
    from ..followup import MAIL_DIR, read_mail_template
    from ..library.reader import ORDER_DIR, ORDERS, read_order_library
    from .designations import check_designations, mail_text_lines, manifest_text_lines
    from .sources import Sources

    assert isinstance(sources, Sources) and sources.library is not None
    library = sources.library
    clause_sources = list(sources.clauses)
    others = [(library.root / library.manifest_name,
               manifest_text_lines(library.root / library.manifest_name))]
    if (library.root / ORDER_DIR / ORDERS.manifest).is_file():
        orders = read_order_library(library, compile_templates=False)
        clause_sources += orders.clauses
        others.append((orders.root / ORDERS.manifest,
                       manifest_text_lines(orders.root / ORDERS.manifest)))
    for path in sorted((library.root / MAIL_DIR).glob("*.md")):
        template = read_mail_template(path, [])
        if template is not None:
            others.append((path, mail_text_lines(path, template.body_line,
                                                 dict(template.key_lines))))
    return check_designations(library, clause_sources, others, sources.question_lines)


def check_library(path: Path | str | None = None, *, exhaustive: bool = True,
                  ignore: tuple[str, ...] = ()) -> LintReport:
    """Every problem of the library at `path` (default: the configured one), none raised."""
    from ..library import default_library_path
    from . import exhaustive as exhaustive_render
    from .rules import analyse_library
    from .sources import read_sources, reading_findings

    started = time.perf_counter()
    root = Path(path) if path is not None else default_library_path()
    sources = read_sources(root)
    report = LintReport(library=str(root), findings=reading_findings(sources))
    if sources.library is not None:
        report.clauses = len(sources.clauses)
        analysis, findings = analyse_library(sources, _engine_keys(sources.library))
        report.findings += findings
        from .legal_checks import questionnaire_findings
        from .mails import check_mails

        report.findings += check_mails(sources, analysis)
        report.findings += questionnaire_findings(sources.library, sources.question_lines)
        report.findings += _designations(sources)
        blocking = any(f.level == "error" and f.rule in ("unknown-variable", "jinja-syntax",
                                                         "yaml-syntax", "questionnaire")
                       for f in report.findings)
        if exhaustive and not blocking:
            from .orders import check_orders

            order_findings, report.orders = check_orders(sources, analysis)
            report.findings += order_findings
            found, stats = exhaustive_render.run(sources, analysis)
            report.findings += found
            report.combinations = stats.combinations
            report.documents = stats.documents
            clauses = "paarweise" if "paarweise" in stats.strategies else "vollständig"
            report.strategy = f"Klauseln {clauses}, Verträge {stats.document_strategy or '-'}"
    if sources.library is not None and sources.editions:
        from .editions import check_editions

        report.findings += check_editions(sources, exhaustive=exhaustive)
    report.findings = [f for f in report.findings if f.rule not in ignore]
    report.seconds = time.perf_counter() - started
    return report


def sample_documents(path: Path | str) -> list[tuple[str, dict[str, Any]]]:
    """(description, answer values) of each whole document `check_library` builds for the
    library at `path` — the one sample set the check and the lawyer's web page show."""
    from .exhaustive import ValueSpace, document_samples
    from .rules import analyse_library
    from .sources import read_sources
    from .space import describe

    sources = read_sources(Path(path))
    if sources.library is None:
        return []
    analysis, _ = analyse_library(sources, _engine_keys(sources.library))
    samples, _ = document_samples(ValueSpace(sources.library, analysis), analysis)
    return [(describe(row, values), values) for row, values, _, _ in samples]


def _engine_keys(library: Library) -> tuple[str, ...]:
    from ..render.document import ENGINE_KEYS

    return (*ENGINE_KEYS, *((library.annex_key,) if library.annex_key else ()))
