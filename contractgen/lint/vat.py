"""VAT rules on rendered text (issue 12, finding M13 of the legal review 2026-12): the VAT
wording follows from the parties, and two mistakes must not come back.

- VAT-08: a text shows German VAT ("zuzüglich Umsatzsteuer", "inkl. 19 % Umsatzsteuer") although
  the place of supply is abroad (a business client in another EU state or outside the EU,
  § 3a Abs. 2 UStG): German VAT shown on an invoice is owed anyway (§ 14c Abs. 1 UStG).
- VAT-09: the reverse-charge clause without the invoice note "Steuerschuldnerschaft des
  Leistungsempfängers" or without both parties' VAT identification numbers (§ 14a Abs. 1, 5
  UStG).

The exhaustive render varies the client's country and kind and the Kleinunternehmer answer for
every clause whose text speaks of Umsatzsteuer (`VAT_SOURCES`), also when the clause itself
does not read them: a clause that decides on VAT by `auftragnehmer.kleinunternehmer` alone is
exactly the mistake VAT-08 finds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .findings import Finding
from .sources import finding

VAT_SOURCES = ("auftraggeber.art", "auftraggeber.land", "auftragnehmer.kleinunternehmer")
VAT_WORD = re.compile(r"Umsatzsteuer|\bust_", re.I)
GERMAN_VAT = re.compile(r"\b(zuzüglich|zzgl\.|einschließlich|inkl\.)\s+(der\s+)?(gesetzlichen\s+)?"
                        r"(\d+\s*%\s+)?Umsatzsteuer", re.I)
REVERSE_CHARGE_NOTE = "Steuerschuldnerschaft des Leistungsempfängers"


def speaks_of_vat(template: str) -> bool:
    """Whether a clause's template is about VAT (then the lint varies the VAT case)."""
    return bool(VAT_WORD.search(template))


def _abroad(context: Mapping[str, Any]) -> bool:
    return bool(context.get("reverse_charge") or context.get("nicht_steuerbar"))


def german_vat_findings(texts: Iterable[str], context: Mapping[str, Any], combo: str, where: str,
                        clause_id: str = "") -> list[Finding]:
    """VAT-08 on rendered texts (a clause, its short form, a row of the fee overview)."""
    if not _abroad(context):
        return []
    for text in texts:
        match = GERMAN_VAT.search(text.replace("\u00a0", " "))
        if match:
            case = ("Steuerschuldnerschaft des Leistungsempfängers" if context.get("reverse_charge")
                    else "in Deutschland nicht steuerbar")
            return [finding("VAT-08", "error", f"„{match.group(0)}“ bei einem Auftraggeber, an den "
                            f"die Leistung im Ausland ausgeführt wird ({case}, § 3a Abs. 2 UStG): "
                            "ausgewiesene deutsche Umsatzsteuer wird geschuldet (§ 14c Abs. 1 "
                            f"UStG); die Bedingung muss ust_brutto/ust_zuzueglich lauten — bei "
                            f"{combo}", where, clause_id)]
    return []


def reverse_charge_findings(topic: str | None, texts: Iterable[str], context: Mapping[str, Any],
                            combo: str, where: str, clause_id: str) -> list[Finding]:
    """VAT-09 on the rendered clause on VAT when the client owes the tax."""
    if topic != "umsatzsteuer" or not context.get("reverse_charge"):
        return []
    text = " ".join(texts)
    missing = [] if REVERSE_CHARGE_NOTE in text else [f"die Angabe „{REVERSE_CHARGE_NOTE}“"]
    for party, label in (("auftragnehmer", "des Auftragnehmers"), ("auftraggeber", "des Auftraggebers")):
        section = context.get(party)
        vat_id = section.get("ust_id") if isinstance(section, Mapping) else None
        if isinstance(vat_id, str) and vat_id and vat_id not in text:
            missing.append(f"die USt-IdNr. {label} ({party}.ust_id)")
    if not missing:
        return []
    return [finding("VAT-09", "error", "Umsatzsteuerklausel bei Steuerschuldnerschaft des "
                    f"Leistungsempfängers ohne {' und '.join(missing)}: Rechnungen müssen sie "
                    f"nennen (§ 14a Abs. 1 und 5 UStG) — bei {combo}", where, clause_id)]
