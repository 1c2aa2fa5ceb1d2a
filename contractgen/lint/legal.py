"""The legal rules that can be read from the wording (legal-facts.md, section 18), keyed by the
library's language: a pattern such as "soweit gesetzlich zulässig" only means something in the
language it is written in. A library in a language these rules do not know is a lint error
(`language-unknown`), never a silent pass.

Rules on metadata (the safeguards of a liability clause) do not depend on the language and
apply to every library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Level
from ..library.model import Library
from ..library.wording import base_language
from .findings import Finding
from .sources import ClauseSource, Sources, finding

TextRule = tuple[str, Level, re.Pattern[str], str]   # rule id, level, pattern, German message


@dataclass(frozen=True)
class LegalRules:
    """The wording rules of one language."""

    text: tuple[TextRule, ...]          # checked on every line of every clause and library.yaml
    penalty: re.Pattern[str]            # a penalty (CXL-03 for consumers, mail-penalty)
    written_form: re.Pattern[str]       # the written form (FORM-01 consumers, AGB-03 others)
    mail_penalty: re.Pattern[str]       # "Strafe" in a follow-up e-mail


GERMAN = LegalRules(
    text=(
        ("AGB-01", Level.ERROR, re.compile(r"soweit\s+(dies\s+)?(gesetzlich|rechtlich)\s+zulässig|"
                                           r"im\s+gesetzlich\s+zulässigen\s+(Umfang|Rahmen)", re.I),
         "Salvatorischer Zusatz „soweit gesetzlich zulässig“: intransparent und unwirksam "
         "(§ 307 Abs. 1 S. 2 BGB)."),
        ("AGB-02", Level.WARNING, re.compile(r"wirtschaftlich\s+(am\s+)?nächstkommend|"
                                             r"dem\s+wirtschaftlichen\s+Zweck\s+am\s+nächsten", re.I),
         "Ersetzungsklausel („wirtschaftlich nächstkommende Regelung“): an die Stelle tritt nach "
         "§ 306 Abs. 2 BGB das Gesetz."),
        ("URH-01", Level.ERROR, re.compile(r"Übertragung\s+des\s+Urheberrechts|Urheberrechte?\s+"
                                           r"(wird|werden)\s+\w*\s*übertragen|überträgt\s+(\w+\s+){0,4}"
                                           r"(das\s+)?Urheberrecht\b", re.I),
         "Das Urheberrecht ist nicht übertragbar (§ 29 Abs. 1 UrhG): Nutzungsrechte einräumen."),
    ),
    penalty=re.compile(r"\b(Vertrags)?[Ss]trafe\b|\bStrafzahlung", re.I),
    written_form=re.compile(r"\bSchriftform\w*|\bschriftlich\w*", re.I),
    mail_penalty=re.compile(r"\b(Vertrags)?[Ss]trafe\b"),
)
# the same rules for the English edition: the phrases an English translation would use for them
ENGLISH = LegalRules(
    text=(
        ("AGB-01", Level.ERROR, re.compile(r"(to\s+the\s+(extent|degree)|as\s+far\s+as|insofar\s+as)"
                                           r"\s+(legally\s+)?permitted(\s+by\s+law)?|"
                                           r"to\s+the\s+(full(est)?|maximum)\s+extent\s+permitted", re.I),
         "Salvatorischer Zusatz „to the extent permitted by law“ (soweit gesetzlich zulässig): "
         "intransparent und unwirksam (§ 307 Abs. 1 S. 2 BGB)."),
        ("AGB-02", Level.WARNING, re.compile(r"economically\s+(closest|nearest)|comes?\s+closest\s+"
                                             r"to\s+the\s+(economic|commercial)\s+(purpose|intent)",
                                             re.I),
         "Ersetzungsklausel („economically closest provision“): an die Stelle tritt nach § 306 "
         "Abs. 2 BGB das Gesetz."),
        ("URH-01", Level.ERROR, re.compile(r"(transfer|assign)(s|ment)?\s+(of\s+)?(the\s+)?copyright|"
                                           r"copyrights?\s+(is|are|shall\s+be)\s+(transferred|assigned)",
                                           re.I),
         "Das Urheberrecht ist nicht übertragbar (§ 29 Abs. 1 UrhG): Nutzungsrechte einräumen "
         "(grant rights of use)."),
    ),
    penalty=re.compile(r"\b(contractual\s+)?penalt(y|ies)\b|\bliquidated\s+damages\b", re.I),
    written_form=re.compile(r"\bin\s+writing\b|\bwritten\s+form\b", re.I),
    mail_penalty=re.compile(r"\bpenalt(y|ies)\b", re.I),
)
# language (the first part of the library's BCP 47 tag) -> its rules
BY_LANGUAGE: dict[str, LegalRules] = {"de": GERMAN, "en": ENGLISH}


def rules_for(library: Library) -> LegalRules | None:
    """The wording rules of the library's language; None when there are none."""
    return BY_LANGUAGE.get(base_language(library.language))


def scannable_lines(source: ClauseSource) -> list[tuple[int, str]]:
    """File lines of the title, the short form and the body (notes under hinweis are skipped)."""
    text = source.clause.path.read_text(encoding="utf-8").split("\n")
    body_start = source.clause.body_line
    keys = sorted(source.key_lines.items(), key=lambda item: item[1])
    wanted: set[int] = set()
    for index, (key, start) in enumerate(keys):
        end = keys[index + 1][1] if index + 1 < len(keys) else body_start - 1
        if key in ("title", "kurzform"):
            wanted |= set(range(start, end))
    return [(n, line) for n, line in enumerate(text, start=1) if n >= body_start or n in wanted]


def first_line(source: ClauseSource, pattern: re.Pattern[str]) -> int:
    for number, line in scannable_lines(source):
        if pattern.search(line):
            return number
    return source.clause.body_line


def language_line(library: Library) -> str:
    """library.yaml:line of `sprache` (or of the file) for a finding about the language."""
    manifest = library.root / library.manifest_name
    try:
        lines = manifest.read_text(encoding="utf-8").split("\n")
    except OSError:
        return str(manifest)
    number = next((i for i, line in enumerate(lines, start=1) if line.startswith("sprache:")), 1)
    return f"{manifest}:{number}"


def check_legal_text(sources: Sources) -> list[Finding]:
    out = []
    library = sources.library
    rules = rules_for(library) if library is not None else None
    if library is not None and rules is None:
        known = ", ".join(sorted(BY_LANGUAGE))
        out.append(finding("language-unknown", Level.ERROR, f"Die Bibliothek ist in der Sprache "
                           f"{library.language}; für sie kennt die Prüfung keine Rechtsregeln "
                           f"(bekannt: {known}). Ohne sie lässt sich der Text nicht rechtlich "
                           "prüfen.", language_line(library)))
    text_rules = rules.text if rules is not None else ()
    for source in sources.clauses:
        clause = source.clause
        for number, line in scannable_lines(source):
            for rule, level, pattern, message in text_rules:
                if pattern.search(line):
                    out.append(finding(rule, level, message, f"{clause.path}:{number}", clause.id))
        safeguards = set(clause.safeguards)
        where = source.at("safeguards") if "safeguards" in source.key_lines else source.at("topic")
        if clause.topic == "haftung":
            if "leben-koerper-gesundheit" not in safeguards:
                out.append(finding("LIA-01", "error", "Haftungsklausel ohne Ausnahme für Schäden "
                                   "an Leben, Körper, Gesundheit (§ 309 Nr. 7 a BGB); safeguards "
                                   "muss leben-koerper-gesundheit enthalten.", where, clause.id))
            if "vorsatz-grobe-fahrlaessigkeit" not in safeguards:
                out.append(finding("LIA-02", "error", "Haftungsklausel ohne Ausnahme für Vorsatz "
                                   "und grobe Fahrlässigkeit (§ 276 Abs. 3, § 309 Nr. 7 b BGB); "
                                   "safeguards muss vorsatz-grobe-fahrlaessigkeit enthalten.",
                                   where, clause.id))
    if library is not None:
        manifest = library.root / library.manifest_name
        for number, line in enumerate(manifest.read_text(encoding="utf-8").split("\n"), start=1):
            if line.lstrip().startswith("#"):
                continue
            for rule, level, pattern, message in text_rules:
                if pattern.search(line):
                    out.append(finding(rule, level, message, f"{manifest}:{number}"))
    return out
