"""Legal rules on the rendered text of the deal options (issue 11): liability caps, deemed
acceptance and exclusivity. The exhaustive render calls `rendered_findings` for every clause
under every combination of answers it tries, so a rule fires for the variant that breaks it.

The rules read German wording (the library's language is checked elsewhere, `language-unknown`).
They cannot prove a clause right; each one fails on the defect it names:

- LIA-06 (error): a liability cap (an amount or the fee as the most the freelancer pays) whose
  text does not keep every carve-out: life, body and health; intent and gross negligence; a
  guarantee; the Product Liability Act; and, for essential duties, the foreseeable typical damage
  (§ 276 Abs. 3, § 307 Abs. 2 Nr. 2, § 309 Nr. 7 BGB; BGH VIII ZR 141/06).
- LIA-07 (error): a liability cap in a contract with a consumer (§ 307, § 309 Nr. 7 BGB).
- WERK-02 (error for consumers, else warning): deemed acceptance ("gilt … als abgenommen")
  without the notice in Textform that comes with the request for acceptance (§ 640 Abs. 2 BGB).
- SSB-05 (warning): exclusivity, a ban on working for other clients (§ 7 SGB IV indicator).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model import Section, plain_text
from .findings import Finding
from .sources import ClauseSource, finding

_AMOUNT = r"\d{1,3}(?:\.\d{3})*(?:,\d{2})?\s?€"
_LIMIT = r"(?:" + _AMOUNT + r"|das\s+(?:Netto)?[Hh]onorar|die\s+(?:Netto)?[Vv]ergütung)"
CAP = re.compile(r"(?:begrenzt|beschränkt|höchstens)\s+(?:\w+\s+){0,6}?auf\s+" + _LIMIT
                 + r"|\bauf\s+" + _LIMIT + r"[^.;]{0,160}?(?:begrenzt|beschränkt)"
                 r"|Haftungshöchst(?:betrag|summe)", re.I)
CARVE_OUTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Leben, Körper und Gesundheit", re.compile(r"Leben\w*.{0,40}Körper\w*.{0,40}Gesundheit", re.I)),
    ("Vorsatz", re.compile(r"Vorsatz|vorsätzlich", re.I)),
    ("grobe Fahrlässigkeit", re.compile(r"grob\w*\s+[Ff]ahrlässig", re.I)),
    ("Garantie", re.compile(r"Garantie", re.I)),
    ("Produkthaftungsgesetz", re.compile(r"Produkthaftung", re.I)),
    ("vorhersehbarer, vertragstypischer Schaden",
     re.compile(r"vorhersehbar\w*.{0,60}typisch|typisch\w*.{0,60}vorhersehbar", re.I)),
)
DEEMED = re.compile(r"gilt\s+(?:\w+\s+){0,4}als\s+abgenommen|Abnahmefiktion", re.I)
NOTICE = re.compile(r"(?:Bitte|Aufforderung)\s+um\s+Abnahme[^.]{0,80}Textform[^.]{0,40}\bhin\b|"
                    r"\bweist\b[^.]{0,120}Bitte\s+um\s+Abnahme[^.]{0,40}Textform[^.]{0,10}\bhin\b|"
                    r"Hinweis\s+in\s+Textform[^.]{0,80}Bitte\s+um\s+Abnahme", re.I)
EXCLUSIVE = re.compile(r"(?:ausschließlich|nur|exklusiv)\s+für\s+den\s+Auftraggeber\s+tätig|"
                       r"nicht\s+für\s+andere\s+Auftraggeber|keine\s+(?:Aufträge|Tätigkeit\w*)\s+"
                       r"(?:\w+\s+){0,2}für\s+(?:andere|Dritte)\s+(?:Auftraggeber|Unternehmen)?", re.I)


def _texts(section: Section) -> list[str]:
    """The rendered contract text and the short form of one clause, each as one string."""
    out = []
    for paragraphs in (section.paragraphs, section.short):
        parts = []
        for paragraph in paragraphs:
            parts.append(plain_text(paragraph.content))
            parts += [plain_text(item) for lst in paragraph.lists for item in lst.items]
        out.append(" ".join(p for p in parts if p))
    return out


def rendered_findings(source: ClauseSource, section: Section, context: Mapping[str, Any],
                      combo: str) -> list[Finding]:
    clause = source.clause
    where = f"{clause.path}:{clause.body_line}"
    consumer = bool(context.get("verbraucher"))
    out: list[Finding] = []
    for text, part in zip(_texts(section), ("Vertragstext", "Kurzform"), strict=True):
        if not text:
            continue
        if CAP.search(text):
            missing = [name for name, pattern in CARVE_OUTS if not pattern.search(text)]
            if missing:
                out.append(finding("LIA-06", "error", f"Haftungshöchstbetrag ({part}) ohne die "
                                   f"Ausnahme(n) {', '.join(missing)} (§ 276 Abs. 3, § 307 Abs. 2 "
                                   f"Nr. 2, § 309 Nr. 7 BGB) — bei {combo}", where, clause.id))
            if consumer:
                out.append(finding("LIA-07", "error", f"Haftungshöchstbetrag ({part}) in einem "
                                   "Vertrag mit einem Verbraucher (§ 307, § 309 Nr. 7 BGB): nur "
                                   f"gegenüber Unternehmern wählen — bei {combo}", where, clause.id))
        if DEEMED.search(text) and not NOTICE.search(text) and part == "Vertragstext":
            out.append(finding("WERK-02", "error" if consumer else "warning",
                               "Abnahmefiktion ohne den Hinweis in Textform zusammen mit der "
                               "Bitte um Abnahme (§ 640 Abs. 2 BGB"
                               + (", S. 2: bei Verbrauchern Voraussetzung" if consumer else "")
                               + f") — bei {combo}", where, clause.id))
        if EXCLUSIVE.search(text):
            out.append(finding("SSB-05", "warning", f"Ausschließlichkeit ({part}): ein Verbot, für "
                               "andere Auftraggeber zu arbeiten, ist ein Merkmal abhängiger "
                               "Beschäftigung (§ 7 SGB IV); höchstens ein enges Wettbewerbsverbot "
                               f"für die Dauer eines Auftrags — bei {combo}", where, clause.id))
    if clause.topic == "abnahme" and any(DEEMED.search(t) for t in _texts(section)[:1]) \
            and "abnahmefiktion-hinweis-textform" not in clause.safeguards:
        out.append(finding("WERK-02", "error" if consumer else "warning",
                           "Abnahmefiktion, aber safeguards nennt abnahmefiktion-hinweis-textform "
                           f"nicht — bei {combo}", source.at("safeguards")
                           if "safeguards" in source.key_lines else source.at("topic"), clause.id))
    return out
