"""The language of a library and its vocabulary (`sprache`, `begriffe` in library.yaml).

A library names its language as a BCP 47 tag (`sprache: de-DE`); the Babel locale follows from
it (`de_DE`). `begriffe` holds the few words the engine writes itself (model/wording.py). The
shipped library spells out every word; a library without `sprache` is German, and a German
library may leave out words it does not change (they then come from GERMAN below). A library
in any other language must name every word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import Problem
from ..model.wording import Wording

DEFAULT_LANGUAGE = "de-DE"
_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")

# begriffe key -> Wording field; every key a library may set
KEYS: dict[str, str] = {
    "paragraf": "section", "absatz": "paragraph", "anlage": "annex", "und": "and_word",
    "ja": "yes", "nein": "no", "vertreten_durch": "represented_by", "steuernummer": "tax_number",
    "ust_id": "vat_id", "telefon": "phone", "fuer": "on_behalf", "anfuehrungszeichen": "quotes",
    "verweis_fehlt": "missing_reference", "zahlwoerter": "number_words",
    "vor_zahlen": "before_numbers", "einheiten": "units",
    "seite": "page", "von": "of", "unser_rahmenvertrag": "our_framework",
    "unsere_vereinbarung": "our_agreement",
}
# words with a default for every language (formats, or taken from the questionnaire): a library
# may leave them out
OPTIONAL: dict[str, str] = {
    "absatz_nummer": "paragraph_number", "ueberschrift": "heading",
    "ueberschrift_anlage": "annex_heading", "honorarmodelle": "fee_labels",
}
GERMAN: dict[str, Any] = {
    "paragraf": "§", "absatz": "Abs.", "anlage": "Anlage", "und": "und", "ja": "ja",
    "nein": "nein", "vertreten_durch": "vertreten durch", "steuernummer": "Steuernummer",
    "ust_id": "USt-IdNr.", "telefon": "Telefon", "fuer": "für", "anfuehrungszeichen": ["„", "“"],
    "verweis_fehlt": "[Verweis fehlt: {ziel}]",
    "zahlwoerter": ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht",
                    "neun", "zehn", "elf", "zwölf"],
    "vor_zahlen": ["§§", "§", "Abs.", "Nr.", "Art.", "S."],
    "einheiten": {"stunde": "Stunde", "tag": "Tag", "woche": "Woche", "monat": "Monat"},
    "seite": "Seite", "von": "von", "unser_rahmenvertrag": "unserem Rahmenvertrag vom {datum}",
    "unsere_vereinbarung": "unserer Vereinbarung",
}
DEFAULTS: dict[str, dict[str, Any]] = {"de": GERMAN}


def babel_locale(language: str) -> str:
    """de-DE -> de_DE (the Babel locale of a BCP 47 tag; formatting.locale_of does the same)."""
    from ..formatting import locale_of

    return locale_of(language)


def base_language(language: str) -> str:
    return language.split("-", 1)[0]


def read_language(value: Any, where: str, problems: list[Problem]) -> str:
    if value is None:
        return DEFAULT_LANGUAGE
    text = str(value).strip()
    if not _TAG.match(text):
        problems.append(Problem("error", f"sprache {text!r} ist keine Sprachangabe wie de-DE oder "
                                "en-GB.", where, code="library.library-yaml"))
        return DEFAULT_LANGUAGE
    return text


def read_wording(value: Any, language: str, where: str, problems: list[Problem]) -> Wording:
    """The vocabulary: the library's `begriffe` over the defaults of its language."""
    given: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
    if value is not None and not isinstance(value, Mapping):
        problems.append(Problem("error", "begriffe muss aus Schlüssel: Wert-Paaren bestehen.",
                                where, code="library.library-yaml"))
    for key in given:
        if key not in KEYS and key not in OPTIONAL:
            problems.append(Problem("error", f"begriffe.{key}: unbekannter Begriff (bekannt: "
                                    f"{', '.join([*KEYS, *OPTIONAL])}).", where,
                                    code="library.library-yaml"))
    words = {**DEFAULTS.get(base_language(language), {}), **given}
    missing = [key for key in KEYS if key not in words]
    if missing:
        problems.append(Problem("error", f"begriffe: Für die Sprache {language} fehlen "
                                f"{', '.join(missing)}.", where, code="library.library-yaml"))
        words = {**GERMAN, **words}
    try:
        quotes = tuple(str(q) for q in words["anfuehrungszeichen"])
        units = words["einheiten"]
        wording = Wording(
            section=str(words["paragraf"]), paragraph=str(words["absatz"]),
            annex=str(words["anlage"]), and_word=str(words["und"]), yes=str(words["ja"]),
            no=str(words["nein"]), represented_by=str(words["vertreten_durch"]),
            tax_number=str(words["steuernummer"]), vat_id=str(words["ust_id"]),
            phone=str(words["telefon"]),
            on_behalf=str(words["fuer"]), quotes=(quotes[0], quotes[1]),
            missing_reference=str(words["verweis_fehlt"]),
            number_words=tuple(str(w) for w in words["zahlwoerter"]),
            before_numbers=tuple(str(w) for w in words["vor_zahlen"]),
            units=tuple((str(k), str(v)) for k, v in dict(units).items()),
            page=str(words["seite"]), of=str(words["von"]),
            our_framework=str(words["unser_rahmenvertrag"]),
            our_agreement=str(words["unsere_vereinbarung"]),
            **_optional(given),
        )
    except (TypeError, ValueError, IndexError, AttributeError):
        problems.append(Problem("error", "begriffe: anfuehrungszeichen braucht zwei Zeichen, "
                                "zahlwoerter und vor_zahlen sind Listen, einheiten Schlüssel: "
                                "Wert-Paare.", where, code="library.library-yaml"))
        return read_wording(None, DEFAULT_LANGUAGE, where, [])
    return wording


def _optional(given: Mapping[str, Any]) -> dict[str, Any]:
    """The optional words a library gives (the Wording defaults hold for the others)."""
    out: dict[str, Any] = {}
    for key, name in OPTIONAL.items():
        if key not in given or given[key] is None:
            continue
        value = given[key]
        out[name] = (tuple((str(k), str(v)) for k, v in dict(value).items())
                     if key == "honorarmodelle" else str(value))
    return out
