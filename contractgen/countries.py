"""Countries: ISO 3166-1 alpha-2 codes, EU membership, postcode formats and the order of the
address lines. Data (plus a few lookups), declared once.

Country names are not spelled out here: they come from Babel (CLDR territory names) in the
document's locale, so a library in another language gets its own names.

Sources
- EU member states: Art. 52 TEU (27 states since the United Kingdom left on 1 February 2020).
  Northern Ireland (VAT prefix XI) stays in the EU VAT area for goods only (Windsor Framework);
  services to a client there are services to a client in the United Kingdom.
- Postcode formats: the postal administrations' published formats as collected by the UPU
  ("Postal addressing systems in member countries", POST*Code) and Google's address metadata
  (libaddressinput, field `zip`); narrowed where the administration publishes the range
  (Liechtenstein 9485–9498, Spanish provinces 01–52, Eircode routing keys).
- Address order: the same sources (field `fmt`): postcode before the town in continental
  Europe, town and postcode on lines of their own in the United Kingdom and Ireland, town,
  state and ZIP code on one line in the United States.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

HOME = "DE"   # the freelancer's country the library's VAT and court wording is written for

EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})

# CLDR territory codes that are no ISO 3166-1 country: regions, groupings, private use and the
# "exceptionally reserved" codes (Ascension, Canary Islands, Ceuta and Melilla, ...), which a
# contract states under their country (SH, ES, ...).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "CQ", "XA", "XB", "ZZ",
                            "AC", "CP", "DG", "EA", "IC", "TA"})
# what people write instead of the ISO code
ALIASES = {"UK": "GB", "EL": "GR", "D": "DE", "A": "AT", "FL": "LI", "USA": "US", "NI": "GB",
           "XI": "GB"}


@dataclass(frozen=True)
class Postcode:
    pattern: str          # a pattern of the safe subset (limits.pattern_problem), on the normal form
    hint: str             # what a valid postcode looks like (German, for messages)
    example: str
    split: int = 0        # normal form: one space before the last `split` characters


POSTCODES: dict[str, Postcode] = {
    "DE": Postcode(r"^[0-9]{5}$", "fünf Ziffern", "20459"),
    "AT": Postcode(r"^[1-9][0-9]{3}$", "vier Ziffern", "1010"),
    "CH": Postcode(r"^[1-9][0-9]{3}$", "vier Ziffern", "8001"),
    "LI": Postcode(r"^94(8[5-9]|9[0-8])$", "vier Ziffern von 9485 bis 9498", "9490"),
    "LU": Postcode(r"^(L-)?[0-9]{4}$", "vier Ziffern, auch mit „L-“ davor", "L-1511"),
    "NL": Postcode(r"^[1-9][0-9]{3} [A-Z]{2}$", "vier Ziffern und zwei Buchstaben", "1012 AB",
                   split=2),
    "BE": Postcode(r"^[1-9][0-9]{3}$", "vier Ziffern", "1000"),
    "FR": Postcode(r"^[0-9]{5}$", "fünf Ziffern", "75001"),
    "IT": Postcode(r"^[0-9]{5}$", "fünf Ziffern", "00184"),
    "ES": Postcode(r"^(0[1-9]|[1-4][0-9]|5[0-2])[0-9]{3}$",
                   "fünf Ziffern, beginnend mit der Provinz 01 bis 52", "28001"),
    "PL": Postcode(r"^[0-9]{2}-[0-9]{3}$", "zwei Ziffern, Bindestrich, drei Ziffern", "00-950"),
    "DK": Postcode(r"^[1-9][0-9]{3}$", "vier Ziffern", "1050"),
    "SE": Postcode(r"^[1-9][0-9]{2} [0-9]{2}$", "fünf Ziffern", "114 55", split=2),
    "GB": Postcode(r"^(GIR 0AA|[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2})$",
                   "Postcode wie SW1A 1AA oder M1 1AE", "SW1A 1AA", split=3),
    "IE": Postcode(r"^([AC-FHKNPRTV-Y][0-9]{2}|D6W) [0-9AC-FHKNPRTV-Y]{4}$",
                   "Eircode wie D02 X285", "D02 X285", split=4),
    "US": Postcode(r"^[0-9]{5}(-[0-9]{4})?$", "ZIP-Code aus fünf Ziffern, auch ZIP+4",
                   "10001"),
}

# The lines of town and postcode (the street comes before, the country after them).
PLZ_ORT = ("{plz} {ort}",)
ADDRESS_FORMATS: dict[str, tuple[str, ...]] = {
    "GB": ("{ort}", "{plz}"),
    "IE": ("{ort}", "{plz}"),
    "US": ("{ort} {plz}",),      # "New York, NY 10001": the town field carries the state
    "CA": ("{ort} {plz}",),
    "AU": ("{ort} {plz}",),
}


@lru_cache(maxsize=8)
def country_names(locale: str = "de_DE") -> dict[str, str]:
    """ISO code -> country name in `locale` (Babel/CLDR), for every ISO 3166-1 country."""
    from babel import Locale

    names = Locale.parse(locale).territories
    return {code: name for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES}


def is_country(code: str) -> bool:
    return code in country_names()


def in_eu(code: str | None) -> bool:
    return code in EU_MEMBER_STATES


def abroad(code: str | None) -> bool:
    """A party outside Germany (an unanswered country is Germany, the default)."""
    return bool(code) and code != HOME


def country_name(code: str, locale: str = "de_DE") -> str:
    return country_names(locale).get(code, code)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace(".", "").strip()


def suggest_country(text: str) -> str | None:
    """The code someone probably meant by `text` (an alias, a name in German or English, a
    near miss), or None."""
    upper = text.strip().upper()
    if upper in ALIASES:
        return ALIASES[upper]
    folded = _fold(text)
    names: dict[str, str] = {}
    for locale in ("de_DE", "en_GB"):
        for code, name in country_names(locale).items():
            names.setdefault(_fold(name), code)
    if folded in names:
        return names[folded]
    close = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.75)
    if close:
        return names[close[0]]
    codes = difflib.get_close_matches(upper, list(country_names()), n=1, cutoff=0.5)
    return codes[0] if codes and len(upper) == 2 else None


def normal_postcode(code: str | None, text: str) -> str:
    """The postcode as the country writes it: upper case, one space where it belongs."""
    compact = re.sub(r"\s+", " ", text.strip().upper())
    rule = POSTCODES.get(code or HOME)
    if rule is not None and rule.split:
        bare = compact.replace(" ", "")
        if len(bare) > rule.split:
            return f"{bare[:-rule.split]} {bare[-rule.split:]}"
    return compact


def town_lines(code: str | None, postcode: str | None, town: str) -> tuple[str, ...]:
    """The lines with postcode and town in the order of the country."""
    formats = ADDRESS_FORMATS.get(code or HOME, PLZ_ORT)
    lines = []
    for line in formats:
        if not postcode and "{plz}" in line:
            line = line.replace("{plz}", "").strip()
            if not line:
                continue
        lines.append(line.format(plz=postcode or "", ort=town).strip())
    return tuple(lines)
