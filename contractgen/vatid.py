"""VAT identification numbers: the format each country uses and its check digits.

The formats are data (below); the check digits are computed by python-stdnum, which implements
the published algorithm of every EU member state (e.g. DE: ISO 7064 MOD 11,10 as published by
the Bundeszentralamt für Steuern for § 27a UStG; AT: the BMF's weighting with 1-2-1-2…; BE, PL,
DK, SE, NL, IT, ES, FR: their own), Northern Ireland (XI) and the United Kingdom (mod 97 and
9755), Switzerland (UID, mod 11) and Norway (organisation number, mod 11). Liechtenstein keeps
its five-digit MWST number (Liechtensteinische Landesverwaltung, "Umsetzung der UID in
Liechtenstein"); it has no public check digit. For other countries the number is taken as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

from .countries import EU_MEMBER_STATES

# VAT prefix -> country (ISO 3166-1): Greece uses EL, Northern Ireland XI (country GB)
PREFIX_COUNTRY = {**{c: c for c in EU_MEMBER_STATES if c != "GR"}, "EL": "GR", "XI": "GB",
                  "GB": "GB"}
COUNTRY_PREFIXES = {"GR": ("EL",), "GB": ("GB", "XI")}

# what a VAT ID looks like, per prefix (German, for messages)
FORMATS: dict[str, str] = {
    "AT": "ATU und 8 Ziffern, z. B. ATU12345675",
    "BE": "BE und 10 Ziffern, beginnend mit 0 oder 1",
    "BG": "BG und 9 oder 10 Ziffern",
    "CY": "CY, 8 Ziffern und ein Buchstabe",
    "CZ": "CZ und 8 bis 10 Ziffern",
    "DE": "DE und 9 Ziffern, z. B. DE123456788",
    "DK": "DK und 8 Ziffern",
    "EE": "EE und 9 Ziffern",
    "EL": "EL und 9 Ziffern (Griechenland)",
    "ES": "ES und 9 Zeichen: Ziffern, das erste oder letzte auch ein Buchstabe",
    "FI": "FI und 8 Ziffern",
    "FR": "FR, zwei Prüfzeichen und die neunstellige SIREN",
    "HR": "HR und 11 Ziffern",
    "HU": "HU und 8 Ziffern",
    "IE": "IE, 7 Ziffern und ein oder zwei Buchstaben",
    "IT": "IT und 11 Ziffern",
    "LT": "LT und 9 oder 12 Ziffern",
    "LU": "LU und 8 Ziffern",
    "LV": "LV und 11 Ziffern",
    "MT": "MT und 8 Ziffern",
    "NL": "NL, 9 Ziffern, B und 2 Ziffern, z. B. NL123456789B01",
    "PL": "PL und 10 Ziffern",
    "PT": "PT und 9 Ziffern",
    "RO": "RO und 2 bis 10 Ziffern",
    "SE": "SE und 12 Ziffern, endend auf 01",
    "SI": "SI und 8 Ziffern",
    "SK": "SK und 10 Ziffern",
    "XI": "XI und 9 oder 12 Ziffern (Nordirland)",
    "GB": "GB und 9 oder 12 Ziffern (Behörden GBGD oder GBHA und 3 Ziffern)",
    "CH": "CHE-123.456.789 MWST (oder TVA, IVA)",
    "NO": "NO, 9 Ziffern und MVA, z. B. NO 123 456 789 MVA",
    "LI": "die fünfstellige MWST-Nummer",
}
_LI_RE = re.compile(r"^[0-9]{5}$")


@dataclass(frozen=True)
class VatIdCheck:
    value: str | None = None       # the normal form, when valid
    error: str = ""                # why not (German), with the expected format
    country: str | None = None     # the country the number belongs to (by its prefix)


def _scheme(compact: str, country: str | None) -> tuple[str, str] | None:
    """(scheme, number) for the number: by its own prefix, else by the country it is for."""
    if compact.startswith("CHE"):
        return "CH", compact
    if compact.startswith("NO") and compact[2:3].isdigit():
        return "NO", compact[2:]
    if compact[:2] in PREFIX_COUNTRY:
        return compact[:2], compact
    if country == "CH":
        return "CH", compact
    if country == "NO":
        return "NO", compact
    if country == "LI":
        return "LI", compact
    return None


def expected(country: str | None) -> str:
    """The format a VAT ID of `country` has, in words ("" when contractgen knows none)."""
    prefixes = COUNTRY_PREFIXES.get(country or "", (country or "",))
    return " oder ".join(FORMATS[p] for p in prefixes if p in FORMATS)


def check_vat_id(text: str, country: str | None) -> VatIdCheck:
    """Check `text` as a VAT ID (of `country`, the party's country, when it has no prefix)."""
    from stdnum import exceptions

    compact = re.sub(r"[\s.\-]", "", text).upper()
    scheme = _scheme(compact, country)
    if scheme is None:
        if country in EU_MEMBER_STATES or country in COUNTRY_PREFIXES:
            return VatIdCheck(error=f"hat keine Länderkennung; erwartet: {expected(country)}.")
        return VatIdCheck(value=" ".join(text.split()))   # a country without a known format
    name, number = scheme
    owner = PREFIX_COUNTRY.get(name, name)
    if name == "LI":
        if _LI_RE.match(number):
            return VatIdCheck(value=number, country="LI")
        return VatIdCheck(error=f"hat nicht das Format einer VAT-ID aus Liechtenstein; "
                          f"erwartet: {FORMATS['LI']}.")
    module = _module(name)
    try:
        module.validate(number)
    except exceptions.InvalidChecksum:
        return VatIdCheck(error="Die Prüfziffer stimmt nicht (Tippfehler?); "
                          f"erwartet: {FORMATS[name]}.", country=owner)
    except exceptions.ValidationError:
        return VatIdCheck(error=f"hat nicht das erwartete Format ({FORMATS[name]}).",
                          country=owner)
    return VatIdCheck(value=_normal(name, number, module), country=owner)


def _module(name: str) -> ModuleType:
    if name == "CH":
        from stdnum.ch import vat as ch
        return ch
    if name == "NO":
        from stdnum.no import mva
        return mva
    if name == "GB":
        from stdnum.gb import vat as gb
        return gb
    from stdnum.eu import vat as eu
    return eu


def _normal(name: str, number: str, module: ModuleType) -> str:
    """VIES writing for EU numbers (ATU13585627), the national writing elsewhere."""
    if name == "CH":
        from stdnum.ch import vat as ch
        return str(ch.format(number))
    if name == "NO":
        from stdnum.no import mva
        return str(mva.format(number))
    if name == "GB":
        from stdnum.gb import vat as gb
        return "GB" + str(gb.compact(number))
    from stdnum.eu import vat as eu
    return str(eu.compact(number))
